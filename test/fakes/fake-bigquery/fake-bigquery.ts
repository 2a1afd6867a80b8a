import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DuckDBValue } from '@duckdb/node-api';
import { BigQueryStore, type FakeField, type FakeTable } from './bigquery-store.js';
import { multipartRelated } from './multipart-related.js';

export interface FakeBigQueryOptions {
  /** The bearer token the client must send (the real API answers 401 otherwise). */
  token: string;
  /** BigQuery's quota: 1,500 load jobs per table per day. */
  loadJobsPerTablePerDay?: number;
}

export interface FakeJob {
  kind: 'bigquery#job';
  id: string;
  jobReference: { projectId: string; jobId: string; location: string };
  configuration: Record<string, unknown>;
  status: { state: 'DONE'; errorResult?: ApiErrorItem; errors?: ApiErrorItem[] };
  statistics: { creationTime: string; load?: { outputRows: string } };
}

interface ApiErrorItem {
  reason: string;
  message: string;
  domain?: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

const statusNames: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
};

/**
 * A fake of BigQuery's REST API v2 (https://cloud.google.com/bigquery/docs/reference/rest)
 * for the calls @google-cloud/bigquery makes: datasets insert/get, tables insert/get/patch,
 * multipart-upload load jobs (NEWLINE_DELIMITED_JSON), jobs.get and jobs.query. Loads run
 * at once into an in-memory DuckDB (bigquery-store.ts), so queries see them. Job ids are
 * unique per project as in BigQuery: a second insert of one id answers 409.
 */
