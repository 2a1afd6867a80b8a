import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * Fills an empty warehouse (createWarehouseSchema) with `people` contacts, `messages` messages
 * and journey events, generated in DuckDB SQL (seconds, not the hours of appending 20M log
 * events). Distributions: languages en 55% / sw 25% / fr 12% / pt 8%; 1% blocked; labels
 * (vip 5%, mother 30%, pregnant 12%, volunteer 2%); custom fields district (10 choices),
 * age 15-65, consent; messages over 90 days, 45% inbound, with activity skewed to a minority
 * (a power law on contact ids); 8% of outbound messages are reminder sends (20 reminders),
 * inbound button replies; journeys 1-10 started by 40% of people, completed by half of them.
 */
export async function fillSegmentsWarehouse(
  db: DuckDBConnection,
  options: { people: number; messages: number; now: Date },
): Promise<void> {
  const now = `TIMESTAMPTZ '${options.now.toISOString()}'`;
  // People columns (labels, opt-in...) that the mirror's contacts table may lack.
  for (const [name, type] of [
    ['labels', 'VARCHAR[]'],
    ['opt_in', 'VARCHAR'],
    ['timezone', 'VARCHAR'],
  ]) {
    await db.run(`ALTER TABLE contacts ADD COLUMN IF NOT EXISTS ${name} ${type}`);
  }
  await db.run(`INSERT INTO contacts BY NAME
    SELECT range + 1 AS contact_id, 'whatsapp' AS channel, '2547' || lpad((range + 1)::VARCHAR, 8, '0') AS wa_id,
      'Person ' || (range + 1) AS name,
      CASE WHEN hash(range, 'l') % 100 < 55 THEN 'en' WHEN hash(range, 'l') % 100 < 80 THEN 'sw'
           WHEN hash(range, 'l') % 100 < 92 THEN 'fr' ELSE 'pt' END AS language,
      hash(range, 'b') % 100 = 0 AS blocked,
      list_filter(['vip', 'mother', 'pregnant', 'volunteer'], (l, i) ->
        hash(range, l) % 100 < [5, 30, 12, 2][i]) AS labels,
      ['unknown', 'opted_in', 'opted_in', 'opted_out'][(hash(range, 'o') % 4)::BIGINT + 1] AS opt_in,
      json_object('district', 'd' || (hash(range, 'd') % 10), 'age', 15 + hash(range, 'a') % 50,
        'consent', hash(range, 'c') % 2 = 0) AS custom_fields,
      ${now} - INTERVAL 120 DAY AS created_at, ${now} - INTERVAL 120 DAY AS updated_at,
      range + 1 AS updated_log_position
    FROM range(${options.people})`);
  await db.run(`INSERT INTO messages BY NAME
    SELECT * EXCLUDE (at_time) FROM (SELECT range + 1 AS message_id, range + 1 AS updated_log_position,
      1 + floor(${options.people} * pow(hash(range, 'p') % 1000000 / 1000000.0, 2))::BIGINT AS contact_id,
      'whatsapp' AS channel,
      CASE WHEN hash(range, 'dir') % 100 < 45 THEN 'inbound' ELSE 'outbound' END AS direction,
      CASE WHEN hash(range, 'btn') % 100 < 6 THEN 'interactive' ELSE 'text' END AS message_type,
      ${now} - to_microseconds((hash(range, 't') % (90 * 86400000000))::BIGINT) AS at_time,
      CASE WHEN direction = 'inbound' THEN at_time END AS received_at,
      CASE WHEN direction = 'outbound' THEN at_time END AS sent_at,
      at_time AS status_at, at_time AS created_at,
      CASE WHEN direction = 'outbound' THEN 'delivered' ELSE 'received' END AS status,
      CASE WHEN direction = 'outbound' AND hash(range, 'r') % 100 < 8 THEN 'r' || (hash(range, 'rid') % 20) END AS reminder_id,
      CASE WHEN direction = 'inbound' AND message_type = 'interactive' THEN ['yes', 'no', 'later'][(hash(range, 'y') % 3)::BIGINT + 1] END
        AS interactive_reply_id
    FROM range(${options.messages}))`);
  await db.run(`INSERT INTO journey_events BY NAME
    WITH runs AS (
      SELECT p.range + 1 AS contact_id, j.range + 1 AS journey_id, hash(p.range, j.range) % 100 AS roll
      FROM range(${options.people}) p, range(10) j WHERE hash(p.range, j.range, 's') % 100 < 4
    ), steps AS (
      SELECT *, 'started' AS event, NULL AS reason FROM runs
      UNION ALL SELECT *, 'completed', NULL FROM runs WHERE roll < 50
      UNION ALL SELECT *, 'dropped', 'timeout' FROM runs WHERE roll >= 70
    )
    SELECT row_number() OVER () AS event_id, row_number() OVER () AS log_position, contact_id, 'whatsapp' AS channel,
      journey_id::VARCHAR AS journey_id, contact_id || '-' || journey_id AS run_id,
      CASE WHEN event = 'dropped' THEN 'card-' || (roll % 5) END AS card_id, event, reason,
      ${now} - INTERVAL 30 DAY AS occurred_at
    FROM steps`);
  await db.run(`UPDATE contacts SET first_message_received_at = m.first_at, last_message_received_at = m.last_at,
      last_seen_at = m.last_at
    FROM (SELECT contact_id, min(received_at) AS first_at, max(received_at) AS last_at FROM messages
          WHERE direction = 'inbound' GROUP BY contact_id) m
    WHERE contacts.contact_id = m.contact_id`);
}
