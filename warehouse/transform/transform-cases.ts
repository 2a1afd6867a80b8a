import type { LogRow } from '../testing/copy-csv.js';

/** A transform test case: events in log order, then SQL over the warehouse and its exact rows. */
export interface TransformCase {
  name: string;
  events: LogRow[];
  expect: { sql: string; rows: Record<string, unknown>[] }[];
}

/** 2026-11-25 10:00 UTC plus `minutes`, in Postgres' and DuckDB's text form. */
export const at = (minutes: number) =>
  new Date(Date.UTC(2026, 10, 25, 10, 0) + minutes * 60_000).toISOString();
export const shown = (minutes: number) =>
  at(minutes)
    .replace('T', ' ')
    .replace(/\.000Z$/, '+00');

let nextId = 0;
export function event(type: string, minute: number, payload: unknown, extra: Partial<LogRow> = {}): LogRow {
  return {
    id: ++nextId,
    type,
    occurred_at: at(minute),
    contact_id: 7,
    channel: 'whatsapp',
    source: 'whatsapp',
    payload,
    ...extra,
  };
}

export const created = (minute: number, name: string | null = 'Jane') =>
  event('contact.created', minute, { wa_id: '254700000007', name, channel: 'whatsapp' });
export const received = (
  minute: number,
  messageId: number,
  content: Record<string, unknown> = { text: 'hi' },
  type = 'text',
) =>
  event('message.received', minute, {
    message_id: String(messageId),
    external_id: `wamid.in${messageId}`,
    wa_id: '254700000007',
    profile_name: 'Jane',
    message_type: type,
    timestamp: at(minute),
    raw: { id: `wamid.in${messageId}` },
    ...content,
  });
export const queued = (minute: number, messageId: number, extra: Record<string, unknown> = {}) =>
  event(
    'message.queued',
    minute,
    {
      message_id: String(messageId),
      wa_id: '254700000007',
      message_type: 'text',
      text: 'hello',
      body: { messaging_product: 'whatsapp', to: '254700000007', type: 'text', text: { body: 'hello' } },
      ...extra,
    },
    { source: 'api' },
  );
export const sent = (minute: number, messageId: number) =>
  event(
    'message.sent',
    minute,
    { message_id: String(messageId), external_id: `wamid.out${messageId}`, attempts: 2 },
    { source: 'sender' },
  );
export const status = (
  minute: number,
  messageId: number | null,
  value: string,
  extra: Record<string, unknown> = {},
) =>
  event('message.status', minute + 1, {
    message_id: messageId === null ? null : String(messageId),
    external_id: `wamid.out${messageId ?? 99}`,
    status: value,
    timestamp: at(minute),
    ...extra,
  });
