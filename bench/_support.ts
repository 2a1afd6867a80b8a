// Shared helpers for benchmarks: a throwaway database and printing.
import pg from 'pg';
import { loadConfig } from '../core/config.js';
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from '../core/db/embedded-postgres.js';

/**
 * A fresh database for one benchmark run: on DATABASE_URL's server when set, else on the
 * machine's Postgres at 127.0.0.1:5432, else on an embedded Postgres under ./data/bench.
 */
export async function benchDatabase(name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const config = loadConfig();
  let adminUrl = config.databaseUrl ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  let embedded: EmbeddedPostgresHandle | undefined;
  if (!(await reachable(adminUrl))) {
    embedded = await startEmbeddedPostgres({ dataDir: './data/bench' });
    adminUrl = embedded.url;
  }
  const database = `parley_bench_${name}_${Date.now().toString(36)}`;
  const admin = new pg.Client(adminUrl);
  await admin.connect();
  await admin.query(`create database "${database}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client(adminUrl);
      await client.connect();
      await client.query(`drop database if exists "${database}" with (force)`);
      await client.end();
      await embedded?.stop();
    },
  };
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export function printTable(title: string, rows: [string, string][]) {
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\n${title}`);
  for (const [key, value] of rows) console.log(`  ${key.padEnd(width)}  ${value}`);
}
