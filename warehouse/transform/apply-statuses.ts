/**
 * message_statuses (one row per message.status) and the status columns of messages.
 *
 * A message's status only moves forward in ingest's order (ingest/whatsapp/status-rank.ts):
 * queued < sent < delivered < failed < read < played; other statuses are kept in
 * message_statuses but never change the message. The winner is the highest rank, then the
 * earliest time: a fold that gives the same answer for any order and batching of events.
 *
 * A status matches its message by our id, else by wamid. A status can be logged before the
 * sender's message.sent tells the wamid; when that message.sent arrives, such earlier
 * statuses are folded in too, so the result does not depend on batch boundaries.
 *
 * An erasure replaces wamids in the log by hashes, so a mirror may have read one event of a
 * pair with the wamid and the other with its hash; contact.erased lists such statuses with
 * their message (`links`, `_erasure_links`), and they are folded in again by that link (the
 * fold is idempotent), which a rebuild does too.
 */
const rank = (status: string) =>
  `CASE ${status} WHEN 'queued' THEN 0 WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'failed' THEN 3
    WHEN 'read' THEN 4 WHEN 'played' THEN 5 END`;

export const applyStatusesSql: readonly string[] = [
  `CREATE OR REPLACE TEMP TABLE _status_candidates AS
    SELECT message_id, status, status_at, error.code AS error_code, error.title AS error_title,
      coalesce(error.details, error.message) AS error_details, log_position
    FROM _status WHERE message_id IS NOT NULL
    UNION ALL
    SELECT m.message_id, s.status, s.status_at, s.error.code, s.error.title, coalesce(s.error.details, s.error.message),
      s.log_position
    FROM (SELECT * FROM _status WHERE message_id IS NULL AND external_id IS NOT NULL) s
    JOIN messages m ON m.external_id = s.external_id AND m.direction = 'outbound'
    UNION ALL
    SELECT message_id, 'sent', occurred_at, NULL, NULL, NULL, log_position FROM _sent WHERE message_id IS NOT NULL
    UNION ALL
    SELECT x.message_id, ms.status, ms.status_at, ms.error_code, ms.error_title, ms.error_details, x.log_position
    FROM (SELECT * FROM _sent WHERE message_id IS NOT NULL AND external_id IS NOT NULL) x
    JOIN message_statuses ms ON ms.external_id = x.external_id AND ms.message_id IS NULL`,
  // Only in a batch holding contact.erased (transform-batch.ts): its links.
  `INSERT INTO _status_candidates
    SELECT l.message_id, ms.status, ms.status_at, ms.error_code, ms.error_title, ms.error_details, l.log_position
    FROM _erasure_links l JOIN message_statuses ms ON ms.event_id = l.event_id
    UNION ALL
    SELECT l.message_id, s.status, s.status_at, s.error.code, s.error.title, coalesce(s.error.details, s.error.message),
      l.log_position
    FROM _erasure_links l JOIN _status s ON s.event_id = l.event_id`,
  `CREATE OR REPLACE TEMP TABLE _status_merge AS
    WITH current AS (
      SELECT m.message_id, m.status, m.status_at, m.failed_at, m.failure_code, m.failure_title, m.failure_details
      FROM messages m WHERE m.direction = 'outbound' AND m.message_id BETWEEN :lo AND :hi
        AND m.message_id IN (SELECT message_id FROM _status_candidates)
    ), ranked AS (
      SELECT message_id, status, status_at, ${rank('status')} AS r FROM current
      UNION ALL
      SELECT message_id, status, status_at, ${rank('status')} FROM _status_candidates
    ), failures AS (
      SELECT message_id, failed_at AS at_time, failure_code AS code, failure_title AS title, failure_details AS details
      FROM current WHERE failed_at IS NOT NULL
      UNION ALL
      SELECT message_id, status_at, coalesce(error_code, 0), error_title, error_details
      FROM _status_candidates WHERE status = 'failed'
    )
    SELECT w.*, f.failed_at, f.failure_code, f.failure_title, f.failure_details, c.delivered_at, c.read_at, c.log_position
    FROM (SELECT message_id, arg_max(status, (r, -epoch_us(status_at))) AS status,
            arg_max(status_at, (r, -epoch_us(status_at))) AS status_at
          FROM ranked WHERE r IS NOT NULL GROUP BY message_id) w
    JOIN (SELECT message_id, min(status_at) FILTER (WHERE status = 'delivered') AS delivered_at,
            min(status_at) FILTER (WHERE status = 'read') AS read_at, max(log_position) AS log_position
          FROM _status_candidates GROUP BY message_id) c USING (message_id)
    LEFT JOIN (SELECT message_id, min(at_time) AS failed_at,
            arg_min(code, (at_time, code, title, details)) AS failure_code,
            arg_min(title, (at_time, code, title, details)) AS failure_title,
            arg_min(details, (at_time, code, title, details)) AS failure_details
          FROM failures GROUP BY message_id) f USING (message_id)`,
  `UPDATE messages SET
      status = u.status, status_at = u.status_at,
      delivered_at = least(messages.delivered_at, u.delivered_at),
      read_at = least(messages.read_at, u.read_at),
      failed_at = u.failed_at, failure_code = u.failure_code, failure_title = u.failure_title,
      failure_details = u.failure_details,
      updated_log_position = greatest(messages.updated_log_position, u.log_position)
    FROM _status_merge u
    WHERE messages.message_id = u.message_id AND messages.direction = 'outbound'
      AND messages.message_id BETWEEN :lo AND :hi`,
  `INSERT INTO message_statuses BY NAME
    SELECT event_id, log_position, message_id, external_id, contact_id, channel, status, status_at, recorded_at,
      recipient_id AS recipient_wa_id, error.code AS error_code, error.title AS error_title,
      coalesce(error.details, error.message) AS error_details, conversation.id AS conversation_id,
      conversation.origin_type AS conversation_origin, conversation.expiration_timestamp AS conversation_expires_at,
      pricing.billable AS pricing_billable, pricing.pricing_model, pricing.category AS pricing_category,
      pricing.type AS pricing_type, biz_opaque_callback_data
    FROM _status WHERE status IS NOT NULL`,
];
