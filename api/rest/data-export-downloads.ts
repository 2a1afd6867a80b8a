import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { spreadsheetSafe } from '../../engine/people/index.js';
import { rowJsonSql, type WarehouseReader } from '../../warehouse/bigquery/write-batch-file.js';
import type { WarehouseTable } from '../../warehouse/tables/table-definition.js';
import { warehouseTables } from '../../warehouse/tables/warehouse-tables.js';
import type { FileRouteDoc } from '../openapi/build-document.js';
import type { ApiServices } from '../services/api-services.js';
import { exportReaderFor } from '../services/export-reader.js';
import { parseInput } from '../services/parse-input.js';
import { authenticateBearer } from './rest-auth.js';
import { rfc3339Schema, rfc3339ToUtc } from './schemas/rfc3339.schema.js';

const downloadQuerySchema = z.strictObject({
  from: rfc3339Schema.optional().meta({ description: 'Rows whose partition time is at or after this' }),
  until: rfc3339Schema.optional().meta({ description: 'Rows whose partition time is before this' }),
});
const downloadParamsSchema = z.strictObject({
  table: z
    .enum(warehouseTables.map((t) => t.name) as [string, ...string[]])
    .meta({ description: 'A warehouse table (docs/warehouse.md)' }),
  format: z.enum(['ndjson', 'csv']),
});

/** The OpenAPI description of the route below (api/openapi/build-document.ts). */
export const dataDownloadRouteDocs: readonly FileRouteDoc[] = [
  {
    method: 'GET',
    path: '/v1/data/{table}.{format}',
    operationId: 'downloadWarehouseTable',
    summary: 'Download a warehouse table as NDJSON or CSV',
    description:
      'Every row whose partition time is in [from, until), in key order, streamed: a download of any size is never held in memory. Columns as in the data dictionary; NDJSON keeps types, CSV gives text. Without the pii.read scope, personal columns are masked as the data dictionary says (hash, initials or [redacted]).',
    tag: 'Data export',
    permission: 'warehouse.query',
    params: downloadParamsSchema,
    query: downloadQuerySchema,
    success: {
      status: 200,
      description: 'The rows, one per line',
      contentTypes: ['application/x-ndjson', 'text/csv'],
    },
    errors: [404, 503],
  },
];

const pageRows = 5000;

/**
 * GET /v1/data/{table}.ndjson and .csv : every row of a warehouse table whose
 * partition time is in [from, until), streamed page by page (keyset on the table's key), so
 * a download is never held in memory. Needs the warehouse.query scope like the cursor API, and
 * pii.read for personal columns unmasked.
 */
export function registerDataExportDownloads(app: FastifyInstance, services: ApiServices): void {
  app.get('/v1/data/:file', { config: { permission: 'warehouse.query' } }, async (request, reply) => {
    const actor = await authenticateBearer(services.db, request, 'warehouse.query');
    const { file } = request.params as { file: string };
    const match = /^([a-z_]+)\.(ndjson|csv)$/.exec(file);
    const table = match ? warehouseTables.find((t) => t.name === match[1]) : undefined;
    if (!match || !table) {
      throw new AppError('not_found', `no download ${file}: use <table>.ndjson or <table>.csv`, [
        { field: 'file', reason: `tables: ${warehouseTables.map((t) => t.name).join(', ')}` },
      ]);
    }
    const query = parseInput(downloadQuerySchema, request.query ?? {}, 'query');
    const rows = tableRows(exportReaderFor(services.warehouse, actor), table, query);
    const csv = match[2] === 'csv';
    const lines = csv ? csvLines(table, rows) : ndjsonLines(rows);
    return reply
      .header('content-disposition', `attachment; filename="${file}"`)
      .type(csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson')
      .send(Readable.from(lines));
  });
}

async function* tableRows(
  reader: WarehouseReader,
  table: WarehouseTable,
  range: { from?: string; until?: string },
): AsyncGenerator<string[]> {
  const keys = table.key.map((k) => `"${k}"`);
  const keyTypes = table.key.map((k) =>
    table.columns.find((c) => c.name === k)!.type === 'string' ? 'VARCHAR' : 'BIGINT',
  );
  const t = `"${table.partitionColumn}"`;
  let after: string[] | null = null;
  for (;;) {
    const params: (string | bigint)[] = [
      range.from ? rfc3339ToUtc(range.from) : '0001-01-01T00:00:00Z',
      range.until ? rfc3339ToUtc(range.until) : '9999-12-31T00:00:00Z',
    ];
    let keyset = '';
    if (after) {
      const placeholders = after.map((_, i) => `$${i + 3}::${keyTypes[i]}`);
      keyset = `AND (${keys.join(', ')}) > (${placeholders.join(', ')})`;
      params.push(...after);
    }
    const page = await reader.query(
      `SELECT ${keys.map((k, i) => `${k}::VARCHAR AS _k${i}`).join(', ')}, ${rowJsonSql(table)} AS row FROM "${table.name}"
       WHERE ${t} >= $1::TIMESTAMPTZ AND ${t} < $2::TIMESTAMPTZ ${keyset}
       ORDER BY ${keys.join(', ')} LIMIT ${pageRows}`,
      params,
    );
    if (page.length === 0) return;
    yield page.map((r) => String(r.row));
    const last = page.at(-1)!;
    after = table.key.map((_, i) => String(last[`_k${i}`]));
    if (page.length < pageRows) return;
  }
}

async function* ndjsonLines(pages: AsyncGenerator<string[]>): AsyncGenerator<string> {
  for await (const page of pages) yield `${page.join('\n')}\n`;
}

/** RFC 4180 CSV: a header, then one line per row; JSON columns as their JSON text. */
async function* csvLines(table: WarehouseTable, pages: AsyncGenerator<string[]>): AsyncGenerator<string> {
  yield `${table.columns.map((c) => c.name).join(',')}\r\n`;
  for await (const page of pages) {
    yield page
      .map((line) => {
        const row = JSON.parse(line) as Record<string, unknown>;
        return `${table.columns.map((c) => csvField(row[c.name])).join(',')}\r\n`;
      })
      .join('');
  }
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  // Text comes from the people we serve (names, messages): a spreadsheet must not run it.
  const text = typeof value === 'string' ? spreadsheetSafe(value) : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
