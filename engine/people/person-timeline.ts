import type { DbOrTx } from '../../core/db/database.js';
import { getPerson } from './person-record.js';

export interface TimelineItem {
  eventId: string;
  type: string;
  occurredAt: string;
  title: string;
  detail: string | null;
  direction?: 'inbound' | 'outbound';
}

/** Hides a personal value (a name) from callers without pii.read; the API passes its masker. */
export type Redact = (value: string) => string;

/**
 * A person's history from the log, newest first, a page before `beforeEventId`, each event
 * with a title a person can read (messages with their text, status changes, profile changes,
 * journey steps, reminders, operator actions). Reads events by (contact_id, id), which the
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
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (input.beforeEventId) query = query.where('id', '<', input.beforeEventId);
  const rows = await query.execute();
  const redact = input.redactName ?? ((v: string) => v);
  const items = rows.slice(0, limit).map((row) => ({
    eventId: row.id,
    type: row.type,
    occurredAt: row.occurred_at.toISOString(),
    ...describe(row.type, (row.payload ?? {}) as Record<string, unknown>, redact),
  }));
  return { items, nextBeforeEventId: rows.length > limit ? (items.at(-1)?.eventId ?? null) : null };
}

type Described = Pick<TimelineItem, 'title' | 'detail' | 'direction'>;

function describe(type: string, p: Record<string, unknown>, redact: Redact): Described {
  const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
  switch (type) {
    case 'message.received':
      return {
        title: `Sent us a ${p.message_type ?? 'message'}`,
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
        title: template?.name ? `Template ${template.name} queued${via}` : `Message queued${via}`,
        detail: text(p.text),
        direction: 'outbound',
      };
    }
    case 'message.sent':
      return { title: 'Message sent to WhatsApp', detail: null, direction: 'outbound' };
    case 'message.status': {
      const errors = Array.isArray(p.errors) ? (p.errors as { code?: number; title?: string }[]) : [];
      const detail = errors.map((e) => `${e.code ?? ''} ${e.title ?? ''}`.trim()).join('; ');
      return { title: `Message ${p.status}`, detail: detail || null, direction: 'outbound' };
    }
    case 'message.marked_read':
      return { title: 'Their message marked as read', detail: null };
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
