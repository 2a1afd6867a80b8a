import { event, shown, type TransformCase } from './transform-cases.js';

const components = [{ type: 'BODY', text: 'Hi {{1}}, your clinic visit is on {{2}}.' }];
const template = (type: string, minute: number, payload: Record<string, unknown>) =>
  event(`template.${type}`, minute, payload, { source: 'templates', contact_id: null, channel: null });
const fields = {
  template_id: '5',
  name: 'visit_reminder',
  language: 'en',
  category: 'UTILITY',
  parameter_format: 'positional',
  components,
  meta_template_id: '1234567890',
  by: 'user:1',
};

export const templateCases: TransformCase[] = [
  {
    name: 'template.* events: one template_events row each, with the status history; an odd payload stays in events_raw',
    events: [
      template('created', 0, { ...fields, status: 'PENDING' }),
      template('status_changed', 1, {
        template_id: '5',
        meta_template_id: '1234567890',
        name: 'visit_reminder',
        language: 'en',
        event: 'REJECTED',
        status: 'REJECTED',
        previous_status: 'PENDING',
        reason: 'INVALID_FORMAT',
        category: null,
        detail: null,
        waba_id: '102290129340398',
      }),
      template('updated', 2, { ...fields, status: 'PENDING' }),
      template('deleted', 3, {
        template_id: '5',
        name: 'visit_reminder',
        language: 'en',
        meta_template_id: '1234567890',
        by: 'user:1',
      }),
      template('status_changed', 4, { template_id: null, name: 'made_elsewhere' }),
    ],
    expect: [
      {
        sql: 'SELECT event_id, template_id, meta_template_id, template_name, language, event, category, status, previous_status, reason, components, changed_by, occurred_at FROM template_events ORDER BY log_position',
        rows: [
          ['created', 'UTILITY', 'PENDING', null, null, components, 'user:1', 0],
          ['status_changed', null, 'REJECTED', 'PENDING', 'INVALID_FORMAT', null, null, 1],
          ['updated', 'UTILITY', 'PENDING', null, null, components, 'user:1', 2],
          ['deleted', null, null, null, null, null, 'user:1', 3],
        ].map(([name, category, status, previous, reason, parts, by, minute], i) => ({
          event_id: String(i + 1),
          template_id: '5',
          meta_template_id: '1234567890',
          template_name: 'visit_reminder',
          language: 'en',
          event: name,
          category,
          status,
          previous_status: previous,
          reason,
          // JSON columns read back as their JSON text.
          components: parts === null ? null : JSON.stringify(parts),
          changed_by: by,
          occurred_at: shown(Number(minute)),
        })),
      },
      { sql: `SELECT count(*) AS n FROM events_raw WHERE type LIKE 'template.%'`, rows: [{ n: '5' }] },
    ],
  },
];
