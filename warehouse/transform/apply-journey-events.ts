/**
 * journey_events: one row per journey.started / card_entered / completed / dropped event.
 * Rows are only inserted, so any split of the log into batches gives the same table.
 * json_transform yields NULL for a missing field; a run without journey or run id (an odd
 * payload) stays in events_raw only, because those columns are not nullable.
 */
export const applyJourneyEventsSql = `INSERT INTO journey_events BY NAME
    SELECT event_id, log_position, contact_id, channel, p.journey_id, p.run_id, p.card_id,
      substr(type, length('journey.') + 1) AS event, p.reason, occurred_at
    FROM (SELECT *, json_transform(payload,
            '{"journey_id": "VARCHAR", "run_id": "VARCHAR", "card_id": "VARCHAR", "reason": "VARCHAR"}') AS p
          FROM _batch
          WHERE type IN ('journey.started', 'journey.card_entered', 'journey.completed', 'journey.dropped')
            AND schema_version = 1)
    WHERE p.journey_id IS NOT NULL AND p.run_id IS NOT NULL`;

export const journeyEventTypes = [
  'journey.started',
  'journey.card_entered',
  'journey.completed',
  'journey.dropped',
] as const;
