import { sql } from 'kysely';
import type { Tx } from '../../core/db/database.js';
import { append } from '../../core/log/append.js';
import type { Consumer } from '../../core/log/consumer.js';
import {
  messageReceivedPayloadSchema,
  messageStatusPayloadSchema,
} from '../../core/log/events/message.schema.js';
import type { StoredEvent } from '../../core/log/reader.js';

export const REMINDER_OUTCOMES_CONSUMER = 'reminders.outcomes';

/** A reply this long after a reminder's message counts as an answer to it. */
export const REPLY_ATTRIBUTION_MS = 24 * 3600_000;

/**
 * Follows what happened to each reminder message: delivered, read, failed (with Meta's code:
 * 130429 rate limited, 131049 the per-user marketing limit, 131026 undeliverable...) are
 * per-person outcomes, never a failure of the run; and a person's message within a day of a
 * reminder is recorded as their reply to it (`reminder.replied`, with the journey to start:
 * the journeys engine consumes that event).
 */
export function reminderOutcomesConsumer(): Consumer {
  return {
    name: REMINDER_OUTCOMES_CONSUMER,
    types: ['message.status', 'message.received'],
    batchSize: 500,
    async handle(tx, events) {
      for (const event of events) {
        if (event.type === 'message.status') await recordStatus(tx, event);
        else await recordReply(tx, event);
      }
    },
  };
}

async function recordStatus(tx: Tx, event: StoredEvent) {
  const status = messageStatusPayloadSchema.parse(event.payload);
  if (!status.message_id) return;
  const at = new Date(status.timestamp);
  if (status.status === 'delivered') {
    await sql`update reminder_recipients set delivered_at = coalesce(delivered_at, ${at})
      where message_id = ${status.message_id}`.execute(tx);
  } else if (status.status === 'read') {
    // A read implies delivery (Meta may send read without delivered).
    await sql`update reminder_recipients set read_at = coalesce(read_at, ${at}), delivered_at = coalesce(delivered_at, ${at})
      where message_id = ${status.message_id}`.execute(tx);
  } else if (status.status === 'failed') {
    await sql`update reminder_recipients set state = 'failed', error_code = ${status.errors?.[0]?.code ?? 0}
      where message_id = ${status.message_id}`.execute(tx);
  }
}

async function recordReply(tx: Tx, event: StoredEvent) {
  if (!event.contact_id) return;
  const received = messageReceivedPayloadSchema.parse(event.payload);
  // WhatsApp's system notices (a changed number) arrive as messages but are no reply.
  if (received.message_type === 'system' || received.message_type === 'reaction') return;
  const at = event.occurred_at;
  const answered = await sql<{
    run_id: string;
    reminder_id: string;
    message_id: string;
    journey: string | null;
  }>`
    update reminder_recipients r set replied_at = ${at}
    from reminder_runs u, reminders m, messages sent
    where r.run_id = u.id and m.id = u.reminder_id and sent.id = r.message_id
      and r.contact_id = ${event.contact_id} and r.state = 'queued' and r.replied_at is null
      and sent.created_at <= ${at} and sent.created_at > ${new Date(at.getTime() - REPLY_ATTRIBUTION_MS)}
      and r.message_id = (
        select r2.message_id from reminder_recipients r2 join messages s2 on s2.id = r2.message_id
        where r2.contact_id = ${event.contact_id} and r2.state = 'queued' and s2.created_at <= ${at}
        order by s2.created_at desc limit 1)
    returning r.run_id, u.reminder_id, r.message_id, m.options->>'journey_on_reply' as journey`.execute(tx);
  const reply = answered.rows[0];
  if (!reply) return;
  await append(tx, [
    {
      type: 'reminder.replied',
      source: 'engine',
      contact_id: event.contact_id,
      channel: event.channel,
      occurred_at: at,
      idempotency_key: `reminder-replied:${reply.run_id}:${event.contact_id}`,
      payload: {
        reminder_id: reply.reminder_id,
        run_id: reply.run_id,
        message_id: reply.message_id,
        reply_message_id: received.message_id,
        journey_id: reply.journey,
      },
    },
  ]);
}
