// `npm run bench -- mirror-profile [--events N] [--page P] [--live L] [--live-page Q] [--url URL] [--keep]`
// Where the mirror's time goes: the Postgres read of every page alone, then the DuckDB side
// statement by statement (staging, each transform statement, cursor, commit), summed over
// all pages, in wall time and in this process's CPU time (the machine is shared, so CPU
// time is the steadier figure). The last L events (default 20,000) are applied in pages of
// Q (default 1,000) after the others, as the live phase does, and profiled separately. `--keep` leaves the generated log database for the next run
// (`--url` reuses it), so profiling a change does not regenerate the history.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrate } from '../core/db/migrate.js';
import { type LogKey, LogPageReader } from '../warehouse/duckdb/log-page-reader.js';
import { openWarehouseFile } from '../warehouse/duckdb/warehouse-file.js';
import { copyHistory } from '../warehouse/testing/log-writer.js';
import { type HistoryEvent, randomHistory } from '../warehouse/testing/random-history.js';
import { csvSource, stageBatchSql } from '../warehouse/transform/stage-batch.js';
import { transformStatements, withBounds } from '../warehouse/transform/transform-batch.js';
import { benchDatabase, printTable } from './_support.js';

export default async function mirrorProfile(args: string[]) {
  const events = Number(option(args, '--events') ?? 500_000);
  const pageSize = Number(option(args, '--page') ?? 50_000);
  const livePage = Number(option(args, '--live-page') ?? 1_000);
  const given = option(args, '--url');
  const bench = given ? { url: given, drop: async () => {} } : await benchDatabase('profile');
  const dir = await mkdtemp(join(tmpdir(), 'parley-bench-profile-'));
  try {
    if (!given) await fill(bench.url, events);
    if (args.includes('--keep')) console.log(`log database kept: --url ${bench.url}`);

    // 1. The Postgres read alone (COPY of every page, no DuckDB).
    const reader = new LogPageReader(bench.url);
    const started = performance.now();
    const pages: { csv: Buffer; last: LogKey; live: boolean; events: number }[] = [];
    const liveFrom = Math.max(0, events - Number(option(args, '--live') ?? 20_000));
    let after: LogKey = { xid: '0', id: '0' };
    for (let read = 0; ; ) {
      const live = read >= liveFrom;
      const limit = live ? livePage : Math.min(pageSize, liveFrom - read);
      const page = await reader.read(after, { limit });
      if (!page.last) break;
      pages.push({ csv: page.csv, last: page.last, live, events: page.events });
      read += page.events;
      after = page.last;
    }
    const readMs = performance.now() - started;
    await reader.close();
    const total = pages.reduce((n, p) => n + p.events, 0);

    // 2. DuckDB, statement by statement, pages already in memory.
    const file = await openWarehouseFile(join(dir, 'warehouse.duckdb'));
    const c = file.connection;
    const phases = { catchUp: new Phase(), live: new Phase() };
    let position = 0n;
    for (const [i, page] of pages.entries()) {
      const phase = page.live ? phases.live : phases.catchUp;
      const time = phase.time;
      // As copy-log.ts does: small live pages on one thread.
      if (page.live && phase.batches === 0) await c.run('SET threads = 1');
      phase.batches++;
      const started = performance.now();
      const cpu = process.cpuUsage();
      const path = join(dir, `page-${i}.csv`);
      await time('write CSV file', () => writeFile(path, page.csv));
      await c.run('BEGIN TRANSACTION');
      await time('stage _batch (read_csv)', () => c.run(stageBatchSql(csvSource(path), position)));
      const types = new Set(
        (await c.runAndReadAll('SELECT DISTINCT type FROM _batch')).getRows().map((r) => String(r[0])),
      );
      for (const [n, statement] of transformStatements.entries()) {
        if (statement.when && !statement.when.some((t) => types.has(t))) continue;
        const label = `${String(n).padStart(2)} ${firstLine(statement.sql)}`;
        await time(label, async () => c.run(await withBounds(c, statement)));
      }
      await time('cursor + COMMIT', async () => {
        await c.run('UPDATE _mirror_cursor SET log_position = $1::BIGINT', [String(position)]);
        await c.run('COMMIT');
      });
      if (i === pages.length - 1 || pages[i + 1]!.live !== page.live) {
        await time('CHECKPOINT', () => c.run('CHECKPOINT'));
      }
      phase.events += page.events;
      phase.wallMs += performance.now() - started;
      phase.cpuMs += cpuMs(process.cpuUsage(cpu));
      position += BigInt(page.events);
      await rm(path);
    }
    file.close();

    const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString('en')} events/s`;
    printTable(
      `mirror profile: ${total.toLocaleString('en')} events, pages of ${pageSize.toLocaleString('en')}`,
      [['Postgres COPY read (alone)', `${(readMs / 1000).toFixed(2)} s = ${rate(total, readMs)}`]],
    );
    for (const [name, phase] of Object.entries(phases)) {
      if (phase.batches === 0) continue;
      printTable(
        `DuckDB side, ${name}: ${phase.events.toLocaleString('en')} events in ${phase.batches} batches; per batch: wall ${(phase.wallMs / phase.batches).toFixed(1)} ms, CPU ${(phase.cpuMs / phase.batches).toFixed(1)} ms`,
        [
          [
            'total wall / CPU',
            `${(phase.wallMs / 1000).toFixed(2)} s = ${rate(phase.events, phase.wallMs)} / ${(phase.cpuMs / 1000).toFixed(2)} s CPU`,
          ],
          ...[...phase.times.entries()]
            .sort((a, b) => b[1].cpu - a[1].cpu)
            .map(([label, t]): [string, string] => [
              label.slice(0, 70),
              `wall ${(t.wall / 1000).toFixed(2)} s, CPU ${(t.cpu / 1000).toFixed(2)} s (${((100 * t.cpu) / phase.cpuMs).toFixed(1)} %)`,
            ]),
        ],
      );
    }
  } finally {
    if (!args.includes('--keep')) await bench.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Wall and CPU time per labelled step of one phase. */
class Phase {
  batches = 0;
  events = 0;
  wallMs = 0;
  cpuMs = 0;
  readonly times = new Map<string, { wall: number; cpu: number }>();
  readonly time = async (label: string, run: () => Promise<unknown>) => {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    await run();
    const entry = this.times.get(label) ?? { wall: 0, cpu: 0 };
    entry.wall += performance.now() - wall;
    entry.cpu += cpuMs(process.cpuUsage(cpu));
    this.times.set(label, entry);
  };
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

async function fill(url: string, events: number) {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    await migrate(pool);
    const generated = randomHistory({ seed: 2026, events, maxContacts: Math.max(200, events / 20) });
    for (let copied = 0; copied < events; ) {
      const client = await pool.connect();
      copied += await copyHistory(client, take(generated, Math.min(250_000, events - copied)));
      client.release();
    }
    await pool.query('VACUUM ANALYZE events');
  } finally {
    await pool.end();
  }
}

function firstLine(sql: string): string {
  return sql.trim().split('\n')[0]!.replace(/\s+/g, ' ');
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
