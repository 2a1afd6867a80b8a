import { charges } from './charges.js';
import { contactChanges } from './contact-changes.js';
import { contacts } from './contacts.js';
import { conversations } from './conversations.js';
import { eventsRaw } from './events-raw.js';
import { journeyEvents } from './journey-events.js';
import { messageStatuses } from './message-statuses.js';
import { messages } from './messages.js';
import { reminderSends } from './reminder-sends.js';
import type { WarehouseTable } from './table-definition.js';
import { templateEvents } from './template-events.js';

/**
 * Every warehouse table, in the order the data dictionary lists them. Later areas
 * (journeys, reminders, charges, inbox) add their definitions here.
 */
export const warehouseTables: readonly WarehouseTable[] = [
  messages,
  messageStatuses,
  contacts,
  contactChanges,
  conversations,
  journeyEvents,
  charges,
  reminderSends,
  templateEvents,
  eventsRaw,
];

export function warehouseTable(name: string): WarehouseTable {
  const table = warehouseTables.find((t) => t.name === name);
  if (!table) throw new Error(`no warehouse table ${name}`);
  return table;
}
