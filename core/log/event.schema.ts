import { z } from 'zod';
import { billingEvents } from './events/billing.schema.js';
import { contactEvents } from './events/contact.schema.js';
import { journeyEvents } from './events/journey.schema.js';
import { messageEvents } from './events/message.schema.js';
import { operatorEvents } from './events/operator.schema.js';
import { reminderEvents } from './events/reminder.schema.js';
import { routingEvents } from './events/routing.schema.js';
import { segmentEvents } from './events/segment.schema.js';
import { simulatorEvents } from './events/simulator.schema.js';
import { templateEvents } from './events/template.schema.js';
import { webhookEvents } from './events/webhook.schema.js';

/**
 * Every event of the log, one discriminated union on `type`. A published shape never
 * changes: a new shape is a new schema_version (or a new type). Later areas add their
 * events here (journey, reminder, charge, operator, segment).
 */
export const eventSchema = z.discriminatedUnion('type', [
  ...messageEvents,
  ...contactEvents,
  ...webhookEvents,
  ...operatorEvents,
  ...simulatorEvents,
  ...segmentEvents,
  ...journeyEvents,
  ...routingEvents,
  ...billingEvents,
  ...reminderEvents,
  ...templateEvents,
]);

export type NewEvent = z.input<typeof eventSchema>;
export type ValidEvent = z.output<typeof eventSchema>;
export type EventType = ValidEvent['type'];
export type PayloadOf<T extends EventType> = Extract<ValidEvent, { type: T }>['payload'];

export const eventTypes = eventSchema.options.map((option) => option.shape.type.value) as EventType[];
