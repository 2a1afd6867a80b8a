import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBigQuery } from '../../../test/fakes/fake-bigquery/fake-bigquery.js';
import { createTestDatabase } from '../../../test/setup/test-database.js';
import { type BigQueryExport, createBigQueryExport } from '../../../warehouse/bigquery/bigquery-export.js';
import { mirrorDir } from '../../../warehouse/bigquery/testing/compare-rows.js';
import { type Mirror, startMirror } from '../../../warehouse/duckdb/mirror.js';
import { warehouseTables } from '../../../warehouse/tables/warehouse-tables.js';
import { insertHistory } from '../../../warehouse/testing/log-writer.js';
import { randomHistory } from '../../../warehouse/testing/random-history.js';
import { createApiToken } from '../../auth/api-tokens.js';
import type { ApiServices } from '../../services/api-services.js';
import { buildTestApiServer } from '../../test-api-server.js';
import { callerFor, createMember, testServices } from '../../trpc/test-support.js';

const database = await createTestDatabase({ max: 4 });
const dir = await mirrorDir();
const fake = await startFakeBigQuery({ token: 'status-token' });
const history = [...randomHistory({ seed: 31, events: 350 })];
let mirror: Mirror;
let bigQueryExport: BigQueryExport;
let sources: NonNullable<ApiServices['warehouse']>;
// Members and tokens append events too: made before the history, so positions are known.
let viewerAuth: string;
let operatorAuth: string;
let insightsOnlyAuth: string;
let viewer: Awaited<ReturnType<typeof createMember>>;
let exported: number;
const apps: FastifyInstance[] = [];

async function app(warehouse: ApiServices['warehouse']) {
  const server = await buildTestApiServer(database, {
    channels: [],
    warehouse,
  });
  apps.push(server);
  return server;
}

async function bearer(role: 'analyst' | 'viewer' | 'operator', scopes: string[]) {
  const member = await createMember(database.db, role);
  return `Bearer ${(await createApiToken(database.db, member.actor, { name: 'status', scopes })).token}`;
}

beforeAll(async () => {
  mirror = await startMirror({ databaseUrl: database.url, dataDir: dir.path });
  bigQueryExport = await createBigQueryExport({
    db: database.db,
    reader: mirror,
    target: {
      projectId: 'p',
      datasetId: 'status',
      location: 'EU',
      apiEndpoint: fake.url,
      accessToken: 'status-token',
    },
    minLoadIntervalMs: 0,
  });
  sources = { ...mirror, bigQueryExportStatus: () => bigQueryExport.status() };
  // The warehouse's own scope, as a data engineer's token has it.
  viewerAuth = await bearer('analyst', ['warehouse.query']);
  insightsOnlyAuth = await bearer('viewer', ['insights.read']);
  operatorAuth = await bearer('operator', ['messages.read']);
  viewer = await createMember(database.db, 'viewer');
  await insertHistory(database.pool, history.slice(0, 300));
  await mirror.drain();
  await bigQueryExport.drain();
  const [count] = (await database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows;
  exported = count!.n;
}, 120_000);
afterAll(async () => {
  for (const server of apps) await server.close();
  await bigQueryExport?.stop();
  await mirror?.stop();
  await fake.close();
  await dir.remove();
});

describe('GET /v1/warehouse/status and tRPC warehouse.status', () => {
  it('show the mirror cursor and lag and the BigQuery export position, alike in REST and tRPC', async () => {
    const server = await app(sources);
    const response = await server.inject({
      method: 'GET',
      url: '/v1/warehouse/status',
      headers: { authorization: viewerAuth },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.mirror).toMatchObject({
      ok: true,
      state: 'idle',
      cursor: { log_position: String(exported) },
      lag_events: 0,
      lag_seconds: 0,
      last_error: null,
    });
    expect(body.bigquery_export).toMatchObject({
      ok: true,
      dataset: 'status',
      last_exported_event: { log_position: String(exported) },
      lag_events: 0,
      lag_seconds: 0,
      last_error: null,
    });
    expect(body.bigquery_export.tables.map((t: { table: string }) => t.table)).toEqual(
      warehouseTables.map((t) => t.name),
    );
    expect(
      body.bigquery_export.tables.every(
        (t: { exported_position: string }) => t.exported_position === String(exported),
      ),
    ).toBe(true);

    const viaTrpc = await callerFor(
      testServices(database.db, { warehouse: sources }),
      viewer.actor,
    ).caller.warehouse.status();
    expect(JSON.parse(JSON.stringify(viaTrpc))).toEqual({
      ...body,
      mirror: { ...body.mirror, last_checkpoint_at: viaTrpc.mirror.last_checkpoint_at },
    });
  });

  it('shows the export falling behind the mirror by exactly the events not yet loaded', async () => {
    await insertHistory(database.pool, history.slice(300));
    await mirror.drain();
    const server = await app(sources);
    const response = await server.inject({
      method: 'GET',
      url: '/v1/warehouse/status',
      headers: { authorization: viewerAuth },
    });
    const body = response.json();
    expect(body.mirror.cursor.log_position).toBe(String(exported + 50));
    expect(body.bigquery_export.last_exported_event.log_position).toBe(String(exported));
    expect(body.bigquery_export.lag_events).toBe(50);
  });

  it('needs warehouse.query, answers 503 without a running warehouse, and null without BigQuery', async () => {
    const server = await app(sources);
    for (const authorization of [operatorAuth, insightsOnlyAuth]) {
      const denied = await server.inject({
        method: 'GET',
        url: '/v1/warehouse/status',
        headers: { authorization },
      });
      expect(denied.statusCode).toBe(403);
      expect(denied.json().error.fields).toEqual([{ field: 'scopes', reason: 'needs warehouse.query' }]);
    }

    const auth = viewerAuth;
    const without = await app(undefined);
    const unavailable = await without.inject({
      method: 'GET',
      url: '/v1/warehouse/status',
      headers: { authorization: auth },
    });
    expect(unavailable.statusCode).toBe(503);

    const mirrorOnly = await app(mirror);
    const noBigQuery = await mirrorOnly.inject({
      method: 'GET',
      url: '/v1/warehouse/status',
      headers: { authorization: auth },
    });
    expect(noBigQuery.statusCode).toBe(200);
    expect(noBigQuery.json().bigquery_export).toBeNull();
  });
});
