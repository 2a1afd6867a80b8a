import { channelColumn, contactIdColumn, eventIdColumn, logPositionColumn } from './common-columns.js';
import { column, defineTable } from './table-definition.js';

export const contactChanges = defineTable({
  name: 'contact_changes',
  description:
    'Every change of a profile field, one row per field per contact.updated event, with the value before and after: the history behind contacts.',
  kind: 'log',
  key: ['event_id', 'field'],
  derivedFrom: ['contact.updated'],
  partitionColumn: 'changed_at',
  clusterColumns: ['contact_id'],
  positionColumn: 'log_position',
  columns: [
    eventIdColumn,
    logPositionColumn,
    contactIdColumn,
    channelColumn,
    column('field', 'string', "Name of the changed field: 'name', 'language', 'blocked', or a custom field."),
    column('old_value', 'json?', 'Value before the change, as JSON (null when it had none).', 'field-values'),
    column(
      'new_value',
      'json?',
      'Value after the change, as JSON (null when it was removed).',
      'field-values',
    ),
    column(
      'changed_by',
      'string?',
      "Who changed it: 'whatsapp' for a new profile name, or a user, token or journey.",
    ),
    column('changed_at', 'timestamp', 'When the change happened.'),
  ],
});
