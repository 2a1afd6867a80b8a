import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { insertHistory } from '../testing/log-writer.js';
import { randomHistory } from '../testing/random-history.js';
import { verifyWarehouse } from './verify.js';

const database = await createTestDatabase({ max: 4 });
const dataDir = await mkdtemp(join(tmpdir(), 'parley-crash-'));
const children = new Set<ChildProcess>();
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

const fixture = new URL('../testing/mirror-child.ts', import.meta.url).pathname;

/** Starts the mirror in a child process; resolves its output lines through `onLine`. */
function startChild(onLine: (line: string) => void) {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, database.url, dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; errors: string }>(
    (resolve) =>
      child.on('exit', (code, signal) => {
        children.delete(child);
        resolve({ code, signal, errors });
      }),
  );
  return { child, exited };
}

it('loses and doubles nothing when the mirror process is killed with SIGKILL at random points of its catch-up', async () => {
  await insertHistory(database.pool, [...randomHistory({ seed: 5, events: 4000 })]);
  let kills = 0;
  let lastPosition = 0;
  for (let round = 0; round < 6; round++) {
    const batchesBeforeKill = 1 + Math.floor(Math.random() * 6);
    const extraDelayMs = Math.floor(Math.random() * 40);
    let batches = 0;
    let drained = false;
    const { child, exited } = startChild((line) => {
      if (line === 'drained') drained = true;
      const match = /^batch (\d+)$/.exec(line);
      if (!match) return;
      const position = Number(match[1]);
      // Restarts resume after the last committed batch: positions never go back.
      expect(position).toBeGreaterThan(lastPosition);
      lastPosition = position;
      if (++batches === batchesBeforeKill) setTimeout(() => child.kill('SIGKILL'), extraDelayMs);
    });
    const result = await exited;
    if (drained) break;
    expect(result.signal, result.errors).toBe('SIGKILL');
    kills++;
  }
  expect(kills).toBeGreaterThan(0);

  // A last run to the end, then compare with a fresh transform of the log.
  const { exited } = startChild(() => {});
  const final = await exited;
  expect(final.code, final.errors).toBe(0);
  const result = await verifyWarehouse({ databaseUrl: database.url, dataDir });
  expect(result.tables.filter((t) => !t.equal)).toEqual([]);
  expect(result.equal).toBe(true);
  expect(result.cursor.logPosition).toBe('4000');
  expect(result.tables.find((t) => t.table === 'events_raw')?.mirror.rows).toBe(4000);
}, 240_000);
