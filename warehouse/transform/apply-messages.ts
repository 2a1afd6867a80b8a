/**
 * messages rows from message.received (inbound) and message.queued (outbound); the log gives
 * each message id exactly one of them (appended with the message row). Then
 * message.sent (the channel accepted it: wamid and 'sent') and message.marked_read. Runs
 * after the conversations step, whose temp tables give each message its window.
 */
export const applyMessagesSql: readonly string[] = [
  `INSERT INTO messages BY NAME
    SELECT r.message_id, r.external_id, r.channel, r.contact_id, r.wa_id, 'inbound' AS direction, r.message_type,
      r.text, r.media.id AS media_id, r.media.mime_type AS media_mime_type, r.media.caption AS media_caption,
      r.media.filename AS media_filename, r.interactive.type AS interactive_type,
      r.interactive.id AS interactive_reply_id, r.interactive.title AS interactive_reply_title,
      r.button.payload AS button_payload, r.button.text AS button_text,
      r.location.latitude AS location_latitude, r.location.longitude AS location_longitude,
      r.reaction.emoji AS reaction_emoji, r.reaction.message_id AS reaction_to_external_id,
      r.context.message_id AS context_external_id, r.context.forwarded AS forwarded,
      w.conversation_id, r.occurred_at AS created_at, r.received_at, 'received' AS status,
      r.received_at AS status_at, r.log_position AS updated_log_position
    FROM _received r LEFT JOIN _windows w USING (log_position)
    WHERE r.message_id IS NOT NULL`,
  `INSERT INTO messages BY NAME
    SELECT q.message_id, q.channel, q.contact_id, q.wa_id, 'outbound' AS direction, q.message_type, q.text,
      coalesce(q.media.id, q.media.link) AS media_id, q.media.caption AS media_caption,
      q.media.filename AS media_filename, q.template.name AS template_name,
      q.template.language AS template_language, q.interactive_type,
      q.location.latitude AS location_latitude, q.location.longitude AS location_longitude,
      q.reaction.emoji AS reaction_emoji, q.reaction.message_id AS reaction_to_external_id,
      q.reply_to AS context_external_id, w.conversation_id, q.occurred_at AS created_at,
      'queued' AS status, q.occurred_at AS status_at,
      q.attribution.journey_id, q.attribution.reminder_id, q.attribution.operator_id,
      q.attribution.api_token_id, q.attribution.automation, q.log_position AS updated_log_position
    FROM _queued q LEFT JOIN _windows w USING (log_position)
    WHERE q.message_id IS NOT NULL`,
  // The first message.sent in log order wins (a retried send cannot change the wamid).
  `UPDATE messages SET
      external_id = coalesce(messages.external_id, u.external_id),
      sent_at = coalesce(messages.sent_at, u.sent_at),
      send_attempts = coalesce(messages.send_attempts, u.attempts),
      updated_log_position = greatest(messages.updated_log_position, u.log_position)
    FROM (
      SELECT message_id, arg_min(external_id, log_position) AS external_id, arg_min(occurred_at, log_position) AS sent_at,
        arg_min(attempts, log_position) AS attempts, max(log_position) AS log_position
      FROM _sent WHERE message_id IS NOT NULL GROUP BY message_id
    ) u
    WHERE messages.message_id = u.message_id AND messages.message_id BETWEEN :lo AND :hi`,
  `UPDATE messages SET
      marked_read_at = least(messages.marked_read_at, u.at_time),
      updated_log_position = greatest(messages.updated_log_position, u.log_position)
    FROM (
      SELECT external_id, min(occurred_at) AS at_time, max(log_position) AS log_position
      FROM _marked WHERE external_id IS NOT NULL GROUP BY external_id
    ) u
    WHERE messages.external_id = u.external_id AND messages.direction = 'inbound'`,
];
