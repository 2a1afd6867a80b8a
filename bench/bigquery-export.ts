// `npm run bench -- bigquery-export [--events N] [--batch P]`
// The BigQuery export against the fake BigQuery server (test/fakes/fake-bigquery): N
// realistic events COPYed into a fresh log and mirrored to DuckDB, then a backfill export of
// every warehouse table through the real @google-cloud/bigquery client with load jobs of at
// most P log positions. Prints rows/s and load jobs per hour at that rate, and what the
// default schedule (one load per table per 5 minutes) means for BigQuery's 1,500/table/day.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBValue } from '@duckdb/node-api';
import pg from 'pg';
import { createDatabase } from '../core/db/database.js';
import { migrate } from '../core/db/migrate.js';
import { startFakeBigQuery } from '../test/fakes/fake-bigquery/fake-bigquery.js';
import { createBigQueryExport } from '../warehouse/bigquery/bigquery-export.js';
import { startMirror } from '../warehouse/duckdb/mirror.js';
import { warehouseTables } from '../warehouse/tables/warehouse-tables.js';
import { copyHistory } from '../warehouse/testing/log-writer.js';
import { type HistoryEvent, randomHistory } from '../warehouse/testing/random-history.js';
import { benchDatabase, printTable } from './_support.js';

export default async function bigQueryExportBench(args: string[]) {
  const events = Number(option(args, '--events') ?? 200_000);
  const batch = Number(option(args, '--batch') ?? 50_000);
  const bench = await benchDatabase('bigquery');
  const dir = await mkdtemp(join(tmpdir(), 'parley-bench-bq-'));
  const pool = new pg.Pool({ connectionString: bench.url, max: 4 });
  const database = createDatabase(bench.url, { max: 4 });
  const token = 'bench-token';
  const fake = await startFakeBigQuery({ token });
  try {
    await migrate(pool);
    const generated = randomHistory({ seed: 2027, events, maxContacts: Math.max(200, events / 20) });
    for (let copied = 0; copied < events; ) {
      const client = await pool.connect();
      copied += await copyHistory(client, take(generated, Math.min(250_000, events - copied)));
      client.release();
    }
    const mirror = await startMirror({ databaseUrl: bench.url, dataDir: dir, pageSize: 50_000 });
    await mirror.drain();

    // Where the time goes: reading rows out of DuckDB, and the fake's load into its DuckDB.
    let readMs = 0;
    let fakeLoadMs = 0;
    const reader = {
      query: async (sql: string, params?: DuckDBValue[]) => {
        const t = performance.now();
        const result = await mirror.query(sql, params);
        readMs += performance.now() - t;
        return result;
      },
    };
    const load = fake.store.loadNdjson.bind(fake.store);
    fake.store.loadNdjson = async (table, data) => {
      const t = performance.now();
      const loaded = await load(table, data);
      fakeLoadMs += performance.now() - t;
      return loaded;
    };
    const exporter = await createBigQueryExport({
      db: database.db,
      reader,
      target: {
        projectId: 'bench',
        datasetId: 'parley',
        location: 'US',
        apiEndpoint: fake.url,
        accessToken: token,
      },
      minLoadIntervalMs: 0,
      maxPositionsPerLoad: batch,
    });
    const started = performance.now();
    await exporter.drain();
    const seconds = (performance.now() - started) / 1000;
    await exporter.stop();
    await mirror.stop();

    let rows = 0;
    for (const table of warehouseTables) {
      const [count] = await fake.rows(`SELECT count(*)::BIGINT AS n FROM \`parley.${table.name}\``);
      rows += Number(count!.n);
    }
    const jobs = fake.jobs.size;
    const perTable = Math.max(...warehouseTables.map((t) => fake.loadJobsToday('parley', t.name)));
    const rowsPerSecond = rows / seconds;
    printTable(
      `BigQuery export backfill (fake BigQuery, ${events.toLocaleString()} events, batches of ${batch.toLocaleString()} positions)`,
      [
        ['rows exported (all tables)', rows.toLocaleString()],
        ['time', `${seconds.toFixed(1)} s`],
        ['rows/s', Math.round(rowsPerSecond).toLocaleString()],
        ['events/s (log positions)', Math.round(events / seconds).toLocaleString()],
        ['time reading rows from the mirror', `${(readMs / 1000).toFixed(1)} s`],
        ['time in the fake loading NDJSON', `${(fakeLoadMs / 1000).toFixed(1)} s`],
        ['load jobs', `${jobs} (most on one table: ${perTable})`],
        ['load jobs/hour at that rate, back to back', Math.round((jobs / seconds) * 3600).toLocaleString()],
        ['load jobs/hour per table, default schedule', `${3600 / 300} (288/day, quota 1,500)`],
        [
          'rows per load at 2,000 events/s, default schedule',
          `~${(2000 * 300 * (rows / events)).toLocaleString()} (all tables)`,
        ],
      ],
    );
  } finally {
    await fake.close();
    await database.close();
    await pool.end();
    await bench.drop();
    await rm(dir, { recursive: true, force: true });
  }
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
