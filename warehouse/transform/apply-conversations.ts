/**
 * 24-hour customer service windows, folded in log order. A person's message opens a window
 * when none is open and extends the open one otherwise. Times are made monotonic per person
 * (a message older than an earlier one counts at the earlier one's time), so a window is a
 * run of messages less than 24 h apart: gaps-and-islands with window functions, continuing
 * from the person's latest window before the batch. The result does not depend on where the
 * log was split into batches. System notices do not open windows (ingest's opensWindow).
 *
 * An outbound message counts in the window open when it was queued: the one of the latest
 * inbound message before it in log order, if that message is less than 24 h older.
 */
export const applyConversationsSql: readonly string[] = [
  `CREATE OR REPLACE TEMP TABLE _prev_conversation AS
    SELECT contact_id, conversation_id, last_inbound_at FROM conversations
    WHERE contact_id IN (SELECT contact_id FROM _received UNION SELECT contact_id FROM _queued)
    QUALIFY row_number() OVER (PARTITION BY contact_id ORDER BY opened_at DESC, conversation_id DESC) = 1`,
  `CREATE OR REPLACE TEMP TABLE _windows AS
    WITH activity AS (
      SELECT log_position, contact_id, channel, message_id, true AS inbound, received_at AS at_time FROM _received
      WHERE contact_id IS NOT NULL AND message_id IS NOT NULL AND message_type IS DISTINCT FROM 'system'
      UNION ALL
      SELECT log_position, contact_id, channel, message_id, false, occurred_at FROM _queued
      WHERE contact_id IS NOT NULL AND message_id IS NOT NULL
    ), timed AS (
      SELECT a.*, p.conversation_id AS previous_id,
        greatest(p.last_inbound_at, max(CASE WHEN a.inbound THEN a.at_time END) OVER earlier) AS before,
        greatest(p.last_inbound_at, max(CASE WHEN a.inbound THEN a.at_time END) OVER upto) AS last_inbound_at
      FROM activity a LEFT JOIN _prev_conversation p USING (contact_id)
      WINDOW earlier AS (PARTITION BY a.contact_id ORDER BY a.log_position ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
        upto AS (PARTITION BY a.contact_id ORDER BY a.log_position ROWS UNBOUNDED PRECEDING)
    ), flagged AS (
      SELECT *, inbound AND (before IS NULL OR last_inbound_at >= before + INTERVAL 24 HOUR) AS opens FROM timed
    ), assigned AS (
      SELECT *, coalesce(last_value(CASE WHEN opens THEN message_id END IGNORE NULLS)
        OVER (PARTITION BY contact_id ORDER BY log_position ROWS UNBOUNDED PRECEDING), previous_id) AS current_id
      FROM flagged
    )
    SELECT log_position, contact_id, channel, message_id, inbound, opens, last_inbound_at,
      CASE WHEN inbound OR at_time < last_inbound_at + INTERVAL 24 HOUR THEN current_id END AS conversation_id
    FROM assigned`,
  `INSERT INTO conversations BY NAME
    SELECT conversation_id, contact_id, arg_min(channel, log_position) AS channel, min(last_inbound_at) AS opened_at,
      conversation_id AS opened_by_message_id, max(last_inbound_at) AS last_inbound_at,
      max(last_inbound_at) + INTERVAL 24 HOUR AS closes_at, count(*) FILTER (WHERE inbound) AS inbound_count,
      count(*) FILTER (WHERE NOT inbound) AS outbound_count, max(log_position) AS updated_log_position
    FROM _windows
    WHERE conversation_id IN (SELECT message_id FROM _windows WHERE opens)
    GROUP BY conversation_id, contact_id`,
  `UPDATE conversations SET
      last_inbound_at = greatest(conversations.last_inbound_at, u.last_at),
      closes_at = greatest(conversations.last_inbound_at, u.last_at) + INTERVAL 24 HOUR,
      inbound_count = conversations.inbound_count + u.inbound,
      outbound_count = conversations.outbound_count + u.outbound,
      updated_log_position = greatest(conversations.updated_log_position, u.log_position)
    FROM (
      SELECT conversation_id, max(last_inbound_at) FILTER (WHERE inbound) AS last_at,
        count(*) FILTER (WHERE inbound) AS inbound, count(*) FILTER (WHERE NOT inbound) AS outbound,
        max(log_position) AS log_position
      FROM _windows
      WHERE conversation_id IS NOT NULL AND conversation_id NOT IN (SELECT message_id FROM _windows WHERE opens)
      GROUP BY conversation_id
    ) u
    WHERE conversations.conversation_id = u.conversation_id AND conversations.conversation_id BETWEEN :lo AND :hi`,
];
