import { sql } from 'kysely';
import type { Tx } from '../db/database.js';
import { AppError, fieldErrorsFromZod } from '../errors.js';
import { append } from '../log/append.js';
import type { MessageQueuedPayload } from '../log/events/message.schema.js';
import { buildGraphBody, displayText } from './build-graph-body.js';
import type { MessageContent } from './outbound-message.schema.js';
import { templateMessageSchema } from './outbound-template.schema.js';

export interface TemplateSend {
  /** A person the caller has already found reachable (not blocked, not erased, not opted out of marketing). */
  contact: { id: string; wa_id: string | null; bsuid: string | null; channel: string };
  message: Extract<MessageContent, { type: 'template' }>;
  attribution?: MessageQueuedPayload['attribution'];
}

/**
 * Queues many template messages in the caller's transaction with a fixed number of statements
 * (messages, outbox rows, `message.queued` events: one insert each), for bulk sends such as
 * reminders, where queueMessage's few round trips per message would be slower than the
 * sender. Same rows and events as queueMessage; the caller has checked the people (templates
 * need no open window). Returns the message ids in input order.
 */
export async function queueTemplates(
  tx: Tx,
  sends: readonly TemplateSend[],
  source: string,
  now = new Date(),
): Promise<string[]> {
  if (sends.length === 0) return [];
  for (const [i, send] of sends.entries()) {
    const parsed = templateMessageSchema.safeParse(send.message);
    if (!parsed.success) {
      const fields = fieldErrorsFromZod(parsed.error.issues).map((f) => ({ ...f, field: `${i}.${f.field}` }));
      throw new AppError('validation_failed', 'invalid template message', fields);
    }
  }
  const inserted = await sql<{ id: string }>`
    insert into messages (channel, contact_id, direction, kind, status)
    select channel, contact_id, 'outbound', 'template', 'queued'
    from unnest(${sends.map((s) => s.contact.channel)}::text[], ${sends.map((s) => s.contact.id)}::bigint[])
      with ordinality as m(channel, contact_id, ord)
    order by ord
    returning id`.execute(tx);
  const ids = inserted.rows.map((r) => r.id);
  const bodies = sends.map((send, i) =>
    buildGraphBody({ waId: send.contact.wa_id, bsuid: send.contact.bsuid }, send.message, {
      callbackData: `parley:${ids[i]}`,
    }),
  );
  await sql`
    insert into outbox (message_id, kind, state, channel, to_wa_id, body)
    select message_id, 'message', 'pending', channel, to_wa_id, body::jsonb
    from unnest(${ids}::bigint[], ${sends.map((s) => s.contact.channel)}::text[], ${sends.map((s) => s.contact.wa_id)}::text[],
      ${bodies.map((b) => JSON.stringify(b.body))}::text[]) as o(message_id, channel, to_wa_id, body)`.execute(
    tx,
  );
  await append(
    tx,
    sends.map((send, i) => ({
      type: 'message.queued' as const,
      source,
      channel: send.contact.channel,
      contact_id: send.contact.id,
      occurred_at: now,
      payload: {
        message_id: ids[i]!,
        ...(send.contact.wa_id ? { wa_id: send.contact.wa_id } : { recipient: send.contact.bsuid! }),
        message_type: 'template' as const,
        body: bodies[i]!.body,
        text: displayText(send.message),
        template: { name: send.message.name, language: send.message.language },
        attribution: send.attribution,
      },
    })),
  );
  return ids;
}
