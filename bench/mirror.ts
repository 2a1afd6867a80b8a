// `npm run bench -- mirror [--events N] [--live-seconds S] [--rate R] [--page P]`
// Catch-up of the DuckDB mirror over N realistic events COPYed into a fresh log, against
// DuckDB loading the same rows from a Parquet file (the engine's ceiling), then a live phase
// appending R events/s for S seconds, printing the mirror's lag. Targets:
// catch-up >= 200,000 events/s, live lag p95 < 1 s.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { migrate } from '../core/db/migrate.js';
import { type BatchInfo, defaultPageSize } from '../warehouse/duckdb/copy-log.js';
import { type LogKey, LogPageReader } from '../warehouse/duckdb/log-page-reader.js';
import { startMirror } from '../warehouse/duckdb/mirror.js';
import { createWarehouseSchema } from '../warehouse/duckdb/warehouse-schema.js';
import { copyHistory, insertHistory } from '../warehouse/testing/log-writer.js';
import { type HistoryEvent, randomHistory } from '../warehouse/testing/random-history.js';
import { stageBatchSql } from '../warehouse/transform/stage-batch.js';
import { transformBatch } from '../warehouse/transform/transform-batch.js';
import { benchDatabase, percentile, printTable } from './_support.js';

export default async function mirrorBench(args: string[]) {
  const events = Number(option(args, '--events') ?? 2_000_000);
  const liveSeconds = Number(option(args, '--live-seconds') ?? 60);
  const rate = Number(option(args, '--rate') ?? 2_000);
  const pageSize = Number(option(args, '--page') ?? defaultPageSize);
  const bench = await benchDatabase('mirror');
  const dir = await mkdtemp(join(tmpdir(), 'parley-bench-mirror-'));
  const pool = new pg.Pool({ connectionString: bench.url, max: 4 });
  try {
    await migrate(pool);
    const generated = randomHistory({
      seed: 2026,
      events: events + rate * liveSeconds,
      maxContacts: Math.max(200, events / 20),
    });
    let started = performance.now();
    for (let copied = 0; copied < events; ) {
      const client = await pool.connect();
      copied += await copyHistory(client, take(generated, Math.min(250_000, events - copied)));
      client.release();
    }
    await pool.query('VACUUM ANALYZE events');
    const copySeconds = (performance.now() - started) / 1000;

    // Catch-up: a fresh warehouse file, the whole log.
    started = performance.now();
    let mirror = await startMirror({ databaseUrl: bench.url, dataDir: dir, pageSize });
    await mirror.drain();
    const catchUpSeconds = (performance.now() - started) / 1000;
    await mirror.stop();

    const ceiling = await parquetCeiling(dir, pageSize);
    const readSeconds = await postgresReadAlone(bench.url, dir, pageSize);

    // Live: append `rate` events/s in transactions of rate/100 events every 10 ms.
    const batches: BatchInfo[] = [];
    mirror = await startMirror({
      databaseUrl: bench.url,
      dataDir: dir,
      pageSize,
      onBatch: (b) => batches.push(b),
    });
    await mirror.drain();
    const live = [...take(generated, rate * liveSeconds)];
    const perTick = Math.max(1, Math.round(rate / 100));
    started = performance.now();
    for (let i = 0, tick = 0; i < live.length; i += perTick, tick++) {
      const due = started + tick * 10;
      if (performance.now() < due) await new Promise((r) => setTimeout(r, due - performance.now()));
      await insertHistory(pool, live.slice(i, i + perTick));
    }
    const appendSeconds = (performance.now() - started) / 1000;
    await mirror.drain();
    const lags = await liveLags(mirror.query, batches, events);
    await mirror.stop();

    const catchUpRate = events / catchUpSeconds;
    printTable(
      `mirror benchmark: ${events.toLocaleString('en')} events, pages of ${pageSize.toLocaleString('en')}`,
      [
        [
          'COPY into the log',
          `${copySeconds.toFixed(1)} s (${Math.round(events / copySeconds).toLocaleString('en')} events/s)`,
        ],
        [
          'catch-up (Postgres -> DuckDB)',
          `${catchUpSeconds.toFixed(1)} s = ${Math.round(catchUpRate).toLocaleString('en')} events/s (target >= 200,000)`,
        ],
        [
          'ceiling: load events from Parquet',
          `${ceiling.loadSeconds.toFixed(1)} s = ${Math.round(events / ceiling.loadSeconds).toLocaleString('en')} events/s; catch-up/ceiling = ${(catchUpRate / (events / ceiling.loadSeconds)).toFixed(2)}`,
        ],
        [
          'Postgres read alone (COPY pages to files)',
          `${readSeconds.toFixed(1)} s = ${Math.round(events / readSeconds).toLocaleString('en')} events/s: no catch-up can be faster`,
        ],
        [
          'transform from Parquet (no Postgres)',
          `${ceiling.transformSeconds.toFixed(1)} s = ${Math.round(events / ceiling.transformSeconds).toLocaleString('en')} events/s; catch-up/this = ${(catchUpRate / (events / ceiling.transformSeconds)).toFixed(2)}`,
        ],
        [
          'live appends',
          `${live.length.toLocaleString('en')} events in ${appendSeconds.toFixed(1)} s = ${Math.round(live.length / appendSeconds).toLocaleString('en')} events/s`,
        ],
        [
          'live lag p50 / p95 / max',
          `${lags.p50} / ${lags.p95} / ${lags.max} ms (target p95 < 1,000 ms) over ${lags.count} events, ${lags.batches} batches`,
        ],
      ],
    );
  } finally {
    await pool.end();
    await bench.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The engine's ceiling: the same events as a Parquet file, (1) loaded into a DuckDB file
 * table, (2) run through the same staging and transform in the same page size.
 */
async function parquetCeiling(dir: string, pageSize: number) {
  const parquet = join(dir, 'events.parquet');
  const source = await DuckDBInstance.create(join(dir, 'warehouse.duckdb'));
  const connection = await source.connect();
  await connection.run(`COPY (SELECT log_position AS page_row, event_id, 0::UBIGINT AS xid, type, schema_version, occurred_at,
      recorded_at, contact_id, channel, source, idempotency_key, payload::VARCHAR AS payload FROM events_raw ORDER BY log_position)
    TO '${parquet}' (FORMAT parquet)`);
  const count = Number((await connection.runAndReadAll('SELECT count(*) FROM events_raw')).getRows()[0]?.[0]);
  connection.closeSync();
  source.closeSync();

  let started = performance.now();
  const loaded = await DuckDBInstance.create(join(dir, 'ceiling-load.duckdb'));
  const load = await loaded.connect();
  await load.run(`CREATE TABLE events_raw AS SELECT * FROM read_parquet('${parquet}')`);
  await load.run('CHECKPOINT');
  const loadSeconds = (performance.now() - started) / 1000;
  load.closeSync();
  loaded.closeSync();

  started = performance.now();
  const transformed = await DuckDBInstance.create(join(dir, 'ceiling-transform.duckdb'), {
    wal_autocheckpoint: '64MB',
  });
  const transform = await transformed.connect();
  await createWarehouseSchema(transform);
  for (let from = 0; from < count; from += pageSize) {
    await transform.run('BEGIN TRANSACTION');
    await transform.run(
      stageBatchSql(
        `(SELECT * FROM read_parquet('${parquet}') WHERE page_row > ${from} AND page_row <= ${from + pageSize})`,
        0n,
      ),
    );
    await transformBatch(transform);
    await transform.run('COMMIT');
  }
  await transform.run('CHECKPOINT');
  const transformSeconds = (performance.now() - started) / 1000;
  transform.closeSync();
  transformed.closeSync();
  return { loadSeconds, transformSeconds };
}

/** The mirror's reading side alone: every page of the log streamed to a file, nothing applied. */
async function postgresReadAlone(url: string, dir: string, pageSize: number): Promise<number> {
  const reader = new LogPageReader(url);
  const file = join(dir, 'read-alone.csv');
  const started = performance.now();
  try {
    let after: LogKey = { xid: '0', id: '0' };
    for (;;) {
      const page = await reader.readToFile(after, { limit: pageSize }, file);
      if (!page.last) break;
      after = page.last;
    }
  } finally {
    await reader.close();
    await rm(file, { force: true });
  }
  return (performance.now() - started) / 1000;
}

/** Lag of each live event: commit of the DuckDB batch that holds it minus its recorded_at. */
async function liveLags(
  query: (sql: string) => Promise<Record<string, unknown>[]>,
  batches: BatchInfo[],
  after: number,
) {
  const rows = await query(
    `SELECT log_position, epoch_ms(recorded_at) AS recorded FROM events_raw WHERE log_position > ${after} ORDER BY log_position`,
  );
  const commits = batches.map((b) => ({ position: Number(b.cursor.logPosition), at: b.committedAt }));
  const lags: number[] = [];
  let b = 0;
  for (const row of rows) {
    const position = Number(row.log_position);
    while (b < commits.length && commits[b]!.position < position) b++;
    if (b < commits.length) lags.push(commits[b]!.at - Number(row.recorded));
  }
  lags.sort((x, y) => x - y);
  const ms = (v: number) => Math.round(v).toLocaleString('en');
  return {
    p50: ms(percentile(lags, 0.5)),
    p95: ms(percentile(lags, 0.95)),
    max: ms(lags.at(-1) ?? Number.NaN),
    count: lags.length,
    batches: batches.length,
  };
}

function* take(source: Iterator<HistoryEvent>, n: number): Generator<HistoryEvent> {
  for (let i = 0; i < n; i++) {
    const next = source.next();
    if (next.done) return;
    yield next.value;
  }
}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}
