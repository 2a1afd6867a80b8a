import { channelColumn, contactIdColumn, eventIdColumn, logPositionColumn } from './common-columns.js';
import { column, defineTable } from './table-definition.js';

/** https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components#statuses-object */
export const messageStatuses = defineTable({
  name: 'message_statuses',
  description:
    'Every delivery status of an outbound message (sent, delivered, read, failed...), in the order they were logged, with pricing and conversation details as WhatsApp reported them.',
  kind: 'log',
  key: ['event_id'],
  derivedFrom: ['message.status'],
  partitionColumn: 'status_at',
  clusterColumns: ['contact_id'],
  positionColumn: 'log_position',
  columns: [
    eventIdColumn,
    logPositionColumn,
    column(
      'message_id',
      'int64?',
      'Our message id when the status was matched to a message at the time it arrived; join on external_id otherwise.',
    ),
    column(
      'external_id',
      'string?',
      'wamid of the message; null for a send that failed before WhatsApp accepted it.',
    ),
    contactIdColumn,
    channelColumn,
    column(
      'status',
      'string',
      "Status as reported: 'sent', 'delivered', 'read', 'failed', 'played', 'deleted'...",
    ),
    column(
      'status_at',
      'timestamp',
      "When the status happened (the channel's timestamp; the log time if it had none).",
    ),
    column('recorded_at', 'timestamp', 'When the status was written to the log.'),
    column('recipient_wa_id', 'string?', 'WhatsApp id of the recipient.', 'hash'),
    column('error_code', 'int64?', 'Error code of a failed status.'),
    column('error_title', 'string?', 'Error title of a failed status.'),
    column('error_details', 'string?', 'Error message or details of a failed status.', 'redact'),
    column(
      'conversation_id',
      'string?',
      "WhatsApp's conversation id the message was charged in (older pricing).",
    ),
    column(
      'conversation_origin',
      'string?',
      "Origin type of that conversation: 'marketing', 'utility', 'authentication', 'service'...",
    ),
    column('conversation_expires_at', 'timestamp?', 'When that WhatsApp conversation expires.'),
    column('pricing_billable', 'bool?', 'Whether WhatsApp bills this message.'),
    column('pricing_model', 'string?', "Pricing model: 'CBP' (per conversation) or 'PMP' (per message)."),
    column(
      'pricing_category',
      'string?',
      "Pricing category: 'marketing', 'utility', 'authentication', 'service'...",
    ),
    column(
      'pricing_type',
      'string?',
      "Pricing type, e.g. 'regular', 'free_customer_service', 'free_entry_point'.",
    ),
    column(
      'biz_opaque_callback_data',
      'string?',
      'Data the sender attached to the message and WhatsApp echoes back.',
      'redact',
    ),
  ],
});
