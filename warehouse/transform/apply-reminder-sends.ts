/**
 * reminder_sends: one row per reminder.send event. Rows are only inserted, so any split of
 * the log into batches gives the same table.
 */
export const applyReminderSendsSql = `INSERT INTO reminder_sends BY NAME
    SELECT event_id, log_position, contact_id, channel, p.reminder_id, p.run_id, p.outcome, p.skip_reason,
      p.message_id, occurred_at
    FROM (SELECT *, json_transform(payload,
            '{"reminder_id": "BIGINT", "run_id": "BIGINT", "outcome": "VARCHAR", "skip_reason": "VARCHAR",
              "message_id": "BIGINT"}') AS p
          FROM _batch
          WHERE type = 'reminder.send' AND schema_version = 1)
    WHERE p.reminder_id IS NOT NULL AND p.run_id IS NOT NULL AND p.outcome IS NOT NULL`;
