import type { WarehouseColumn } from './table-definition.js';

/** Columns shared by several tables, described once so that their meaning cannot drift. */
export const eventIdColumn: WarehouseColumn = {
  name: 'event_id',
  type: 'int64',
  nullable: false,
  description: 'Id of the log event this row comes from (events.id in Postgres).',
};

export const logPositionColumn: WarehouseColumn = {
  name: 'log_position',
  type: 'int64',
  nullable: false,
  description:
    'Position (1, 2, 3...) of the event in the log read in (xid, id) order, the order in which the warehouse applies events; identical after every rebuild. Read "rows after position N" to follow the table incrementally.',
};

export const updatedLogPositionColumn: WarehouseColumn = {
  name: 'updated_log_position',
  type: 'int64',
  nullable: false,
  description:
    'Log position of the last event that changed this row. It only grows: rows with a position above the last one you read have changed since.',
};

export const contactIdColumn: WarehouseColumn = {
  name: 'contact_id',
  type: 'int64',
  nullable: true,
  description: 'Id of the person (contacts.contact_id); null when the event named no contact.',
};

export const channelColumn: WarehouseColumn = {
  name: 'channel',
  type: 'string',
  nullable: true,
  description: "Channel the event came through or went out on ('whatsapp', 'simulator', ...).",
};