export async function startFakeBigQuery(options: FakeBigQueryOptions) {
  const store = await BigQueryStore.create();
  const datasets = new Map<string, { location: string }>();
  const tables = new Map<string, FakeTable>();
  const jobs = new Map<string, FakeJob>();
  const loadsPerTableDay = new Map<string, number>();
  const limit = options.loadJobsPerTablePerDay ?? 1500;

  const tableOr404 = (d: string, t: string) => {
    const table = tables.get(`${d}.${t}`);
    if (!table) throw new HttpError(404, 'notFound', `Not found: Table ${d}.${t}`);
    return table;
  };

  async function load(
    projectId: string,
    job: { jobReference?: { jobId?: string; location?: string }; configuration?: { load?: LoadConfig } },
    data: Buffer,
  ) {
    const jobId = job.jobReference?.jobId ?? randomUUID();
    if (jobs.has(jobId)) throw new HttpError(409, 'duplicate', `Already Exists: Job ${projectId}:${jobId}`);
    const config = job.configuration?.load;
    if (!config)
      throw new HttpError(
        400,
        'invalid',
        'Job configuration must contain exactly one job-specific configuration object',
      );
    const { datasetId, tableId } = config.destinationTable;
    const table = tableOr404(datasetId, tableId);
    const quotaKey = `${datasetId}.${tableId}.${new Date().toISOString().slice(0, 10)}`;
    const used = loadsPerTableDay.get(quotaKey) ?? 0;
    if (used >= limit)
      throw new HttpError(
        403,
        'quotaExceeded',
        `Quota exceeded: Your table exceeded quota for imports or query appends per table`,
      );
    loadsPerTableDay.set(quotaKey, used + 1);
    const location = job.jobReference?.location ?? datasets.get(datasetId)?.location ?? 'US';
    const record: FakeJob = {
      kind: 'bigquery#job',
      id: `${projectId}:${location}.${jobId}`,
      jobReference: { projectId, jobId, location },
      configuration: { jobType: 'LOAD', load: config },
      status: { state: 'DONE' },
      statistics: { creationTime: String(Date.now()) },
    };
    try {
      if (config.sourceFormat !== 'NEWLINE_DELIMITED_JSON')
        throw new Error(`fake supports NEWLINE_DELIMITED_JSON loads, not ${config.sourceFormat}`);
      const rows = await store.loadNdjson(table, data);
      record.statistics.load = { outputRows: String(rows) };
    } catch (error) {
      const item = { reason: 'invalid', message: (error as Error).message };
      record.status = { state: 'DONE', errorResult: item, errors: [item] };
    }
    jobs.set(jobId, record);
    return record;
  }

  async function route(
    method: string,
    path: string,
    body: Buffer,
    request: IncomingMessage,
  ): Promise<unknown> {
    const json = () => JSON.parse(body.toString() || '{}');
    /** Matches `re` against `text`, keeping the groups in `m` for the branch that follows. */
    const m: string[] = [];
    const is = (re: RegExp, text: string) => {
      const found = re.exec(text);
      m.splice(0, m.length, ...(found ?? []));
      return found !== null;
    };
    if (method === 'POST' && is(/^\/upload\/bigquery\/v2\/projects\/([^/]+)\/jobs$/, path)) {
      const [meta, data] = multipartRelated(String(request.headers['content-type']), body);
      if (!meta) throw new HttpError(400, 'invalid', 'multipart body without a job resource');
      return load(m[1]!, JSON.parse(meta.toString()), data ?? Buffer.alloc(0));
    }
    if (!is(/^\/bigquery\/v2\/projects\/([^/]+)(\/.*)$/, path))
      throw new HttpError(404, 'notFound', `Not found: ${path}`);
    const projectId = m[1]!;
    const rest = m[2]!;
    if (method === 'POST' && rest === '/datasets') {
      const resource = json();
      const datasetId: string = resource.datasetReference.datasetId;
      if (datasets.has(datasetId))
        throw new HttpError(409, 'duplicate', `Already Exists: Dataset ${projectId}:${datasetId}`);
      await store.createDataset(datasetId);
      datasets.set(datasetId, { location: resource.location ?? 'US' });
      return { kind: 'bigquery#dataset', id: `${projectId}:${datasetId}`, ...resource };
    }
    if (is(/^\/datasets\/([^/]+)$/, rest) && method === 'GET') {
      const dataset = datasets.get(m[1]!);
      if (!dataset) throw new HttpError(404, 'notFound', `Not found: Dataset ${projectId}:${m[1]}`);
      return {
        kind: 'bigquery#dataset',
        id: `${projectId}:${m[1]}`,
        datasetReference: { projectId, datasetId: m[1] },
        location: dataset.location,
      };
    }
    if (is(/^\/datasets\/([^/]+)\/tables$/, rest) && method === 'POST') {
      const datasetId = m[1]!;
      if (!datasets.has(datasetId))
        throw new HttpError(404, 'notFound', `Not found: Dataset ${projectId}:${datasetId}`);
      const resource = json();
      const tableId: string = resource.tableReference.tableId;
      if (tables.has(`${datasetId}.${tableId}`))
        throw new HttpError(409, 'duplicate', `Already Exists: Table ${projectId}:${datasetId}.${tableId}`);
      const table: FakeTable = {
        ...resource,
        tableReference: { projectId, datasetId, tableId },
        type: resource.view ? 'VIEW' : 'TABLE',
        schema: resource.schema ?? { fields: [] },
      };
      await store.createTable(table);
      tables.set(`${datasetId}.${tableId}`, table);
      return { kind: 'bigquery#table', id: `${projectId}:${datasetId}.${tableId}`, ...table };
    }
    if (is(/^\/datasets\/([^/]+)\/tables\/([^/]+)$/, rest)) {
      const table = tableOr404(m[1]!, m[2]!);
      if (method === 'PATCH' || method === 'PUT') await patchTable(table, json());
      return { kind: 'bigquery#table', id: `${projectId}:${m[1]}.${m[2]}`, ...table };
    }
    if (is(/^\/jobs\/([^/]+)$/, rest) && method === 'GET') {
      const job = jobs.get(decodeURIComponent(m[1]!));
      if (!job) throw new HttpError(404, 'notFound', `Not found: Job ${projectId}:${m[1]}`);
      return job;
    }
    if (rest === '/queries' && method === 'POST') {
      const { query, queryParameters } = json();
      let result: Awaited<ReturnType<BigQueryStore['query']>>;
      try {
        result = await store.query(query, namedParameters(queryParameters));
      } catch (error) {
        throw new HttpError(400, 'invalidQuery', (error as Error).message);
      }
      return {
        kind: 'bigquery#queryResponse',
        jobReference: { projectId, jobId: `job_${randomUUID()}`, location: 'US' },
        jobComplete: true,
        totalRows: String(result.rows.length),
        ...(result.dmlAffectedRows === undefined
          ? { schema: { fields: result.fields }, rows: result.rows }
          : { numDmlAffectedRows: String(result.dmlAffectedRows) }),
      };
    }
    throw new HttpError(404, 'notFound', `Not found: ${method} ${path}`);
  }

  /** tables.patch: schema fields may only be added, and added fields must be NULLABLE. */
  async function patchTable(table: FakeTable, patch: Partial<FakeTable>) {
    if (patch.view && table.type === 'VIEW') {
      await store.createTable({ ...table, view: patch.view });
      table.view = patch.view;
    }
    if (patch.schema && table.type === 'TABLE') {
      const known = new Set(table.schema.fields.map((f) => f.name));
      const wanted = new Set(patch.schema.fields.map((f) => f.name));
      const missing = [...known].filter((name) => !wanted.has(name));
      if (missing.length > 0)
        throw new HttpError(
          400,
          'invalid',
          `Provided Schema does not match Table. Field ${missing[0]} is missing in new schema`,
        );
      const added: FakeField[] = patch.schema.fields.filter((f) => !known.has(f.name));
      const required = added.find((f) => f.mode === 'REQUIRED');
      if (required)
        throw new HttpError(
          400,
          'invalid',
          `Provided Schema does not match Table. Cannot add required fields to an existing schema. (field: ${required.name})`,
        );
      await store.addColumns(table.tableReference.datasetId, table.tableReference.tableId, added);
      table.schema = { fields: [...table.schema.fields, ...added] };
    }
    if (patch.description !== undefined) table.description = patch.description;
  }

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://fake');
      const send = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
        response.end(JSON.stringify(body));
      };
      if (request.headers.authorization !== `Bearer ${options.token}`) {
        send(
          401,
          envelope(
            new HttpError(401, 'unauthorized', 'Request is missing required authentication credential.'),
          ),
        );
        return;
      }
      route(request.method ?? 'GET', url.pathname, Buffer.concat(chunks), request).then(
        (body) => send(200, body),
        (error: unknown) => {
          const httpError =
            error instanceof HttpError ? error : new HttpError(500, 'internalError', String(error));
          send(httpError.status, envelope(httpError));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    store,
    jobs,
    tables,
    /** Load jobs run on one table today (the quota BigQuery enforces). */
    loadJobsToday(datasetId: string, tableId: string): number {
      return loadsPerTableDay.get(`${datasetId}.${tableId}.${new Date().toISOString().slice(0, 10)}`) ?? 0;
    },
    rows: (sql: string) => store.rows(sql),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

export type FakeBigQuery = Awaited<ReturnType<typeof startFakeBigQuery>>;

interface LoadConfig {
  destinationTable: { projectId: string; datasetId: string; tableId: string };
  sourceFormat?: string;
  writeDisposition?: string;
}

/** BigQuery's error body (https://cloud.google.com/bigquery/docs/error-messages). */
function envelope(error: HttpError) {
  const item = { message: error.message, domain: 'global', reason: error.reason };
  return {
    error: {
      code: error.status,
      message: error.message,
      errors: [item],
      status: statusNames[error.status] ?? 'INTERNAL',
    },
  };
}

/**
 * jobs.query's `queryParameters` (parameterMode NAMED) as DuckDB values:
 * https://cloud.google.com/bigquery/docs/reference/rest/v2/QueryParameter
 */
function namedParameters(
  parameters: { name?: string; parameterType: { type: string }; parameterValue: { value?: string } }[] = [],
): Record<string, DuckDBValue> {
  const values: Record<string, DuckDBValue> = {};
  for (const p of parameters) {
    if (!p.name) throw new HttpError(400, 'invalidQuery', 'only named query parameters are supported');
    const value = p.parameterValue.value ?? null;
    values[p.name] = value === null ? null : p.parameterType.type === 'INT64' ? BigInt(value) : value;
  }
  return values;
}
