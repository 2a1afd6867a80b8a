import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { append } from './append.js';
import { type Consumer, registerConsumer, runConsumerBatch } from './consumer.js';
import { startConsumerRunner } from './consumer-runner.js';
import type { NewEvent } from './event.schema.js';
import { readEvents, START_OF_LOG } from './reader.js';

const handle = await createTestDatabase({ max: 20 });
const db = handle.db;

function event(n: number | string, source = 'test'): NewEvent {
  return {
    type: 'contact.created',
    source,
    channel: 'simulator',
    payload: { wa_id: String(n), name: null, channel: 'simulator' },
  };
}

beforeAll(async () => {
  await sql`create table applied (event_id bigint not null, consumer text not null, applied_by text)`.execute(
    db,
  );
});

async function appliedIds(consumer: string): Promise<string[]> {
  const result = await sql<{ event_id: string }>`
    select event_id from applied where consumer = ${consumer} order by event_id`.execute(db);
  return result.rows.map((r) => r.event_id);
}

function recordingConsumer(name: string, extra: Partial<Consumer> = {}): Consumer {
  return {
    name,
    batchSize: 10,
    async handle(tx, events) {
      for (const e of events) {
        await sql`insert into applied (event_id, consumer) values (${e.id}, ${name})`.execute(tx);
      }
    },
    ...extra,
  };
}

describe('reader', () => {
  it('orders by the xid8 value, not its text: xid 10 comes after xid 9', async () => {
    // Explicit old xids (far below any horizon) whose text order differs from their numeric order.
    await sql`insert into events (xid, type, occurred_at, source, payload) values
      ('10'::xid8, 'contact.created', now(), 'xid-order', '{"wa_id":"ten","channel":"simulator"}'),
      ('9'::xid8, 'contact.created', now(), 'xid-order', '{"wa_id":"nine","channel":"simulator"}')`.execute(
      db,
    );
    const page = await readEvents(db, START_OF_LOG, { limit: 2 });
    expect(page.map((e) => [e.xid, (e.payload as { wa_id: string }).wa_id])).toEqual([
      ['9', 'nine'],
      ['10', 'ten'],
    ]);
    const next = await readEvents(db, { xid: '9', id: page[0]!.id }, { limit: 1 });
    expect(next.map((e) => e.xid)).toEqual(['10']);
  });

  it('does not skip a transaction that commits late (A appends first and commits last)', async () => {
    const start = await sql<{ id: string }>`select coalesce(max(id), 0)::text as id from events`.execute(db);
    const { pool } = handle;
    const a = await pool.connect();
    try {
      // A takes its xid and id first and stays open.
      await a.query('begin');
      const aRow = await a.query<{ id: string }>(
        `insert into events (type, occurred_at, source, payload) values ('contact.created', now(), 'late', '{"wa_id":"A","channel":"simulator"}') returning id`,
      );
      const aId = aRow.rows[0]!.id;
      // B appends after A and commits.
      const b = await append(db, [event('B', 'late')]);
      const bId = b.ids[0]!;
      expect(BigInt(bId)).toBeGreaterThan(BigInt(aId));

      // While A is open, a reader sees neither A nor anything after it: the horizon stops at A.
      const whileOpen = await readEvents(db, START_OF_LOG, { limit: 100_000 });
      const seenWhileOpen = whileOpen.filter((e) => e.source === 'late').map((e) => e.id);
      expect(seenWhileOpen).toEqual([]);
      const cursorWhileOpen = whileOpen.at(-1);

      await a.query('commit');
      // After A commits, reading on from where the reader stopped returns A (and then B).
      const cursor = cursorWhileOpen ? { xid: cursorWhileOpen.xid, id: cursorWhileOpen.id } : START_OF_LOG;
      let after = await readEvents(db, cursor, { limit: 100_000 });
      // Other test files share the server: wait until their transactions leave the horizon.
      for (let i = 0; i < 100 && after.filter((e) => e.source === 'late').length < 2; i++) {
        await new Promise((r) => setTimeout(r, 50));
        after = await readEvents(db, cursor, { limit: 100_000 });
      }
      expect(after.filter((e) => e.source === 'late').map((e) => e.id)).toEqual([aId, bId]);
      expect(after.every((e) => BigInt(e.id) > BigInt(start.rows[0]!.id))).toBe(true);
    } finally {
      a.release();
    }
  });
});

