import { eventIdColumn, logPositionColumn } from './common-columns.js';
import { column, defineTable } from './table-definition.js';

/** From the template.* events (core/log/events/template.schema.ts), one row each. */
export const templateEvents = defineTable({
  name: 'template_events',
  description:
    "The history of every WhatsApp message template: created, edited and deleted in Parley, and each status Meta reported (approved, rejected with its reason, paused, disabled). A template's current status is its latest row; join messages.template_name and language to see what a send used.",
  kind: 'log',
  key: ['event_id'],
  derivedFrom: ['template.created', 'template.updated', 'template.deleted', 'template.status_changed'],
  partitionColumn: 'occurred_at',
  clusterColumns: ['meta_template_id'],
  positionColumn: 'log_position',
  columns: [
    eventIdColumn,
    logPositionColumn,
    column(
      'template_id',
      'int64?',
      "Id of the template in Parley; null for a status of a template made outside Parley (in Meta's tools).",
    ),
    column('meta_template_id', 'string', "Meta's id of the template."),
    column('template_name', 'string', "The template's name, as sends and Meta's tools show it."),
    column('language', 'string', "Language code of this translation ('en', 'pt_BR')."),
    column('event', 'string', "'created', 'updated', 'deleted' or 'status_changed'."),
    column(
      'category',
      'string?',
      "'MARKETING', 'UTILITY' or 'AUTHENTICATION'; null when the event did not say.",
    ),
    column(
      'status',
      'string?',
      "Status after the event ('PENDING', 'APPROVED', 'REJECTED', 'PAUSED', 'DISABLED', ...); null for a deletion.",
    ),
    column('previous_status', 'string?', 'Status before a status change; null for other events.'),
    column(
      'reason',
      'string?',
      "Meta's reason for a status change (e.g. 'INVALID_FORMAT', 'INCORRECT_CATEGORY'); null when none.",
    ),
    column(
      'components',
      'json?',
      "Header, body, footer and buttons as submitted (Meta's template syntax), for created and updated.",
    ),
    column(
      'changed_by',
      'string?',
      "Who made the change: a member ('user:3'), an API token, or null for a status Meta reported.",
    ),
    column('occurred_at', 'timestamp', 'When it happened.'),
  ],
});
