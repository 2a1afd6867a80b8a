import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeBigQuery } from '../../test/fakes/fake-bigquery/fake-bigquery.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { startMirror } from '../duckdb/mirror.js';
import { warehouseTables } from '../tables/warehouse-tables.js';
import { insertHistory } from '../testing/log-writer.js';
import { randomHistory } from '../testing/random-history.js';
import { comparableSql, mirrorDir } from './testing/compare-rows.js';

const database = await createTestDatabase({ max: 4 });
const token = 'fake-bq-token';
const fake = await startFakeBigQuery({ token });
const dir = await mirrorDir();
afterAll(async () => {
  await fake.close();
  await dir.remove();
});

const child = join(import.meta.dirname, 'testing', 'export-child.ts');

function runChild(
  killAfterLoadOf?: string,
): Promise<{ code: number | null; signal: string | null; out: string }> {
  const args = {
    databaseUrl: database.url,
    dataDir: dir.path,
    apiEndpoint: fake.url,
    token,
    datasetId: 'crash',
    killAfterLoadOf,
  };
  const process_ = spawn(process.execPath, ['--import', 'tsx', child, JSON.stringify(args)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  process_.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  process_.stderr.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  return new Promise((resolve) => process_.on('exit', (code, signal) => resolve({ code, signal, out })));
}

describe('BigQuery export killed with SIGKILL between a load and its cursor commit', () => {
  it('retries the same job id on restart (409, job checked) and loads no row twice', async () => {
    await insertHistory(database.pool, [...randomHistory({ seed: 8, events: 800 })]);

    const killed = await runChild('messages');
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.out).toContain('loaded parley_crash_messages_0_300');
    const [cursor] = (
      await database.pool.query(
        `SELECT exported_position::text, pending_to::text FROM bigquery_export_cursors WHERE dataset = 'crash' AND table_name = 'messages'`,
      )
    ).rows;
    expect(cursor).toEqual({ exported_position: '0', pending_to: '300' });
    expect(fake.loadJobsToday('crash', 'messages')).toBe(1);

    const restarted = await runChild();
    expect(restarted).toMatchObject({ code: 0, signal: null });
    // 800 positions in batches of 300: three jobs, the first reused rather than run again.
    expect([...fake.jobs.keys()].filter((id) => id.startsWith('parley_crash_messages_'))).toEqual([
      'parley_crash_messages_0_300',
      'parley_crash_messages_300_600',
      'parley_crash_messages_600_800',
    ]);
    expect(fake.loadJobsToday('crash', 'messages')).toBe(3);

    const mirror = await startMirror({ databaseUrl: database.url, dataDir: dir.path });
    try {
      await mirror.drain();
      for (const table of warehouseTables) {
        const source = table.kind === 'state' ? `\`crash.${table.name}_latest\`` : `\`crash.${table.name}\``;
        expect(await fake.rows(comparableSql(table, source))).toEqual(
          await mirror.query(comparableSql(table, table.name)),
        );
      }
      // Change rows of messages: no version of a message was loaded twice.
      const [dupes] = await fake.rows(
        'SELECT count(*)::INT AS n FROM (SELECT message_id, updated_log_position FROM `crash.messages` GROUP BY ALL HAVING count(*) > 1)',
      );
      expect(dupes).toEqual({ n: 0 });
    } finally {
      await mirror.stop();
    }
  }, 120_000);
});
