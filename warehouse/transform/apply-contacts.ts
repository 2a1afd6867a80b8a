import { builtInContactFields } from '../../core/log/events/contact.schema.js';

/**
 * contacts and contact_changes. A contact row is created by the first contact.created of its
 * id (ingest appends it before the person's first message, in the same transaction; a
 * repeated one changes nothing); contact.updated changes
 * are folded per field, the last change in log order winning. Known fields are typed
 * columns; every other field lives in custom_fields, whose keys are kept sorted so that the
 * JSON text is the same however the log was split into batches.
 */
// builtInContactFields of core/log/events/contact.schema.ts: each has a column of its own.
const typedFields = builtInContactFields.map((field) => `'${field}'`).join(', ');

const customFieldsMerge = `to_json(map_from_entries(list_filter(
    list_sort(map_entries(map_concat(json_transform(contacts.custom_fields, '"MAP(VARCHAR, JSON)"'), u.custom))),
    e -> e.value IS NOT NULL AND e.value::VARCHAR <> 'null')))`;

export const applyContactsSql: readonly string[] = [
  `INSERT INTO contacts BY NAME
    SELECT contact_id, contact_channel AS channel, wa_id, bsuid, parent_bsuid, username, name, 'unknown' AS opt_in,
      'unknown' AS marketing_opt_in, false AS blocked,
      []::VARCHAR[] AS labels, '{}'::JSON AS custom_fields,
      occurred_at AS created_at, occurred_at AS updated_at, log_position AS updated_log_position
    FROM _created x
    WHERE contact_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.contact_id = x.contact_id)
    QUALIFY row_number() OVER (PARTITION BY contact_id ORDER BY log_position) = 1`,
  `INSERT INTO contact_changes BY NAME
    SELECT event_id, log_position, contact_id, channel, field, old_value, new_value, changed_by,
      occurred_at AS changed_at
    FROM _changes`,
  `UPDATE contacts SET
      name = CASE WHEN u.has_name THEN u.name ELSE contacts.name END,
      language = CASE WHEN u.has_language THEN u.language ELSE contacts.language END,
      timezone = CASE WHEN u.has_timezone THEN u.timezone ELSE contacts.timezone END,
      opt_in = CASE WHEN u.has_opt_in THEN coalesce(u.opt_in, 'unknown') ELSE contacts.opt_in END,
      blocked = CASE WHEN u.has_blocked THEN u.blocked ELSE contacts.blocked END,
      labels = CASE WHEN u.has_labels
        THEN coalesce(list_sort(list_distinct(json_transform(u.labels, '["VARCHAR"]'))), []) ELSE contacts.labels END,
      custom_fields = CASE WHEN u.custom IS NULL THEN contacts.custom_fields ELSE ${customFieldsMerge} END,
      updated_at = greatest(contacts.updated_at, u.changed_at),
      updated_log_position = greatest(contacts.updated_log_position, u.log_position)
    FROM (
      SELECT contact_id,
        bool_or(field = 'name') AS has_name, max(CASE WHEN field = 'name' THEN new_value->>'$' END) AS name,
        bool_or(field = 'language') AS has_language,
        max(CASE WHEN field = 'language' THEN new_value->>'$' END) AS language,
        bool_or(field = 'timezone') AS has_timezone,
        max(CASE WHEN field = 'timezone' THEN new_value->>'$' END) AS timezone,
        bool_or(field = 'opt_in') AS has_opt_in, max(CASE WHEN field = 'opt_in' THEN new_value->>'$' END) AS opt_in,
        bool_or(field = 'labels') AS has_labels, max(CASE WHEN field = 'labels' THEN new_value END) AS labels,
        bool_or(field = 'blocked') AS has_blocked,
        coalesce(bool_or(CASE WHEN field = 'blocked' THEN TRY_CAST(new_value->>'$' AS BOOLEAN) END), false) AS blocked,
        map_from_entries(list({'key': field, 'value': coalesce(new_value, 'null'::JSON)})
          FILTER (WHERE field NOT IN (${typedFields}))) AS custom,
        max(occurred_at) AS changed_at, max(log_position) AS log_position
      FROM (SELECT * FROM _changes WHERE contact_id IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY contact_id, field ORDER BY log_position DESC) = 1)
      GROUP BY contact_id
    ) u
    WHERE contacts.contact_id = u.contact_id`,
];

/**
 * When the person wrote (not system notices, which WhatsApp sends) and when they read one
 * of our messages. Min/max folds give the same result for any batch boundaries. Runs after
 * the batch's messages are inserted, for statuses of messages queued in the same batch.
 */
export const applyContactActivitySql: readonly string[] = [
  `UPDATE contacts SET
      first_message_received_at = least(contacts.first_message_received_at, a.first_received),
      last_message_received_at = greatest(contacts.last_message_received_at, a.last_received),
      last_seen_at = greatest(contacts.last_seen_at, a.last_seen),
      updated_log_position = greatest(contacts.updated_log_position, a.log_position)
    FROM (
      SELECT contact_id, min(at_time) FILTER (WHERE inbound) AS first_received,
        max(at_time) FILTER (WHERE inbound) AS last_received, max(at_time) AS last_seen, max(log_position) AS log_position
      FROM (
        SELECT contact_id, received_at AS at_time, true AS inbound, log_position
        FROM _received WHERE message_type IS DISTINCT FROM 'system'
        UNION ALL
        SELECT coalesce(s.contact_id, m.contact_id), s.status_at, false, s.log_position
        FROM (SELECT * FROM _status WHERE status = 'read') s
        LEFT JOIN (SELECT message_id, contact_id FROM messages WHERE message_id BETWEEN :lo AND :hi) m
          ON m.message_id = s.message_id
      )
      WHERE contact_id IS NOT NULL
      GROUP BY contact_id
    ) a
    WHERE contacts.contact_id = a.contact_id`,
];
