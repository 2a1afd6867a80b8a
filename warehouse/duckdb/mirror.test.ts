import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { insertHistory } from '../testing/log-writer.js';
import { randomHistory } from '../testing/random-history.js';
import { type Mirror, startMirror } from './mirror.js';

const database = await createTestDatabase({ max: 4 });
const dirs: string[] = [];
let mirror: Mirror | undefined;
const m = () => {
  if (!mirror) throw new Error('no mirror started');
  return mirror;
};
afterAll(async () => {
  await mirror?.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function dataDir() {
  const dir = await mkdtemp(join(tmpdir(), 'parley-mirror-'));
  dirs.push(dir);
  return dir;
}

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const history = [...randomHistory({ seed: 11, events: 700 })];

describe('DuckDB mirror', () => {
  let dir: string;

  it('catches up with the log, reports its cursor and lag, and resumes from its DuckDB cursor', async () => {
    await insertHistory(database.pool, history.slice(0, 500));
    dir = await dataDir();
    mirror = await startMirror({ databaseUrl: database.url, dataDir: dir, pageSize: 64 });
    await m().drain();
    const status = await m().status();
    expect(status).toMatchObject({
      ok: true,
      state: 'idle',
      lag_events: 0,
      lag_seconds: 0,
      last_error: null,
    });
    expect(status.cursor?.log_position).toBe('500');
    await m().stop();

    await insertHistory(database.pool, history.slice(500));
    mirror = await startMirror({ databaseUrl: database.url, dataDir: dir, pageSize: 64 });
    await m().drain();
    const [counts] = await m().query(
      'SELECT count(*) AS n, count(DISTINCT event_id) AS distinct_ids, max(log_position) AS last FROM events_raw',
    );
    expect(counts).toEqual({ n: '700', distinct_ids: '700', last: '700' });
    const log = await database.pool.query<{ id: string }>(
      'SELECT e.id::text AS id FROM events e ORDER BY e.xid, e.id',
    );
    const mirrored = await m().query('SELECT event_id FROM events_raw ORDER BY log_position');
    expect(mirrored.map((r) => r.event_id)).toEqual(log.rows.map((r) => r.id));
  });

  it('does not skip a transaction that commits late (A appends first and commits last)', async () => {
    const a = await database.pool.connect();
    try {
      await a.query('BEGIN');
      const inserted = await a.query<{ id: string }>(
        `INSERT INTO events (type, occurred_at, source, payload) VALUES ('journey.late', now(), 'late', '{"who":"A"}') RETURNING id`,
      );
      const aId = inserted.rows[0]!.id;
      await insertHistory(database.pool, [
        {
          ...history[0]!,
          type: 'journey.late',
          source: 'late',
          idempotency_key: null,
          payload: { who: 'B' },
        },
      ]);
      // B is committed but A's open transaction holds the horizon: the mirror waits for it.
      await waitFor(async () => (await m().status()).state === 'waiting', 'the mirror to wait for A');
      expect(await m().query(`SELECT count(*) AS n FROM events_raw WHERE source = 'late'`)).toEqual([
        { n: '0' },
      ]);
      await a.query('COMMIT');
      await m().drain();
      const rows = await m().query(
        `SELECT event_id, payload->>'who' AS who FROM events_raw WHERE source = 'late' ORDER BY log_position`,
      );
      expect(rows.map((r) => r.who)).toEqual(['A', 'B']);
      expect(rows[0]?.event_id).toBe(aId);
    } finally {
      a.release();
    }
  });

  it('answers trusted SELECTs only, and sandboxed queries that cannot write, read files or run forever', async () => {
    await expect(m().query('DELETE FROM events_raw')).rejects.toThrow('only SELECT statements are allowed');
    await expect(m().query('SELECT 1; SELECT 2')).rejects.toThrow('exactly one statement is allowed');
    expect(await m().query('SELECT count(*) AS n FROM contacts WHERE contact_id = $1', [1])).toEqual([
      { n: '1' },
    ]);
    const sandbox = (sql: string, timeoutMs?: number) => m().sandbox(sql, { canReadPii: true, timeoutMs });
    expect((await sandbox('SELECT count(*)::VARCHAR AS n FROM events_raw')).rows).toEqual([{ n: '702' }]);
    await expect(sandbox('DELETE FROM events_raw')).rejects.toThrow('only a single SELECT');
    await expect(sandbox(`SELECT * FROM read_csv('/etc/passwd')`)).rejects.toThrow('not allowed');
    await expect(sandbox(`SET enable_external_access = true`)).rejects.toThrow('only a single SELECT');
    await expect(sandbox('SELECT sum(hash(range)) FROM range(100000000000)', 100)).rejects.toThrow(
      'the query ran longer than 100 ms and was stopped',
    );
  });

  it('keeps sandboxed readers consistent while batches commit and the writer checkpoints', async () => {
    await m().stop();
    mirror = await startMirror({
      databaseUrl: database.url,
      dataDir: dir,
      pageSize: 16,
      checkpointWalBytes: 64 * 1024,
      readerMaxAgeMs: 0,
    });
    const more = [...randomHistory({ seed: 12, events: 1500, startAt: new Date('2026-12-01T00:00:00Z') })];
    const writing = (async () => {
      for (let i = 0; i < more.length; i += 50) await insertHistory(database.pool, more.slice(i, i + 50));
    })();
    let last = 0;
    let reads = 0;
    let done = false;
    void writing.then(() => {
      done = true;
    });
    while (!done || reads < 20) {
      const result = await m().sandbox('SELECT count(*)::VARCHAR AS n FROM events_raw', { canReadPii: true });
      const n = Number(result.rows[0]?.n);
      expect(String(n)).toBe(result.logPosition);
      expect(n).toBeGreaterThanOrEqual(last);
      last = n;
      reads++;
    }
    await m().drain();
    expect((await m().status()).last_checkpoint_at).not.toBeNull();
    // Seeds share idempotency keys, so the log kept fewer than 702 + 1500 events: ask it.
    const { rows } = await database.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM events');
    await waitFor(
      async () =>
        (await m().sandbox('SELECT count(*)::VARCHAR AS n FROM events_raw', { canReadPii: true })).rows[0]
          ?.n === rows[0]?.n,
      'a fresh reader',
    );
    await m().stop();
  }, 60_000);
});
