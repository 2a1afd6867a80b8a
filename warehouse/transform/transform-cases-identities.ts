import { event, received, shown, type TransformCase } from './transform-cases.js';

const as8 = { contact_id: 8 };

export const identityCases: TransformCase[] = [
  {
    name: 'identities, a marketing opt-out and a merge: the merged person counts once, under the survivor',
    events: [
      event('contact.created', 0, { wa_id: '254700000007', name: 'Jane', channel: 'whatsapp' }),
      received(1, 1),
      event(
        'contact.created',
        2,
        { bsuid: 'KE.1000000000000007', username: 'jane.k', name: 'Jane', channel: 'whatsapp' },
        as8,
      ),
      event(
        'message.received',
        3,
        {
          message_id: '2',
          external_id: 'wamid.in2',
          user_id: 'KE.1000000000000007',
          username: 'jane.k',
          message_type: 'text',
          timestamp: '2026-11-25T10:03:00.000Z',
          text: 'hi again',
          raw: {},
        },
        as8,
      ),
      event('contact.marketing_preference', 4, {
        marketing_opt_in: 'opted_out',
        at: '2026-11-25T10:04:00.000Z',
        source: 'whatsapp',
      }),
      event('contact.merged', 5, { surviving_contact_id: '7', merged_contact_id: '8', by: 'whatsapp' }),
      event('contact.identity_added', 5, { kind: 'bsuid', value: 'KE.1000000000000007', by: 'whatsapp' }),
      event('contact.identity_added', 5, { kind: 'username', value: 'jane.k', by: 'whatsapp' }),
      event('contact.identity_changed', 6, { kind: 'username', from: 'jane.k', to: 'janek', by: 'whatsapp' }),
      received(7, 3),
    ],
    expect: [
      {
        sql: `SELECT contact_id, wa_id, bsuid, parent_bsuid, username, marketing_opt_in, marketing_opt_in_at,
          marketing_opt_in_source, first_message_received_at, last_message_received_at FROM contacts`,
        rows: [
          {
            contact_id: '7',
            wa_id: '254700000007',
            bsuid: 'KE.1000000000000007',
            parent_bsuid: null,
            username: 'janek',
            marketing_opt_in: 'opted_out',
            marketing_opt_in_at: shown(4),
            marketing_opt_in_source: 'whatsapp',
            first_message_received_at: shown(1),
            last_message_received_at: shown(7),
          },
        ],
      },
      {
        sql: 'SELECT contact_id, count(*) AS messages FROM messages GROUP BY contact_id',
        rows: [{ contact_id: '7', messages: '3' }],
      },
    ],
  },
  {
    name: 'a merge moves the merged person’s charges and reminder sends to the survivor, as their messages',
    events: [
      event('contact.created', 0, { wa_id: '254700000007', name: 'Jane', channel: 'whatsapp' }),
      event('contact.created', 1, { bsuid: 'KE.1000000000000007', channel: 'whatsapp' }, as8),
      event(
        'reminder.send',
        2,
        { reminder_id: '4', run_id: '9', outcome: 'queued', skip_reason: null, message_id: '501' },
        { ...as8, source: 'engine' },
      ),
      event(
        'charge.created',
        3,
        {
          charge_id: '1',
          message_id: '501',
          amount_micros: 7600,
          currency: 'USD',
          category: 'utility',
          pricing_model: 'PMP',
          rate_card_id: '1',
          calling_code: '254',
          market: 'Kenya',
          reserved_micros: 7600,
        },
        { ...as8, source: 'billing' },
      ),
      event(
        'reminder.send',
        4,
        { reminder_id: '4', run_id: '9', outcome: 'skipped', skip_reason: 'blocked', message_id: null },
        { source: 'engine' },
      ),
      event('contact.merged', 5, { surviving_contact_id: '7', merged_contact_id: '8', by: 'whatsapp' }),
    ],
    expect: [
      { sql: 'SELECT contact_id FROM contacts', rows: [{ contact_id: '7' }] },
      {
        sql: 'SELECT contact_id, charge_id, amount_micros FROM charges',
        rows: [{ contact_id: '7', charge_id: '1', amount_micros: '7600' }],
      },
      {
        sql: 'SELECT contact_id, outcome, message_id FROM reminder_sends ORDER BY log_position',
        rows: [
          { contact_id: '7', outcome: 'queued', message_id: '501' },
          { contact_id: '7', outcome: 'skipped', message_id: null },
        ],
      },
    ],
  },
  {
    name: 'a chain of merges (9 into 8, then 8 into 7) lands everyone under 7, in one batch as in two',
    events: [
      event('contact.created', 0, { wa_id: '254700000007', channel: 'whatsapp' }),
      event('contact.created', 0, { wa_id: '254700000008', channel: 'whatsapp' }, as8),
      event('contact.created', 0, { wa_id: '254700000009', channel: 'whatsapp' }, { contact_id: 9 }),
      { ...received(1, 1), contact_id: 9 },
      { ...received(2, 2), contact_id: 8 },
      event('contact.merged', 3, { surviving_contact_id: '8', merged_contact_id: '9', by: 'whatsapp' }, as8),
      event('contact.merged', 4, { surviving_contact_id: '7', merged_contact_id: '8', by: 'whatsapp' }),
    ],
    expect: [
      {
        sql: 'SELECT contact_id, first_message_received_at, last_message_received_at FROM contacts',
        rows: [{ contact_id: '7', first_message_received_at: shown(1), last_message_received_at: shown(2) }],
      },
      {
        sql: 'SELECT contact_id, count(*) AS messages FROM messages GROUP BY contact_id',
        rows: [{ contact_id: '7', messages: '2' }],
      },
    ],
  },
];
