/**
 * template_events: one row per template.* event. Rows are only inserted, so any split of the
 * log into batches gives the same table. A payload without Meta's template id, name or
 * language (an odd one) stays in events_raw only, because those columns are not nullable.
 */
export const applyTemplateEventsSql = `INSERT INTO template_events BY NAME
    SELECT event_id, log_position, p.template_id, p.meta_template_id, p.name AS template_name, p.language,
      substr(type, length('template.') + 1) AS event, p.category, p.status, p.previous_status, p.reason,
      CASE WHEN type IN ('template.created', 'template.updated') THEN payload->'components' END AS components,
      p.by AS changed_by, occurred_at
    FROM (SELECT *, json_transform(payload,
            '{"template_id": "BIGINT", "meta_template_id": "VARCHAR", "name": "VARCHAR", "language": "VARCHAR",
              "category": "VARCHAR", "status": "VARCHAR", "previous_status": "VARCHAR", "reason": "VARCHAR",
              "by": "VARCHAR"}') AS p
          FROM _batch
          WHERE type IN ('template.created', 'template.updated', 'template.deleted', 'template.status_changed')
            AND schema_version = 1)
    WHERE p.meta_template_id IS NOT NULL AND p.name IS NOT NULL AND p.language IS NOT NULL`;

export const templateEventTypes = [
  'template.created',
  'template.updated',
  'template.deleted',
  'template.status_changed',
] as const;
