import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { append } from '../../../core/log/append.js';
import { populationEvents, segmentPopulation } from '../../../engine/segments/testing/segment-population.js';
import { createTestDatabase } from '../../../test/setup/test-database.js';
import { type Mirror, startMirror } from '../../../warehouse/duckdb/mirror.js';
import { buildTestApiServer } from '../../test-api-server.js';
import { callerFor, createMember, errorShape, testServices } from '../test-support.js';
import { trpcMaxBatchSize } from '../trpc-limits.schema.js';

/**
 * A viewer's hostile SQL runs in the API process (the sandbox's readers must live beside the
 * mirror's writer: DuckDB lets only one process open the warehouse file). It must not take
 * that process down: oversized builders are refused before they run, at most two queries run
 * at once (one thread each), a third is told the sandbox is busy, and /health keeps answering
 * while they run.
 */
const database = await createTestDatabase({ max: 4 });
const { db } = database;
let dir: string;
let mirror: Mirror;
let app: FastifyInstance;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-segments-load-'));
  await db.transaction().execute((tx) => append(tx, populationEvents(segmentPopulation(1, 6))));
  mirror = await startMirror({
    databaseUrl: database.url,
    dataDir: dir,
    sandboxConcurrency: 2,
    sandboxQueueMs: 200,
  });
  await mirror.drain();
  app = await buildTestApiServer(database, { warehouse: mirror });
});
afterAll(async () => {
  await app?.close();
  await mirror?.stop();
  await rm(dir, { recursive: true, force: true });
});

const forever = `SELECT a.range AS contact_id FROM range(100000000) a CROSS JOIN range(100000000) b
  WHERE a.range * b.range = -1`;

describe('hostile SQL against the API process', () => {
  it('refuses gigabyte strings and lists before they run; the process memory stays where it was', async () => {
    const viewer = (await createMember(db, 'viewer')).actor;
    const caller = callerFor(testServices(db, { warehouse: mirror }), viewer).caller;
    const before = process.memoryUsage().rss;
    const builders = [
      `SELECT length(repeat('x', 1000000000)) AS contact_id`,
      `SELECT sum(length(repeat('x', 100000000 + range))) AS contact_id FROM range(100)`,
      `SELECT len(range(1000000000)) AS contact_id`,
      `SELECT length(lpad('x', 2000000000, 'y')) AS contact_id`,
      `WITH RECURSIVE t(s) AS (SELECT 'x' UNION ALL SELECT s || s FROM t) SELECT length(s) AS contact_id FROM t`,
    ];
    const shapes = [];
    for (const sql of builders) shapes.push(await errorShape(caller.segments.preview({ sql })));
    expect(shapes.map((s) => [s.data.code, s.message])).toEqual([
      ['BAD_REQUEST', sized('repeat')],
      ['BAD_REQUEST', sized('repeat')],
      ['BAD_REQUEST', sized('range')],
      ['BAD_REQUEST', sized('lpad')],
      ['BAD_REQUEST', 'recursive CTEs (WITH RECURSIVE) are not allowed in the SQL sandbox'],
    ]);
    // Nothing ran, so nothing was allocated: well under the gigabyte each one asked for.
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('runs two endless queries at once, tells a third the sandbox is busy, and /health answers meanwhile', async () => {
    const viewer = (await createMember(db, 'viewer')).actor;
    const caller = callerFor(testServices(db, { warehouse: mirror }), viewer).caller;
    const settled: string[] = [];
    const run = (name: string) =>
      errorShape(caller.segments.preview({ sql: forever })).finally(() => settled.push(name));
    const queries = [run('a'), run('b'), run('c')];
    // The third waits 200 ms for a slot and is refused while the other two still run.
    const first = await Promise.race(queries);
    expect(first).toMatchObject({
      message: 'the SQL sandbox is busy (2 queries are running); try again in a moment',
      data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429 },
    });
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(settled).toHaveLength(1);
    const all = await Promise.all(queries);
    expect(all.map((s) => s.data.code).sort()).toEqual(['BAD_REQUEST', 'BAD_REQUEST', 'TOO_MANY_REQUESTS']);
    expect(all.filter((s) => s.data.code === 'BAD_REQUEST').map((s) => s.message)).toEqual([
      'the query ran longer than 10000 ms and was stopped',
      'the query ran longer than 10000 ms and was stopped',
    ]);
    // The sandbox works again once they are gone.
    const ok = await caller.segments.preview({ sql: 'SELECT contact_id FROM contacts WHERE contact_id = 1' });
    expect(ok.count).toBe(1);
  }, 60_000);

  it(`refuses a tRPC batch of more than ${trpcMaxBatchSize} calls`, async () => {
    // Short unknown paths: Fastify's 100-character route parameter limit must not be what refuses.
    const batch = (n: number) => `/trpc/${Array.from({ length: n }, () => 'x').join(',')}?batch=1`;
    const response = await app.inject({ method: 'GET', url: batch(trpcMaxBatchSize + 1) });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error: { message: 'Batch call exceeds maximum size', data: { code: 'BAD_REQUEST' } },
    });
    // Within the limit the batch is read call by call (each unknown here).
    const within = await app.inject({ method: 'GET', url: batch(trpcMaxBatchSize) });
    expect(within.json()).toHaveLength(trpcMaxBatchSize);
  });
});

function sized(name: string) {
  return `${name}() may build at most 100,000 characters or items in the SQL sandbox, with constant sizes`;
}
