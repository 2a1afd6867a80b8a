import { created, event, queued, received, shown, status, type TransformCase } from './transform-cases.js';

const updated = (minute: number, changes: unknown, by = 'user:1') =>
  event('contact.updated', minute, { changes, by });
const erased = (minute: number) => event('contact.erased', minute, { by: 'user:1', reason: 'ticket 12' });

/** A person's profile and messages of every personal kind, before an erasure. */
export const erasureHistory = [
  created(0, 'Jane'),
  updated(1, {
    name: { from: 'Jane', to: 'Janet' },
    timezone: { from: null, to: 'Africa/Nairobi' },
    opt_in: { from: 'unknown', to: 'opted_in' },
    labels: { from: [], to: ['mother', 'kisumu'] },
    district: { from: null, to: 'Kisumu' },
  }),
  updated(2, { language: { from: null, to: 'sw' }, blocked: { from: false, to: true } }),
  received(3, 10, { text: 'my secret' }),
  received(4, 11, { media: { id: 'm1', mime_type: 'image/jpeg', caption: 'my baby' } }, 'image'),
  received(5, 12, { location: { latitude: -0.1, longitude: 34.7, name: 'home' } }, 'location'),
  received(6, 13, { button: { payload: 'yes-1', text: 'Yes please' } }, 'button'),
  received(7, 14, { interactive: { type: 'button_reply', id: 'b1', title: 'Book a visit' } }, 'interactive'),
  queued(8, 20, { text: 'Hello Janet', attribution: { reminder_id: '3' } }),
  status(9, 20, 'delivered', {
    recipient_id: '254700000007',
    pricing: { billable: true, category: 'utility' },
  }),
];

export const erasureCases: TransformCase[] = [
  {
    name: 'contact.updated of built-in fields: typed timezone, opt_in, labels (sorted, unique); custom_fields only custom',
    events: [
      created(0),
      updated(1, {
        timezone: { from: null, to: 'Africa/Nairobi' },
        opt_in: { from: 'unknown', to: 'opted_out' },
        labels: { from: [], to: ['b', 'a', 'b'] },
        district: { from: null, to: 'Kisumu' },
      }),
      updated(2, { timezone: { from: 'Africa/Nairobi', to: null }, labels: { from: ['a', 'b'], to: null } }),
      updated(3, { labels: { from: [], to: ['z'] }, opt_in: { from: 'opted_out', to: null } }),
    ],
    expect: [
      {
        sql: 'SELECT timezone, opt_in, labels::VARCHAR AS labels, custom_fields, erased_at FROM contacts',
        rows: [
          {
            timezone: null,
            opt_in: 'unknown',
            labels: '[z]',
            custom_fields: '{"district":"Kisumu"}',
            erased_at: null,
          },
        ],
      },
    ],
  },
  {
    name: 'contact.erased blanks every personal column of the rows before it and keeps every row',
    events: [...erasureHistory, erased(10)],
    expect: [
      {
        sql: `SELECT wa_id, name, language, timezone, opt_in, blocked, labels::VARCHAR AS labels, custom_fields,
          first_message_received_at, erased_at, updated_at, updated_log_position FROM contacts`,
        rows: [
          {
            wa_id: null,
            name: null,
            language: null,
            timezone: null,
            opt_in: 'opted_in',
            blocked: true,
            labels: '[]',
            custom_fields: '{}',
            first_message_received_at: shown(3),
            erased_at: shown(10),
            updated_at: shown(10),
            updated_log_position: '11',
          },
        ],
      },
      {
        sql: `SELECT message_id, wa_id, message_type, text, media_id, media_mime_type, media_caption, location_latitude,
          button_payload, button_text, interactive_reply_id, interactive_reply_title, reminder_id, status
          FROM messages ORDER BY message_id`,
        rows: [
          ['10', 'text', null, null, null, null, null, null, null],
          ['11', 'image', null, null, 'image/jpeg', null, null, null, null],
          ['12', 'location', null, null, null, null, null, null, null],
          ['13', 'button', null, null, null, null, 'yes-1', null, null],
          ['14', 'interactive', null, null, null, null, null, 'b1', null],
          ['20', 'text', null, null, null, null, null, null, '3'],
        ].map(([id, type, text, media, mime, caption, payload, replyId, reminder]) => ({
          message_id: id,
          wa_id: null,
          message_type: type,
          text,
          media_id: media,
          media_mime_type: mime,
          media_caption: caption,
          location_latitude: null,
          button_payload: payload,
          button_text: null,
          interactive_reply_id: replyId,
          interactive_reply_title: null,
          reminder_id: reminder,
          status: id === '20' ? 'delivered' : 'received',
        })),
      },
      {
        sql: `SELECT field, old_value, new_value FROM contact_changes ORDER BY log_position, field`,
        rows: [
          ['district', null, null],
          ['labels', null, null],
          ['name', null, null],
          ['opt_in', '"unknown"', '"opted_in"'],
          ['timezone', null, null],
          ['blocked', 'false', 'true'],
          ['language', null, null],
        ].map(([field, old_value, new_value]) => ({ field, old_value, new_value })),
      },
      {
        sql: 'SELECT status, recipient_wa_id, pricing_category FROM message_statuses',
        rows: [{ status: 'delivered', recipient_wa_id: null, pricing_category: 'utility' }],
      },
      {
        sql: `SELECT type, count(*) AS n, count(*) FILTER (WHERE payload::VARCHAR = '{"erased":true}') AS blanked
          FROM events_raw GROUP BY type ORDER BY type`,
        rows: [
          { type: 'contact.created', n: '1', blanked: '1' },
          { type: 'contact.erased', n: '1', blanked: '0' },
          { type: 'contact.updated', n: '2', blanked: '2' },
          { type: 'message.queued', n: '1', blanked: '1' },
          { type: 'message.received', n: '5', blanked: '5' },
          { type: 'message.status', n: '1', blanked: '1' },
        ],
      },
      {
        sql: 'SELECT count(*) AS n, sum(inbound_count) AS inbound FROM conversations',
        rows: [{ n: '1', inbound: '5' }],
      },
    ],
  },
  {
    name: 'contact.erased leaves what comes after it (a change, a message, a status) as a later batch would',
    events: [
      ...erasureHistory,
      erased(10),
      updated(11, { name: { from: null, to: 'New' }, district: { from: null, to: 'Nyeri' } }),
      received(12, 15, { text: 'after erasure' }),
      status(13, 20, 'read', { recipient_id: '254700000007' }),
    ],
    expect: [
      {
        sql: 'SELECT wa_id, name, labels::VARCHAR AS labels, custom_fields, erased_at FROM contacts',
        rows: [
          {
            wa_id: null,
            name: 'New',
            labels: '[]',
            custom_fields: '{"district":"Nyeri"}',
            erased_at: shown(10),
          },
        ],
      },
      {
        sql: 'SELECT message_id, text FROM messages WHERE text IS NOT NULL',
        rows: [{ message_id: '15', text: 'after erasure' }],
      },
      {
        sql: 'SELECT status, recipient_wa_id FROM message_statuses ORDER BY log_position',
        rows: [
          { status: 'delivered', recipient_wa_id: null },
          { status: 'read', recipient_wa_id: '254700000007' },
        ],
      },
    ],
  },
];
