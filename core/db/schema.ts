import type { ColumnType } from 'kysely';

/**
 * Kysely types of the migrated schema (sql/migrations). Column names are snake_case because
 * analysts see the same names in the warehouse. Keep in step with the migrations: the
 * schema test compares these columns with information_schema.
 */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** bigint columns come back from pg as strings (int8 exceeds JS numbers); we write numbers or strings. */
type Int8 = ColumnType<string, string | number | bigint, string | number | bigint>;
type GeneratedInt8 = ColumnType<string, never, never>;
type Json = ColumnType<unknown, string, string>;

export interface EventsTable {
  id: GeneratedInt8;
  xid: ColumnType<string, never, never>;
  type: string;
  schema_version: ColumnType<number, number | undefined, number>;
  occurred_at: Timestamp;
  recorded_at: ColumnType<Date, never, never>;
  contact_id: Int8 | null;
  channel: string | null;
  source: string;
  idempotency_key: string | null;
  payload: Json;
}

export interface ConsumerCursorsTable {
  name: string;
  xid: ColumnType<string, string | undefined, string>;
  event_id: ColumnType<string, Int8 | undefined, string | number>;
  applied_count: ColumnType<string, number | undefined, string | number>;
  updated_at: Timestamp;
  last_error: string | null;
  last_error_at: Timestamp | null;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

export interface ContactsTable {
  id: GeneratedInt8;
  channel: string;
  wa_id: string;
  name: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_inbound_at: Timestamp | null;
}

export interface MessagesTable {
  id: GeneratedInt8;
  channel: string;
  contact_id: Int8;
  direction: 'inbound' | 'outbound';
  kind: string;
  external_id: string | null;
  status: string;
  status_at: Timestamp;
  error_code: number | null;
  error_title: string | null;
  created_at: Timestamp;
}

export interface OutboxTable {
  id: GeneratedInt8;
  message_id: Int8 | null;
  kind: 'message' | 'mark_read';
  channel: string;
  to_wa_id: string;
  body: Json;
  state: 'pending' | 'sent' | 'failed';
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  claimed_until: Timestamp | null;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface Database {
  events: EventsTable;
  consumer_cursors: ConsumerCursorsTable;
  schema_migrations: SchemaMigrationsTable;
  contacts: ContactsTable;
  messages: MessagesTable;
  outbox: OutboxTable;
}
