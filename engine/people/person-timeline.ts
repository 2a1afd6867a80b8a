import type { DbOrTx } from '../../core/db/database.js';
import { getPerson } from './person-record.js';

export interface TimelineItem {
  eventId: string;
  type: string;
  occurredAt: string;
  title: string;
  detail: string | null;
  direction?: 'inbound' | 'outbound';
  /** A message's latest state in plain words (Sent, Delivered, Read, Failed…), or null. */
  status?: string | null;
}

/**
 * Events that only move a message along (sent, delivered, read, read by us): folded into the
 * message's own row as its status instead of one row each.
 */
const statusTypes = ['message.sent', 'message.status', 'message.marked_read'] as const;

/** Hides a personal value (a name) from callers without pii.read; the API passes its masker. */
export type Redact = (value: string) => string;

/**
 * A person's history from the log, newest first, a page before `beforeEventId`, each event
 * with a title a person can read (messages with their text, profile changes, journey steps,
 * reminders, operator actions). A message is one row with its latest status in plain words;
 * the events that only carry a status are not rows. Reads events by (contact_id, id), which the
 * log indexes.
 */
export async function personTimeline(
  db: DbOrTx,
  input: { id: string; beforeEventId?: string; limit?: number; redactName?: Redact },
): Promise<{ items: TimelineItem[]; nextBeforeEventId: string | null }> {
  await getPerson(db, input.id);
  const limit = Math.min(Math.max(input.limit ?? 50, 1), 200);
  let query = db
    .selectFrom('events')
    .select(['id', 'type', 'occurred_at', 'payload'])
    .where('contact_id', '=', input.id)
    .where('type', 'not in', statusTypes)
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (input.beforeEventId) query = query.where('id', '<', input.beforeEventId);
  const rows = await query.execute();
  const redact = input.redactName ?? ((v: string) => v);
  const page = rows.slice(0, limit);
  const statuses = await messageStatuses(db, input.id, page);
  const items = page.map((row) => {
    const payload = (row.payload ?? {}) as Record<string, unknown>;
    const item: TimelineItem = {
      eventId: row.id,
      type: row.type,
      occurredAt: row.occurred_at.toISOString(),
      ...describe(row.type, payload, redact),
    };
    if (row.type === 'message.queued')
      item.status = statuses.outbound.get(String(payload.message_id)) ?? 'Queued';
    if (row.type === 'message.received')
      item.status = statuses.readByUs.has(String(payload.external_id)) ? 'Read by us' : null;
    return item;
  });
  return { items, nextBeforeEventId: rows.length > limit ? (items.at(-1)?.eventId ?? null) : null };
}

type Described = Pick<TimelineItem, 'title' | 'detail' | 'direction'>;

/** The further a status, the later in a message's life: a late `delivered` never hides `read`. */
const statusOrder: Record<string, number> = { sent: 1, delivered: 2, read: 3, failed: 4 };

/**
 * The latest status of each outbound message of the page (by how far it got, since a channel's
 * statuses can arrive out of order), and which inbound messages we marked read.
 */
async function messageStatuses(
  db: DbOrTx,
  contactId: string,
  page: { type: string; payload: unknown }[],
): Promise<{ outbound: Map<string, string>; readByUs: Set<string> }> {
  const field = (p: unknown, key: string) => String((p as Record<string, unknown> | null)?.[key] ?? '');
  const messageIds = page
    .filter((r) => r.type === 'message.queued')
    .map((r) => field(r.payload, 'message_id'));
  const externalIds = page
    .filter((r) => r.type === 'message.received')
    .map((r) => field(r.payload, 'external_id'));
  const outbound = new Map<string, string>();
  const readByUs = new Set<string>();
  if (messageIds.length === 0 && externalIds.length === 0) return { outbound, readByUs };
  const rows = await db
    .selectFrom('events')
    .select(['type', 'payload'])
    .where('contact_id', '=', contactId)
    .where('type', 'in', statusTypes)
    .orderBy('id')
    .execute();
  const best = new Map<string, { rank: number; words: string }>();
  for (const row of rows) {
    if (row.type === 'message.marked_read') {
      readByUs.add(field(row.payload, 'external_id'));
      continue;
    }
    const id = field(row.payload, 'message_id');
    if (!messageIds.includes(id)) continue;
    const status = row.type === 'message.sent' ? 'sent' : field(row.payload, 'status');
    const rank = statusOrder[status] ?? 0;
    if ((best.get(id)?.rank ?? -1) <= rank) best.set(id, { rank, words: statusWords(status, row.payload) });
  }
  for (const [id, { words }] of best) outbound.set(id, words);
  return { outbound, readByUs };
}

