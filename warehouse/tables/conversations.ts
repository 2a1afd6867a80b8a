import { channelColumn, updatedLogPositionColumn } from './common-columns.js';
import { column, defineTable } from './table-definition.js';

/**
 * WhatsApp's customer service window: free-form messages may be sent for 24 hours after
 * the person's last message. https://developers.facebook.com/docs/whatsapp/pricing
 */
export const conversations = defineTable({
  name: 'conversations',
  description:
    "24-hour customer service windows per person: opened by a message from the person when no window was open, extended by each later message, closed 24 hours after the last one. System notices do not open windows. Built in log order; a message whose timestamp is older than an earlier one counts at the earlier one's time.",
  kind: 'state',
  key: ['conversation_id'],
  derivedFrom: ['message.received', 'message.queued'],
  partitionColumn: 'opened_at',
  clusterColumns: ['contact_id'],
  positionColumn: 'updated_log_position',
  columns: [
    column(
      'conversation_id',
      'int64',
      'Id of the window: the message_id of the inbound message that opened it.',
    ),
    column('contact_id', 'int64', 'The person (contacts.contact_id).'),
    channelColumn,
    column('opened_at', 'timestamp', 'When the window opened (time of the opening message).'),
    column(
      'opened_by_message_id',
      'int64',
      'The inbound message that opened the window (messages.message_id).',
    ),
    column('last_inbound_at', 'timestamp', 'Time of the last message from the person in this window.'),
    column('closes_at', 'timestamp', 'When the window closes or closed: 24 hours after last_inbound_at.'),
    column('inbound_count', 'int64', 'Messages from the person in this window.'),
    column('outbound_count', 'int64', 'Messages queued to the person while this window was open.'),
    updatedLogPositionColumn,
  ],
});
