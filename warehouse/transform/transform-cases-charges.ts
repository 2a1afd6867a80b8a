import { event, shown, type TransformCase } from './transform-cases.js';

const charge = (minute: number, id: number, payload: Record<string, unknown> = {}) =>
  event(
    'charge.created',
    minute,
    {
      charge_id: String(id),
      message_id: String(100 + id),
      amount_micros: 37_900,
      currency: 'USD',
      category: 'marketing',
      pricing_model: 'PMP',
      rate_card_id: '1',
      calling_code: '27',
      market: 'South Africa',
      reserved_micros: 37_900,
      ...payload,
    },
    { source: 'billing' },
  );

export const chargeCases: TransformCase[] = [
  {
    name: 'charge.created: one charges row each, amounts as exact integers',
    events: [
      charge(0, 1),
      charge(1, 2, { amount_micros: 7600, category: 'utility', pricing_model: null }),
      event(
        'charge.reserved',
        2,
        { message_id: '103', amount_micros: 1, currency: 'USD', calling_code: '27', market: 'South Africa' },
        { source: 'billing' },
      ),
    ],
    expect: [
      {
        sql: 'SELECT charge_id, message_id, amount_micros, category, pricing_model, calling_code, market, rate_card_id, reserved_micros, charged_at FROM charges ORDER BY log_position',
        rows: [
          {
            charge_id: '1',
            message_id: '101',
            amount_micros: '37900',
            category: 'marketing',
            pricing_model: 'PMP',
            calling_code: '27',
            market: 'South Africa',
            rate_card_id: '1',
            reserved_micros: '37900',
            charged_at: shown(0),
          },
          {
            charge_id: '2',
            message_id: '102',
            amount_micros: '7600',
            category: 'utility',
            pricing_model: null,
            calling_code: '27',
            market: 'South Africa',
            rate_card_id: '1',
            reserved_micros: '37900',
            charged_at: shown(1),
          },
        ],
      },
      { sql: 'SELECT sum(amount_micros)::BIGINT AS total FROM charges', rows: [{ total: '45500' }] },
    ],
  },
  {
    name: 'reminder.send: one reminder_sends row each, queued or skipped with the reason',
    events: [
      event(
        'reminder.send',
        0,
        { reminder_id: '4', run_id: '9', outcome: 'queued', skip_reason: null, message_id: '501' },
        { source: 'engine' },
      ),
      event(
        'reminder.send',
        1,
        { reminder_id: '4', run_id: '9', outcome: 'skipped', skip_reason: 'blocked', message_id: null },
        { source: 'engine' },
      ),
    ],
    expect: [
      {
        sql: 'SELECT reminder_id, run_id, outcome, skip_reason, message_id, occurred_at FROM reminder_sends ORDER BY log_position',
        rows: [
          {
            reminder_id: '4',
            run_id: '9',
            outcome: 'queued',
            skip_reason: null,
            message_id: '501',
            occurred_at: shown(0),
          },
          {
            reminder_id: '4',
            run_id: '9',
            outcome: 'skipped',
            skip_reason: 'blocked',
            message_id: null,
            occurred_at: shown(1),
          },
        ],
      },
    ],
  },
];
