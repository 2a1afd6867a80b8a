import { sql } from 'kysely';
import type { Db, Tx } from '../../core/db/database.js';
import { append } from '../../core/log/append.js';
import { queueTemplates } from '../../core/outbox/queue-templates.js';
import { billingBalance } from '../billing/index.js';
import { messagingAllowance } from './messaging-limit.js';
import { getReminder, type Reminder } from './reminders-store.js';
import { templateMessageFor } from './template-message.js';

export interface SendOptions {
  /** People per transaction. */
  batchSize?: number;
  /** Unique people templates may start per rolling 24 hours; null is unlimited. */
  messagingLimit: number | null;
  /** Price to hold per message when checking funds (the dearest template price). */
  estimateMicros?: number;
}

interface Due {
  run_id: string;
  contact_id: string;
  reminder_id: string;
}

/**
 * Queues one batch of due recipients, in one transaction with their messages: each person's
 * row becomes `queued` with its message id in the same commit as the outbox row and the
 * `message.queued` event, so a crash queues a batch wholly or not at all and a restart, or a
 * second instance (SKIP LOCKED), never queues a person twice. The sender then paces the
 * outbox at the number's rate. Returns how many people were handled (0: nothing due).
 */
export async function sendDueBatch(db: Db, options: SendOptions, now = new Date()): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const due = await sql<Due>`
      select r.run_id, r.contact_id, u.reminder_id
      from reminder_recipients r join reminder_runs u on u.id = r.run_id
      join reminders m on m.id = u.reminder_id
      where r.state = 'pending' and r.due_at <= ${now} and u.state = 'sending' and m.state = 'sending'
      order by r.due_at, r.run_id, r.contact_id
      limit ${options.batchSize ?? 500}
      for update of r skip locked`.execute(tx);
    if (due.rows.length === 0) return 0;
    const allowance = await messagingAllowance(tx, options.messagingLimit, now);
    const room = Math.min(due.rows.length, allowance.remaining);
    if (room === 0) {
      await pauseRuns(
        tx,
        due.rows,
        `messaging limit reached: ${options.messagingLimit} people in 24 hours`,
        allowance.freesAt,
      );
      return 0;
    }
    const batch = due.rows.slice(0, room);
    const reminders = new Map<string, Reminder>();
    for (const row of batch)
      if (!reminders.has(row.reminder_id))
        reminders.set(row.reminder_id, await getReminder(tx, row.reminder_id));
    const stopWhenEmpty = [...reminders.values()].some((r) => r.options.stop_when_empty);
    const balance = await billingBalance(tx);
    if (
      (stopWhenEmpty || balance.refuse_when_empty) &&
      balance.available_micros - batch.length * (options.estimateMicros ?? 0) < 0
    ) {
      await pauseRuns(
        tx,
        batch,
        `not enough funds: ${balance.available_micros / 1e6} ${balance.currency} available`,
        null,
      );
      return 0;
    }
    const people = await tx
      .selectFrom('contacts')
      .select([
        'id',
        'channel',
        'wa_id',
        'bsuid',
        'name',
        'fields',
        'blocked',
        'erased_at',
        'marketing_opt_in',
      ])
      .where(
        'id',
        'in',
        batch.map((r) => r.contact_id),
      )
      .execute();
    const byId = new Map(people.map((p) => [p.id, p]));
    // Blocked, erased or opted out of marketing since the run was planned: skipped now, never queued.
    const skipReason = (row: Due): string | null => {
      const person = byId.get(row.contact_id)!;
      if (person.erased_at !== null) return 'erased';
      if (person.blocked) return 'blocked';
      if (
        reminders.get(row.reminder_id)!.template.category === 'marketing' &&
        person.marketing_opt_in === 'opted_out'
      )
        return 'opted_out';
      if (!person.wa_id && !person.bsuid) return 'no_identity';
      return null;
    };
    const reachable = batch.filter((row) => skipReason(row) === null);
    const messageIds = await queueTemplates(
      tx,
      reachable.map((row) => {
        const person = byId.get(row.contact_id)!;
        const reminder = reminders.get(row.reminder_id)!;
        return {
          contact: person,
          message: templateMessageFor(reminder.template, { name: person.name, fields: person.fields ?? {} }),
          attribution: { reminder_id: reminder.id },
        };
      }),
      'reminder',
      now,
    );
    const messageOf = new Map(reachable.map((row, i) => [`${row.run_id}:${row.contact_id}`, messageIds[i]!]));
    const outcomes = batch.map((row) => {
      const messageId = messageOf.get(`${row.run_id}:${row.contact_id}`) ?? null;
      return { row, messageId, reason: messageId ? null : skipReason(row) };
    });
    await sql`
      update reminder_recipients r
      set state = case when o.message_id is null then 'skipped' else 'queued' end,
          message_id = o.message_id, skip_reason = o.reason
      from unnest(${outcomes.map((o) => o.row.run_id)}::bigint[], ${outcomes.map((o) => o.row.contact_id)}::bigint[],
        ${outcomes.map((o) => o.messageId)}::bigint[], ${outcomes.map((o) => o.reason)}::text[]) as o(run_id, contact_id, message_id, reason)
      where r.run_id = o.run_id and r.contact_id = o.contact_id`.execute(tx);
    await append(
      tx,
      outcomes.map(({ row, messageId, reason }) => ({
        type: 'reminder.send' as const,
        source: 'engine',
        contact_id: row.contact_id,
        idempotency_key: `reminder-send:${row.run_id}:${row.contact_id}`,
        payload: {
          reminder_id: row.reminder_id,
          run_id: row.run_id,
          outcome: messageId ? ('queued' as const) : ('skipped' as const),
          skip_reason: reason,
          message_id: messageId,
        },
      })),
    );
    return batch.length;
  });
}

async function pauseRuns(tx: Tx, rows: readonly Due[], reason: string, resumeAt: Date | null) {
  const runs = [...new Set(rows.map((r) => r.run_id))];
  const paused = await tx
    .updateTable('reminder_runs')
    .set({ state: 'paused', paused_reason: reason, resume_at: resumeAt })
    .where('id', 'in', runs)
    .where('state', '=', 'sending')
    .returning(['id', 'reminder_id', 'due_at'])
    .execute();
  if (paused.length === 0) return;
  await append(
    tx,
    paused.map((run) => ({
      type: 'reminder.run' as const,
      source: 'engine',
      payload: {
        reminder_id: run.reminder_id,
        run_id: run.id,
        action: 'paused' as const,
        due_at: run.due_at.toISOString(),
        reason,
        resume_at: resumeAt?.toISOString() ?? null,
      },
    })),
  );
}
