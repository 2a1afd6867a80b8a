import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { insertHistory } from '../testing/log-writer.js';
import { type HistoryEvent, randomHistory } from '../testing/random-history.js';
import { submitControlRequest } from './control-requests.js';
import { type Mirror, startMirror } from './mirror.js';
import { rebuildWarehouse } from './rebuild.js';
import { verifyWarehouse } from './verify.js';

const database = await createTestDatabase({ max: 6 });
const dataDir = await mkdtemp(join(tmpdir(), 'parley-rebuild-'));
let mirror: Mirror | undefined;
afterAll(async () => {
  await mirror?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Appends a history in transactions of random size, as ingest and the engine would. */
async function write(events: HistoryEvent[], random: () => number) {
  for (let i = 0; i < events.length; ) {
    const size = 1 + Math.floor(random() * 120);
    await insertHistory(database.pool, events.slice(i, i + size));
    i += size;
  }
}

it('builds the same tables incrementally (random batches, concurrent writers, erasures) as a rebuild from the whole log', async () => {
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  mirror = await startMirror({
    databaseUrl: database.url,
    dataDir,
    pageSize: () => 1 + Math.floor(random() * 250),
    checkpointWalBytes: 1 << 20,
  });
  // Two writers on separate contacts and messages: their transactions interleave in the log.
  const first = [...randomHistory({ seed: 1, events: 3000, erasures: 0.004 })];
  const second = [
    ...randomHistory({
      seed: 2,
      events: 3000,
      erasures: 0.004,
      idOffset: 1_000_000,
      startAt: new Date('2026-11-21T00:00:00Z'),
    }),
  ];
  // Erasures scrub the log while the mirror runs: it has seen some people's data, not others'.
  const erasures = [...first, ...second].filter((e) => e.type === 'contact.erased').length;
  expect(erasures).toBeGreaterThan(10);
  await Promise.all([write(first, random), write(second, random)]);
  await mirror.drain();

  const incremental = await verifyWarehouse({ databaseUrl: database.url, dataDir });
  expect(incremental.tables.filter((t) => !t.equal)).toEqual([]);
  expect(incremental.equal).toBe(true);
  expect(incremental.cursor.logPosition).toBe('6000');
  expect(incremental.tables.find((t) => t.table === 'events_raw')?.mirror.rows).toBe(6000);
  for (const table of incremental.tables) expect(table.mirror.rows, table.table).toBeGreaterThan(0);

  // The running mirror swaps the rebuilt file in between two batches.
  const rebuilt = await rebuildWarehouse({ databaseUrl: database.url, dataDir });
  expect(rebuilt).toEqual({ file: join(dataDir, 'warehouse.duckdb'), events: 6000, swappedBy: 'mirror' });
  const after = await submitControlRequest(dataDir, { command: 'checksums' });
  expect(after.ok && (after.value as { tables: unknown }).tables).toEqual(
    incremental.tables.map((t) => t.mirror),
  );

  await write(
    [
      ...randomHistory({
        seed: 3,
        events: 500,
        idOffset: 2_000_000,
        startAt: new Date('2026-11-28T00:00:00Z'),
      }),
    ],
    random,
  );
  // Erase people whose data the mirror has certainly applied: it must blank exactly what the scrub removed.
  const erased = new Set(
    [...first, ...second].filter((e) => e.type === 'contact.erased').map((e) => e.contact_id),
  );
  const seen = [...new Set([...first, ...second].map((e) => e.contact_id))].filter(
    (id): id is number => id !== null && !erased.has(id),
  );
  await insertHistory(
    database.pool,
    seen.slice(0, 20).map((contactId) => ({
      type: 'contact.erased',
      schema_version: 1,
      occurred_at: new Date('2026-11-29T00:00:00Z'),
      contact_id: contactId,
      channel: 'whatsapp',
      source: 'api',
      idempotency_key: null,
      payload: { by: 'system' },
    })),
  );
  await mirror.drain();
  const later = await verifyWarehouse({ databaseUrl: database.url, dataDir });
  expect(later.tables.filter((t) => !t.equal)).toEqual([]);
  expect(later.equal).toBe(true);
  expect(later.logEvents).toBe(6520);
}, 600_000);
