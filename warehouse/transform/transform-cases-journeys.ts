import { event, shown, type TransformCase } from './transform-cases.js';

const journey = (type: string, minute: number, payload: Record<string, unknown>) =>
  event(`journey.${type}`, minute, { journey_id: '3', run_id: '41', ...payload }, { source: 'engine' });

export const journeyCases: TransformCase[] = [
  {
    name: 'journey.* events: one journey_events row each; a payload without run id stays in events_raw',
    events: [
      journey('started', 0, { trigger: 'keyword' }),
      journey('card_entered', 1, { card_id: 'welcome' }),
      journey('card_entered', 2, { card_id: 'ask-age' }),
      journey('dropped', 3, { card_id: 'ask-age', reason: 'timeout' }),
      journey('started', 4, { run_id: '42' }),
      journey('completed', 5, { run_id: '42', card_id: 'thanks' }),
      event('journey.started', 6, { journey_id: '3' }, { source: 'engine' }),
    ],
    expect: [
      {
        sql: 'SELECT event_id, contact_id, channel, journey_id, run_id, card_id, event, reason, occurred_at FROM journey_events ORDER BY log_position',
        rows: [
          ['started', null, null, 0, '41'],
          ['card_entered', 'welcome', null, 1, '41'],
          ['card_entered', 'ask-age', null, 2, '41'],
          ['dropped', 'ask-age', 'timeout', 3, '41'],
          ['started', null, null, 4, '42'],
          ['completed', 'thanks', null, 5, '42'],
        ].map(([name, card, reason, minute, run], i) => ({
          event_id: String(i + 1),
          contact_id: '7',
          channel: 'whatsapp',
          journey_id: '3',
          run_id: run,
          card_id: card,
          event: name,
          reason,
          occurred_at: shown(Number(minute)),
        })),
      },
      { sql: `SELECT count(*) AS n FROM events_raw WHERE type LIKE 'journey.%'`, rows: [{ n: '7' }] },
    ],
  },
];
