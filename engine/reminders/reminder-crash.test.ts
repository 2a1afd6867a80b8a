import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { startFixture } from '../../test/setup/child-process.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { createReminder, scheduleReminder } from './index.js';

// kill -9 of the process sending a 3,000-person reminder half-way, then two processes at once:
// every person is queued exactly once (one message, one outbox row, one reminder.send event).

const database = await createTestDatabase({ max: 6 });
const { db } = database;
const total = 3000;

/** The reminder runner in its own process (test/fixtures/reminder-worker.ts), batches of 40. */
const startWorker = () => startFixture('test/fixtures/reminder-worker.ts', [database.url, '40']);

async function queued(reminderId: string): Promise<number> {
  const rows = await sql<{ n: string }>`
    select count(*)::text as n from reminder_recipients r join reminder_runs u on u.id = r.run_id
    where u.reminder_id = ${reminderId} and r.state = 'queued'`.execute(db);
  return Number(rows.rows[0]?.n ?? 0);
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

it('after kill -9 half-way and a restart with two instances, each person is queued exactly once', async () => {
  const ids: string[] = [];
  for (let i = 0; i < total; i += 500) {
    const rows = await sql<{ id: string }>`
      insert into contacts (channel, wa_id, name)
      select 'whatsapp', (27840000000 + g)::text, 'Person ' || g from generate_series(${i + 1}::int, ${i + 500}::int) g
      returning id`.execute(db);
    ids.push(...rows.rows.map((r) => r.id));
  }
  const reminder = await db.transaction().execute(async (tx) => {
    const created = await createReminder(
      tx,
      {
        name: 'Crash',
        template: {
          name: 'crash_test',
          language: 'en',
          category: 'utility',
          body: [{ source: { from: 'name', fallback: 'x' } }],
        },
        audience: { contact_ids: ids },
        schedule: { kind: 'now' },
        options: {},
      },
      'test',
    );
    return scheduleReminder(tx, created.id, 'test');
  });

  const first = startWorker();
  await first.ready;
  await waitFor(async () => (await queued(reminder.id)) >= 400, 60_000);
  first.child.kill('SIGKILL');
  expect(await first.exit).toBe('SIGKILL');
  const atKill = await queued(reminder.id);
  expect(atKill).toBeLessThan(total);

  const [a, b] = [startWorker(), startWorker()];
  await Promise.all([a.ready, b.ready]);
  await waitFor(async () => (await queued(reminder.id)) === total, 120_000);
  await waitFor(async () => {
    const state = await db
      .selectFrom('reminders')
      .select('state')
      .where('id', '=', reminder.id)
      .executeTakeFirstOrThrow();
    return state.state === 'completed';
  }, 30_000);
  a.child.kill('SIGTERM');
  b.child.kill('SIGTERM');
  expect(await Promise.all([a.exit, b.exit])).toEqual([0, 0]);

  const counts = await sql<{
    messages: string;
    people: string;
    outbox: string;
    sends: string;
    distinct_sends: string;
  }>`
    select
      (select count(*) from messages where contact_id = any(${ids}::bigint[]))::text as messages,
      (select count(distinct contact_id) from messages where contact_id = any(${ids}::bigint[]))::text as people,
      (select count(*) from outbox o join messages m on m.id = o.message_id where m.contact_id = any(${ids}::bigint[]))::text as outbox,
      (select count(*) from events where type = 'reminder.send' and payload->>'reminder_id' = ${reminder.id})::text as sends,
      (select count(distinct contact_id) from events where type = 'reminder.send' and payload->>'reminder_id' = ${reminder.id})::text as distinct_sends`.execute(
    db,
  );
  expect(counts.rows[0]).toEqual({
    messages: String(total),
    people: String(total),
    outbox: String(total),
    sends: String(total),
    distinct_sends: String(total),
  });
}, 240_000);
