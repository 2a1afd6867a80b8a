import { channelColumn, contactIdColumn, eventIdColumn, logPositionColumn } from './common-columns.js';
import { column, defineTable } from './table-definition.js';

/** From `charge.created` (core/log/events/billing.schema.ts), one row per billed message. */
export const charges = defineTable({
  name: 'charges',
  description:
    "What each billable message cost: one row per delivered template message that Meta prices (per-message pricing), at the rate card's price for the person's market and the message's category. The billing page's spend is the sum of these rows for the same period.",
  kind: 'log',
  key: ['event_id'],
  derivedFrom: ['charge.created'],
  partitionColumn: 'charged_at',
  clusterColumns: ['category', 'calling_code'],
  positionColumn: 'log_position',
  columns: [
    eventIdColumn,
    logPositionColumn,
    contactIdColumn,
    channelColumn,
    column('charge_id', 'int64', 'Id of the charge (charges.id in Postgres).'),
    column(
      'message_id',
      'int64',
      'The message charged (messages.message_id); each message is charged at most once.',
    ),
    column(
      'amount_micros',
      'int64',
      'Price in millionths of the currency unit (37900 is 0.0379): integers so that sums are exact. Divide by 1e6 for the amount.',
    ),
    column('currency', 'string', "Currency of the rate card, e.g. 'USD'."),
    column(
      'category',
      'string',
      "Meta's pricing category: 'marketing', 'utility', 'authentication', 'authentication_international' or 'service'.",
    ),
    column(
      'pricing_model',
      'string?',
      "Meta's pricing model as reported on the status ('PMP', per-message pricing).",
    ),
    column(
      'calling_code',
      'string',
      "Country calling code the message was priced for ('27'), or '*' for the card's rate for every other market.",
    ),
    column(
      'market',
      'string',
      "Market name on the rate card ('South Africa', 'Rest of Africa (Kenya)', 'Other').",
    ),
    column('rate_card_id', 'int64', 'Version of the rate card in force when the message was delivered.'),
    column(
      'reserved_micros',
      'int64',
      'What had been reserved for the message when it was queued, settled by this charge.',
    ),
    column('charged_at', 'timestamp', 'When the message was delivered (the status that priced it).'),
  ],
});
