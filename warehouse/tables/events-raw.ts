import { channelColumn, contactIdColumn, eventIdColumn, logPositionColumn } from './common-columns.js';
import { defineTable } from './table-definition.js';

export const eventsRaw = defineTable({
  name: 'events_raw',
  description:
    'Every event of the log, as it was appended: its type, envelope and payload as JSON. Use it for anything the typed tables do not cover yet; event types added later land here first.',
  kind: 'log',
  key: ['event_id'],
  derivedFrom: ['*'],
  partitionColumn: 'occurred_at',
  clusterColumns: ['type', 'contact_id'],
  positionColumn: 'log_position',
  columns: [
    eventIdColumn,
    logPositionColumn,
    { name: 'type', type: 'string', nullable: false, description: "Event type, e.g. 'message.received'." },
    {
      name: 'schema_version',
      type: 'int32',
      nullable: false,
      description: 'Version of the payload shape of this type; a published shape never changes.',
    },
    {
      name: 'occurred_at',
      type: 'timestamp',
      nullable: false,
      description: 'When the thing happened, as told by its source (for a webhook, the channel’s timestamp).',
    },
    {
      name: 'recorded_at',
      type: 'timestamp',
      nullable: false,
      description: 'When the event was written to the log.',
    },
    contactIdColumn,
    channelColumn,
    {
      name: 'source',
      type: 'string',
      nullable: false,
      description: "Who produced the event ('whatsapp', 'simulator', 'sender', 'api', 'engine'...).",
    },
    {
      name: 'idempotency_key',
      type: 'string',
      nullable: true,
      description: 'Key that made a retried delivery append nothing new; unique per source.',
    },
    {
      name: 'payload',
      type: 'json',
      nullable: false,
      description: 'The event payload as JSON; its shape per type is in core/log/events/*.schema.ts.',
      pii: 'payload',
    },
  ],
});