describe('consumer', () => {
  it('a handler that throws mid-batch leaves the cursor in place, and the replay applies each event once', async () => {
    await append(
      db,
      Array.from({ length: 25 }, (_, i) => event(1000 + i, 'crash')),
    );
    const name = 'crash-replay';
    await registerConsumer(db, name);
    let calls = 0;
    const failing = recordingConsumer(name, {
      async handle(tx, events) {
        calls += 1;
        for (const [i, e] of events.entries()) {
          await sql`insert into applied (event_id, consumer) values (${e.id}, ${name})`.execute(tx);
          if (calls === 2 && i === 4) throw new Error('crash in the middle of batch 2');
        }
      },
    });
    expect((await runConsumerBatch(db, failing)).kind).toBe('applied');
    const cursorBefore = await db
      .selectFrom('consumer_cursors')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    await expect(runConsumerBatch(db, failing)).rejects.toThrow('crash in the middle of batch 2');
    const cursorAfter = await db
      .selectFrom('consumer_cursors')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    expect(cursorAfter.event_id).toBe(cursorBefore.event_id);
    expect(cursorAfter.xid).toBe(cursorBefore.xid);
    expect((await appliedIds(name)).length).toBe(10);

    let outcome = await runConsumerBatch(db, failing);
    while (outcome.kind === 'applied') outcome = await runConsumerBatch(db, failing);
    const ids = await appliedIds(name);
    const all = await sql<{ id: string }>`select id from events order by id`.execute(db);
    expect(ids).toEqual(all.rows.map((r) => r.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('reports busy while another instance holds the cursor', async () => {
    const name = 'busy-check';
    await registerConsumer(db, name);
    const { pool } = handle;
    const holder = await pool.connect();
    try {
      await holder.query('begin');
      await holder.query('select * from consumer_cursors where name = $1 for update', [name]);
      expect(await runConsumerBatch(db, recordingConsumer(name))).toEqual({ kind: 'busy' });
    } finally {
      await holder.query('rollback');
      holder.release();
    }
  });

  it('the runner wakes on NOTIFY and applies new events without polling', async () => {
    const name = 'notify-runner';
    const runner = await startConsumerRunner({
      db,
      databaseUrl: handle.url,
      consumers: [recordingConsumer(name)],
      pollIntervalMs: 60_000,
    });
    try {
      await runner.drain();
      const appended = await append(db, [event(5000, 'notify'), event(5001, 'notify')]);
      const wanted = appended.ids as string[];
      // No poll for a minute: only the NOTIFY on commit can wake the runner in time.
      for (let i = 0; i < 400; i++) {
        const ids = await appliedIds(name);
        if (wanted.every((id) => ids.includes(id))) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      const ids = await appliedIds(name);
      const all = await sql<{ id: string }>`select id from events order by id`.execute(db);
      expect(ids).toEqual(all.rows.map((r) => r.id));
      expect(ids.slice(-2)).toEqual(wanted);
    } finally {
      await runner.stop();
    }
  });

  it('two processes running the same consumer apply each event exactly once', async () => {
    const name = 'two-processes';
    await registerConsumer(db, name);
    const total = 400;
    const workers = [0, 1].map((n) =>
      spawn(
        process.execPath,
        ['--import', 'tsx', 'test/fixtures/consumer-worker.ts', handle.url, name, `w${n}`],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      ),
    );
    const exits = workers.map(
      (w) =>
        new Promise<number>((resolve) => {
          let err = '';
          w.stderr.on('data', (d) => {
            err += String(d);
          });
          w.on('exit', (code) => {
            if (code !== 0) console.error(err);
            resolve(code ?? -1);
          });
        }),
    );
    // Append while both run, in many small transactions.
    for (let i = 0; i < total; i += 20) {
      await append(
        db,
        Array.from({ length: 20 }, (_, j) => event(10_000 + i + j, 'two')),
      );
    }
    const twoIds = (
      await sql<{ id: string }>`select id from events where source = 'two' order by id`.execute(db)
    ).rows.map((r) => r.id);
    const maxId = twoIds.at(-1)!;
    // Wait until the consumer has passed the last event, then stop the workers.
    for (let i = 0; i < 600; i++) {
      const c = await db
        .selectFrom('consumer_cursors')
        .select('event_id')
        .where('name', '=', name)
        .executeTakeFirstOrThrow();
      const all = await sql<{
        n: string;
      }>`select count(*) as n from applied where consumer = ${name}`.execute(db);
      const expected = await sql<{ n: string }>`select count(*) as n from events`.execute(db);
      if (BigInt(c.event_id) >= BigInt(maxId) && all.rows[0]!.n === expected.rows[0]!.n) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const w of workers) w.kill('SIGTERM');
    expect(await Promise.all(exits)).toEqual([0, 0]);

    const applied = await sql<{ event_id: string; applied_by: string }>`
      select event_id, applied_by from applied where consumer = ${name} order by event_id`.execute(db);
    const ids = applied.rows.map((r) => r.event_id);
    const all = await sql<{ id: string }>`select id from events order by id`.execute(db);
    expect(ids).toEqual(all.rows.map((r) => r.id));
    // Both processes did work, and none applied an event the other had applied.
    const byWorker = new Set(applied.rows.map((r) => r.applied_by));
    expect(byWorker).toEqual(new Set(['w0', 'w1']));
  });
});
