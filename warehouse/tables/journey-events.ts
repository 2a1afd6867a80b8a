import { channelColumn, contactIdColumn, eventIdColumn, logPositionColumn } from './common-columns.js';
import { column, defineTable } from './table-definition.js';

/** From the journey.* events (core/log/events/journey.schema.ts), one row each. */
export const journeyEvents = defineTable({
  name: 'journey_events',
  description:
    "Every step of a person through a journey: started, entered a card, completed or dropped, one row per journey event. Segments such as 'completed journey Y but not Z' or 'dropped at card X' read it.",
  kind: 'log',
  key: ['event_id'],
  derivedFrom: ['journey.started', 'journey.card_entered', 'journey.completed', 'journey.dropped'],
  partitionColumn: 'occurred_at',
  clusterColumns: ['journey_id', 'contact_id'],
  positionColumn: 'log_position',
  columns: [
    eventIdColumn,
    logPositionColumn,
    contactIdColumn,
    channelColumn,
    column('journey_id', 'string', 'Id of the journey.'),
    column(
      'run_id',
      'string',
      "Id of one person's pass through the journey: the events of one run share it.",
    ),
    column(
      'card_id',
      'string?',
      "Card of the journey's definition: the card entered, the last card of a completed run, or where a dropped run stopped.",
    ),
    column('event', 'string', "'started', 'card_entered', 'completed' or 'dropped'."),
    column(
      'reason',
      'string?',
      "Why a run was dropped (e.g. 'timeout', 'blocked', 'restarted'); null otherwise.",
    ),
    column('occurred_at', 'timestamp', 'When the step happened.'),
  ],
});
