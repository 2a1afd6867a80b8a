import { scrubIdempotencyKeySql } from '../../core/log/erasure/scrub-payload.js';

/**
 * contact.erased (DESIGN.md principle 1's one exception): blanks every personal column of
 * the person's rows that came from events before the erasure, keeping the rows (and so
 * every anonymous count). Postgres scrubbed the log's payloads of those events in the same
 * transaction that appended contact.erased (core/log/erase-contact.ts), so a rebuild reads
 * payloads that already lack these values; the columns blanked here are exactly those the
 * scrub removes, which makes the incremental mirror (that saw the data) and a rebuild (that
 * never did) identical. Rows from events after the erasure in the same batch keep their
 * values, as they would in a later batch: the result never depends on batch boundaries.
 */
export const erasedPayload = '{"erased":true}';

/**
 * Columns of messages that hold what a person wrote or was sent, or who they are. The wamids
 * (which encode the number) are blanked too: the log holds their keyed hashes after the
 * erasure, but a mirror cannot compute them (the key stays in Postgres), so both a mirror
 * that saw the wamid and a rebuild that reads the hash end with NULL.
 */
export const erasedMessageColumns = [
  'wa_id',
  'external_id',
  'reaction_to_external_id',
  'context_external_id',
  'text',
  'media_id',
  'media_caption',
  'media_filename',
  'interactive_reply_title',
  'button_text',
  'location_latitude',
  'location_longitude',
  'reaction_emoji',
] as const;

/** Columns of message_statuses that identify the person: their number and the message's wamid. */
export const erasedStatusColumns = ['recipient_wa_id', 'external_id'] as const;

/** Profile fields whose values stay in contact_changes after erasure (anonymous counts need them). */
export const keptChangeFields = ['opt_in', 'blocked'] as const;

const kept = keptChangeFields.map((field) => `'${field}'`).join(', ');

/**
 * contact.erased's links: statuses and read markers of the person whose wamid the erasure
 * hashed, with the message they belong to (apply-statuses.ts folds the statuses; the read
 * markers are applied below). Runs before the status statements of a batch with an erasure.
 */
export const erasureLinksSql = `CREATE OR REPLACE TEMP TABLE _erasure_links AS
    SELECT log_position, CAST(l[1] AS BIGINT) AS event_id, CAST(l[2] AS BIGINT) AS message_id
    FROM (SELECT log_position, unnest(json_transform(payload->'links', '[["VARCHAR"]]')) AS l
          FROM _batch WHERE type = 'contact.erased' AND schema_version = 1)`;

export const applyErasureSql: readonly string[] = [
  // One row per erased person: the last erasure of the batch bounds what is blanked.
  `CREATE OR REPLACE TEMP TABLE _erased AS
    SELECT e.*, coalesce((SELECT list(DISTINCT c.field ORDER BY c.field) FROM _changes c
        WHERE c.contact_id = e.contact_id AND c.log_position > e.log_position), []) AS later_fields
    FROM (SELECT contact_id, max(log_position) AS log_position, min(occurred_at) AS erased_at
          FROM _batch WHERE type = 'contact.erased' AND schema_version = 1 AND contact_id IS NOT NULL
          GROUP BY contact_id) e`,
  `UPDATE contacts SET
      wa_id = NULL,
      bsuid = NULL,
      parent_bsuid = NULL,
      username = NULL,
      name = CASE WHEN list_contains(e.later_fields, 'name') THEN contacts.name END,
      language = CASE WHEN list_contains(e.later_fields, 'language') THEN contacts.language END,
      timezone = CASE WHEN list_contains(e.later_fields, 'timezone') THEN contacts.timezone END,
      labels = CASE WHEN list_contains(e.later_fields, 'labels') THEN contacts.labels ELSE []::VARCHAR[] END,
      custom_fields = to_json(map_from_entries(list_filter(
        list_sort(map_entries(json_transform(contacts.custom_fields, '"MAP(VARCHAR, JSON)"'))),
        f -> list_contains(e.later_fields, f.key)))),
      erased_at = coalesce(contacts.erased_at, e.erased_at),
      updated_at = greatest(contacts.updated_at, e.erased_at),
      updated_log_position = greatest(contacts.updated_log_position, e.log_position)
    FROM _erased e
    WHERE contacts.contact_id = e.contact_id`,
  // A read marker the mirror could not join to its message (one of them read with the wamid,
  // the other with its hash): contact.erased links it, as a rebuild joins it by the hash.
  `UPDATE messages SET marked_read_at = least(messages.marked_read_at, u.at_time)
    FROM (SELECT l.message_id, min(r.occurred_at) AS at_time FROM _erasure_links l
          JOIN events_raw r ON r.event_id = l.event_id AND r.type = 'message.marked_read'
          GROUP BY l.message_id) u
    WHERE messages.message_id = u.message_id AND messages.direction = 'inbound'`,
  `UPDATE contact_changes SET old_value = NULL, new_value = NULL
    FROM _erased e
    WHERE contact_changes.contact_id = e.contact_id AND contact_changes.log_position < e.log_position
      AND contact_changes.field NOT IN (${kept})`,
  // A message.sent after the erasure in the same batch (a send in flight when the person
  // was erased) set external_id after it: kept, as a later batch would keep it.
  `UPDATE messages SET ${erasedMessageColumns
    .map((c) =>
      c === 'external_id'
        ? `external_id = CASE WHEN messages.message_id IN (SELECT message_id FROM _sent s
             WHERE s.contact_id = e.contact_id AND s.log_position > e.log_position AND s.message_id IS NOT NULL)
             THEN messages.external_id END`
        : `${c} = NULL`,
    )
    .join(', ')},
      updated_log_position = greatest(messages.updated_log_position, e.log_position)
    FROM _erased e
    WHERE messages.contact_id = e.contact_id
      AND messages.message_id NOT IN (
        SELECT message_id FROM _received r WHERE r.contact_id = e.contact_id AND r.log_position > e.log_position
          AND message_id IS NOT NULL
        UNION ALL
        SELECT message_id FROM _queued q WHERE q.contact_id = e.contact_id AND q.log_position > e.log_position
          AND message_id IS NOT NULL)`,
  `UPDATE message_statuses SET ${erasedStatusColumns.map((c) => `${c} = NULL`).join(', ')}
    FROM _erased e
    WHERE message_statuses.contact_id = e.contact_id AND message_statuses.log_position < e.log_position`,
  `UPDATE events_raw SET payload = '${erasedPayload}'::JSON, idempotency_key = ${scrubIdempotencyKeySql}
    FROM _erased e
    WHERE events_raw.contact_id = e.contact_id AND events_raw.log_position < e.log_position`,
  // Events that named no contact but held the person (contact.erased lists them; the erasure
  // rewrote them in the log): an unmatched status's recipient, an unrecognised body.
  `CREATE OR REPLACE TEMP TABLE _erased_events AS
    SELECT DISTINCT CAST(unnest(json_transform(payload->'events', '["VARCHAR"]')) AS BIGINT) AS event_id
    FROM _batch WHERE type = 'contact.erased' AND schema_version = 1`,
  `UPDATE message_statuses SET ${erasedStatusColumns.map((c) => `${c} = NULL`).join(', ')}
    WHERE event_id IN (SELECT event_id FROM _erased_events)`,
  `UPDATE events_raw SET payload = '${erasedPayload}'::JSON, idempotency_key = ${scrubIdempotencyKeySql}
    WHERE event_id IN (SELECT event_id FROM _erased_events)`,
];
