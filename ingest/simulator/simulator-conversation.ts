import { sql } from 'kysely';
import { z } from 'zod';
import type { DbOrTx } from '../../core/db/database.js';

export interface SimulatorButton {
  id: string;
  title: string;
}

export interface SimulatorList {
  button: string;
  sections: { title?: string; rows: { id: string; title: string; description?: string }[] }[];
}

/** One message as the test person sees it on their phone. */
export interface SimulatorMessageView {
  id: string;
  direction: 'inbound' | 'outbound';
  at: string;
  type: string;
  text: string | null;
  header?: string;
  footer?: string;
  buttons?: SimulatorButton[];
  list?: SimulatorList;
  /** received (inbound); queued, accepted, sent, delivered, read or failed (outbound). */
  status: string;
  error?: { code: number | null; title: string | null };
}

export interface SimulatorConversation {
  wa_id: string;
  contact: { id: string; name: string | null } | null;
  messages: SimulatorMessageView[];
}

/**
 * The conversation of one test person since their last reset, from the state tables and
 * the log: each message row with the event that created it (message.received for the
 * person's messages, message.queued for ours, whose body is the Graph request).
 */
export async function simulatorConversation(
  db: DbOrTx,
  input: { channel: string; waId: string; limit?: number },
): Promise<SimulatorConversation> {
  const contact = await db
    .selectFrom('contacts')
    .select(['id', 'name'])
    .where('channel', '=', input.channel)
    .where('wa_id', '=', input.waId)
    .executeTakeFirst();
  if (!contact) return { wa_id: input.waId, contact: null, messages: [] };
  const { rows } = await sql<{
    id: string;
    direction: 'inbound' | 'outbound';
    kind: string;
    status: string;
    error_code: number | null;
    error_title: string | null;
    created_at: Date;
    payload: unknown;
  }>`
    with since as (
      select coalesce(max(id), 0) as id from events where contact_id = ${contact.id} and type = 'simulator.reset'
    )
    select * from (
      select m.id::text, m.direction, m.kind, m.status, m.error_code, m.error_title, m.created_at, e.payload
      from events e
      join messages m on m.id = (e.payload->>'message_id')::bigint
      where e.contact_id = ${contact.id} and e.type in ('message.received', 'message.queued')
        and e.id > (select id from since)
      order by m.id desc
      limit ${input.limit ?? 200}
    ) latest order by id::bigint`.execute(db);
  return {
    wa_id: input.waId,
    contact: { id: contact.id, name: contact.name },
    messages: rows.map((row) => {
      const base = {
        id: row.id,
        direction: row.direction,
        at: row.created_at.toISOString(),
        status: row.status,
        ...(row.error_code !== null || row.error_title !== null
          ? { error: { code: row.error_code, title: row.error_title } }
          : {}),
      };
      return row.direction === 'inbound'
        ? { ...base, ...inboundView(row.payload) }
        : { ...base, ...outboundView(row.payload) };
    }),
  };
}

const inboundSchema = z.object({
  message_type: z.string(),
  text: z.string().nullish(),
  interactive: z.object({ title: z.string().optional() }).optional(),
  button: z.object({ text: z.string().optional() }).optional(),
  media: z.object({ caption: z.string().optional() }).optional(),
});

function inboundView(payload: unknown) {
  const p = inboundSchema.safeParse(payload);
  if (!p.success) return { type: 'unknown', text: null };
  const d = p.data;
  const text = d.text ?? d.interactive?.title ?? d.button?.text ?? d.media?.caption ?? `[${d.message_type}]`;
  return { type: d.message_type, text };
}

const textObject = z.object({ text: z.string() });
const outboundSchema = z.object({
  body: z.object({
    type: z.string(),
    text: z.object({ body: z.string() }).optional(),
    interactive: z
      .object({
        type: z.string(),
        header: textObject.optional(),
        body: textObject,
        footer: textObject.optional(),
        action: z.object({
          buttons: z.array(z.object({ reply: z.object({ id: z.string(), title: z.string() }) })).optional(),
          button: z.string().optional(),
          sections: z
            .array(
              z.object({
                title: z.string().optional(),
                rows: z.array(
                  z.object({ id: z.string(), title: z.string(), description: z.string().optional() }),
                ),
              }),
            )
            .optional(),
        }),
      })
      .optional(),
    template: z.object({ name: z.string() }).optional(),
  }),
  text: z.string().nullish(),
});

function outboundView(
  payload: unknown,
): Pick<SimulatorMessageView, 'type' | 'text' | 'header' | 'footer' | 'buttons' | 'list'> {
  const p = outboundSchema.safeParse(payload);
  if (!p.success) return { type: 'unknown', text: null };
  const { body, text } = p.data;
  const interactive = body.interactive;
  if (interactive) {
    const { action } = interactive;
    return {
      type: 'interactive',
      text: interactive.body.text,
      ...(interactive.header && { header: interactive.header.text }),
      ...(interactive.footer && { footer: interactive.footer.text }),
      ...(action.buttons && { buttons: action.buttons.map((b) => b.reply) }),
      ...(action.sections && { list: { button: action.button ?? 'Menu', sections: action.sections } }),
    };
  }
  if (body.template) return { type: 'template', text: text ?? `[template ${body.template.name}]` };
  return { type: body.type, text: body.text?.body ?? text ?? `[${body.type}]` };
}