function statusWords(status: string, payload: unknown): string {
  if (status === 'failed') {
    const errors = (payload as { errors?: { code?: number; title?: string }[] } | null)?.errors ?? [];
    const why = errors.map((e) => `${e.code ?? ''} ${e.title ?? ''}`.trim()).join('; ');
    return why ? `Failed: ${why}` : 'Failed';
  }
  return status.charAt(0).toUpperCase() + status.slice(1);
}

/** What a person did, by the type of message they sent, in words. */
function inboundTitle(p: Record<string, unknown>): string {
  const interactive = p.interactive as { type?: string } | undefined;
  switch (p.message_type) {
    case 'text':
      return 'Sent a message';
    case 'interactive':
      return interactive?.type === 'list_reply' ? 'Chose from a list' : 'Sent a button reply';
    case 'button':
      return 'Pressed a button';
    case 'image':
      return 'Sent a photo';
    case 'audio':
      return 'Sent a voice message';
    case 'video':
      return 'Sent a video';
    case 'document':
      return 'Sent a document';
    case 'sticker':
      return 'Sent a sticker';
    case 'location':
      return 'Shared a location';
    case 'contacts':
      return 'Shared a contact';
    case 'reaction':
      return 'Reacted to a message';
    default:
      return 'Sent a message';
  }
}

function describe(type: string, p: Record<string, unknown>, redact: Redact): Described {
  const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
  switch (type) {
    case 'message.received':
      return {
        title: inboundTitle(p),
        detail: text(p.text) ?? buttonText(p),
        direction: 'inbound',
      };
    case 'message.queued': {
      const attribution = (p.attribution ?? {}) as Record<string, unknown>;
      const template = p.template as { name?: string } | undefined;
      const via = attribution.reminder_id
        ? ` (reminder ${attribution.reminder_id})`
        : attribution.journey_id
          ? ` (journey ${attribution.journey_id})`
          : attribution.operator_id
            ? ` (operator ${attribution.operator_id})`
            : '';
      return {
        title: template?.name ? `We sent the template ${template.name}${via}` : `We sent a message${via}`,
        detail: text(p.text),
        direction: 'outbound',
      };
    }
    case 'contact.created':
      return { title: 'Became a contact', detail: null };
    case 'contact.updated':
      return { title: `Profile changed by ${p.by}`, detail: describeChanges(p.changes, redact) };
    case 'contact.erased':
      return { title: 'Personal data erased', detail: text(p.reason) };
    case 'journey.started':
      return { title: `Started journey ${p.journey_id}`, detail: text(p.trigger) };
    case 'journey.card_entered':
      return { title: `Journey ${p.journey_id}: reached card ${p.card_id}`, detail: null };
    case 'journey.completed':
      return { title: `Completed journey ${p.journey_id}`, detail: null };
    case 'journey.dropped':
      return { title: `Dropped out of journey ${p.journey_id}`, detail: text(p.reason) };
    case 'operator.action': {
      const actor = (p.actor ?? {}) as { email?: string; id?: string };
      return { title: `${actor.email ?? actor.id ?? 'someone'}: ${p.action}`, detail: null };
    }
    default:
      return { title: type, detail: null };
  }
}

function buttonText(p: Record<string, unknown>): string | null {
  const interactive = p.interactive as { title?: string } | undefined;
  const button = p.button as { text?: string } | undefined;
  return interactive?.title ?? button?.text ?? null;
}

function describeChanges(changes: unknown, redact: Redact): string | null {
  if (!changes || typeof changes !== 'object') return null;
  const show = (field: string, v: unknown) => {
    if (v === null || v === undefined) return '—';
    if (Array.isArray(v)) return v.length === 0 ? '—' : v.join(', ');
    return field === 'name' && typeof v === 'string' ? redact(v) : String(v);
  };
  return Object.entries(changes as Record<string, { from: unknown; to: unknown }>)
    .map(([field, c]) => `${field}: ${show(field, c.from)} → ${show(field, c.to)}`)
    .join('; ');
}
