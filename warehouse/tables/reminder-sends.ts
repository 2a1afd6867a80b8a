import { channelColumn, contactIdColumn, eventIdColumn, logPositionColumn } from './common-columns.js';
import { column, defineTable } from './table-definition.js';

/** From `reminder.send` (core/log/events/reminder.schema.ts), one row per person and run. */
export const reminderSends = defineTable({
  name: 'reminder_sends',
  description:
    "One row per person a reminder's run targeted: queued with its message, or skipped and why. Join messages on message_id for delivery and read, charges for the cost, and message replies by contact and time.",
  kind: 'log',
  key: ['event_id'],
  derivedFrom: ['reminder.send'],
  partitionColumn: 'occurred_at',
  clusterColumns: ['reminder_id', 'run_id'],
  positionColumn: 'log_position',
  columns: [
    eventIdColumn,
    logPositionColumn,
    contactIdColumn,
    channelColumn,
    column('reminder_id', 'int64', 'The reminder.'),
    column('run_id', 'int64', 'The run: one per occurrence of a recurring reminder, one for a one-off.'),
    column('outcome', 'string', "'queued' (a message was queued) or 'skipped'."),
    column(
      'skip_reason',
      'string?',
      "Why a person was skipped: 'blocked', 'erased', 'opted_out' (a marketing template to someone who opted out), 'no_identity' (neither a phone number nor a BSUID), 'recently_sent' or 'cancelled'; null when queued.",
    ),
    column('message_id', 'int64?', 'The message queued (messages.message_id); null when skipped.'),
    column('occurred_at', 'timestamp', 'When the person was queued or skipped.'),
  ],
});
