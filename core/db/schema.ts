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
/** Has a default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

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

export interface JobsTable {
  id: GeneratedInt8;
  queue: string;
  key: string | null;
  payload: ColumnType<unknown, string | undefined, string>;
  state: Defaulted<'pending' | 'running' | 'done' | 'dead'>;
  run_at: Defaulted<Date>;
  due_at: Defaulted<Date>;
  attempts: Defaulted<number>;
  max_attempts: Defaulted<number>;
  last_error: string | null;
  created_at: Defaulted<Date>;
  updated_at: Defaulted<Date>;
  finished_at: Date | null;
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
  /** Phone number (E.164 digits); null for a person Meta shares no number of. Never a BSUID. */
  wa_id: string | null;
  name: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_inbound_at: Timestamp | null;
  language: string | null;
  timezone: string | null;
  opt_in: Defaulted<'unknown' | 'opted_in' | 'opted_out'>;
  blocked: Defaulted<boolean>;
  labels: Defaulted<string[]>;
  fields: ColumnType<Record<string, unknown>, string | undefined, string>;
  erased_at: Timestamp | null;
  bsuid: string | null;
  parent_bsuid: string | null;
  username: string | null;
  marketing_opt_in: Defaulted<'unknown' | 'opted_in' | 'opted_out'>;
  marketing_opt_in_at: Timestamp | null;
  marketing_opt_in_source: string | null;
  merged_into: Int8 | null;
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
  to_wa_id: string | null;
  to_bsuid: string | null;
  body: Json;
  state: 'pending' | 'sent' | 'failed';
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  claimed_until: Timestamp | null;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

// Accounts, API tokens and outbound webhooks (sql/migrations/0005).
export type Role = 'admin' | 'builder' | 'operator' | 'analyst' | 'viewer';

export interface UsersTable {
  id: GeneratedInt8;
  email: string;
  name: string;
  password_hash: string;
  role: Role;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
  deactivated_at: Timestamp | null;
}

export interface SessionsTable {
  id: GeneratedInt8;
  token_hash: string;
  user_id: Int8;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
}

export interface InvitesTable {
  id: GeneratedInt8;
  kind: ColumnType<'invite' | 'setup', 'invite' | 'setup' | undefined, 'invite' | 'setup'>;
  token_hash: string;
  email: string | null;
  role: Role;
  created_by: Int8 | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  accepted_user_id: Int8 | null;
  revoked_at: Timestamp | null;
}

export interface LoginFailuresTable {
  id: GeneratedInt8;
  key: string;
  failed_at: Timestamp;
}

export interface IdempotencyKeysTable {
  owner: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: Json;
  created_at: Timestamp;
}

export interface ApiTokensTable {
  id: GeneratedInt8;
  name: string;
  token_prefix: string;
  token_hash: string;
  scopes: string[];
  user_id: Int8;
  created_at: Timestamp;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

export interface WebhookSubscriptionsTable {
  id: GeneratedInt8;
  url: string;
  description: string | null;
  event_types: string[];
  secret: string;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  failing: ColumnType<boolean, boolean | undefined, boolean>;
  consecutive_failures: ColumnType<number, number | undefined, number>;
  failing_since: Timestamp | null;
  created_by: Int8 | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhookDeliveriesTable {
  id: GeneratedInt8;
  subscription_id: Int8;
  event_id: Int8;
  event_type: string;
  state: ColumnType<
    'pending' | 'succeeded' | 'failed',
    'pending' | 'succeeded' | 'failed' | undefined,
    'pending' | 'succeeded' | 'failed'
  >;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  window_started_at: Timestamp;
  replay_pending: ColumnType<boolean, boolean | undefined, boolean>;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** sql/migrations/0006_create_bigquery_export_cursors.sql */
export interface BigQueryExportCursorsTable {
  dataset: string;
  table_name: string;
  exported_position: ColumnType<string, string | number | undefined, string | number>;
  pending_to: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  pending_attempt: ColumnType<number, number | undefined, number>;
  last_job_id: string | null;
  last_load_at: Timestamp | null;
  last_error: string | null;
  last_error_at: Timestamp | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** sql/migrations/0012_bigquery_export_rebuild.sql */
  generation: ColumnType<number, number | undefined, number>;
  truncate_pending: ColumnType<boolean, boolean | undefined, boolean>;
}

/** sql/migrations/0006_create_bigquery_export_cursors.sql */
export interface DataExportCursorsTable {
  id: string;
  data_type: string;
  params: ColumnType<unknown, string, string>;
  api_token_id: Int8 | null;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_at: Timestamp;
}

export interface WebhookDeliveryAttemptsTable {
  id: GeneratedInt8;
  delivery_id: Int8;
  attempt: number;
  started_at: Timestamp;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  response_excerpt: string | null;
  replay: ColumnType<boolean, boolean | undefined, boolean>;
}

/** An option of a choice field; values store `key`. */
export type ChoiceOption = { key: string; label: string };

export interface CustomFieldsTable {
  id: GeneratedInt8;
  key: string;
  name: string;
  type: 'text' | 'number' | 'boolean' | 'date' | 'datetime' | 'choice';
  options: ColumnType<ChoiceOption[], string | undefined, string>;
  description: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SegmentsTable {
  id: GeneratedInt8;
  name: string;
  description: string | null;
  sql: string;
  builder: ColumnType<unknown, string | null | undefined, string | null>;
  field_keys: Defaulted<string[]>;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  archived_at: Timestamp | null;
}

export interface SegmentCountsTable {
  segment_id: Int8;
  counted_at: Timestamp;
  count: Int8;
  log_position: Int8;
}

export interface SegmentSnapshotsTable {
  id: GeneratedInt8;
  segment_id: Int8;
  count: Int8;
  sql_hash: string;
  log_position: Int8;
  requested_by: string;
  created_at: Timestamp;
}

export interface SegmentSnapshotMembersTable {
  snapshot_id: Int8;
  contact_id: Int8;
}

/** sql/migrations/0009_contact_imports.sql */
export type ImportStatus = 'receiving' | 'uploaded' | 'queued' | 'running' | 'done' | 'failed';
export type ImportMode = 'create' | 'update' | 'both';

export interface ContactImportsTable {
  id: GeneratedInt8;
  file_name: string | null;
  channel: string;
  status: Defaulted<ImportStatus>;
  headers: string[];
  total_rows: number;
  mapping: ColumnType<Record<string, string | null> | null, string | null | undefined, string | null>;
  mode: ImportMode | null;
  default_country: string | null;
  processed_rows: Defaulted<number>;
  created_count: Defaulted<number>;
  updated_count: Defaulted<number>;
  skipped_count: Defaulted<number>;
  invalid_count: Defaulted<number>;
  error: string | null;
  created_by: string;
  created_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

export interface ContactImportRowsTable {
  import_id: Int8;
  ord: number;
  line: number;
  cells: ColumnType<string[], string, string>;
}

export interface ContactImportPhonesTable {
  import_id: Int8;
  wa_id: string;
  line: number;
}

export interface ContactImportErrorsTable {
  import_id: Int8;
  line: number;
  reason: string;
}

export interface ErasureSecretTable {
  id: ColumnType<number, number | undefined, never>;
  secret: Buffer;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface ConversationClaimsTable {
  id: GeneratedInt8;
  contact_id: Int8;
  kind: 'journey_run' | 'operator_chat';
  owner_id: string;
  claimed_at: Timestamp;
  released_at: Timestamp | null;
}

export interface RateCardsTable {
  id: GeneratedInt8;
  effective_from: Timestamp;
  currency: string;
  source: string;
  created_by: string;
  created_at: Timestamp;
}

export interface RateCardRatesTable {
  rate_card_id: Int8;
  calling_code: string;
  market: string;
  category: BillingCategory;
  rate_micros: Int8;
}

export type BillingCategory =
  | 'marketing'
  | 'utility'
  | 'authentication'
  | 'authentication_international'
  | 'service';

export interface BillingTopUpsTable {
  id: GeneratedInt8;
  amount_micros: Int8;
  currency: string;
  reference: string;
  note: string | null;
  recorded_by: string;
  recorded_at: Timestamp;
}

export interface BillingReservationsTable {
  message_id: Int8;
  contact_id: Int8;
  amount_micros: Int8;
  created_at: Timestamp;
  settled_at: Timestamp | null;
  settlement: 'charged' | 'free' | 'failed' | null;
}

export interface ChargesTable {
  id: GeneratedInt8;
  message_id: Int8;
  contact_id: Int8;
  channel: string;
  calling_code: string;
  market: string;
  category: string;
  pricing_model: string | null;
  rate_card_id: Int8;
  amount_micros: Int8;
  currency: string;
  charged_at: Timestamp;
}

export interface BillingSettingsTable {
  id: Defaulted<number>;
  low_balance_micros: Defaulted<string>;
  refuse_when_empty: Defaulted<boolean>;
  billing_contact: string | null;
  last_low_balance_alert_at: Timestamp | null;
}

export type ReminderState =
  | 'draft'
  | 'scheduled'
  | 'sending'
  | 'paused'
  | 'completed'
  | 'cancelled'
  | 'failed';

export interface RemindersTable {
  id: GeneratedInt8;
  name: string;
  template: Json;
  audience: Json;
  schedule: Json;
  options: ColumnType<unknown, string | undefined, string>;
  state: Defaulted<ReminderState>;
  next_run_at: Timestamp | null;
  paused_reason: string | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ReminderRunsTable {
  id: GeneratedInt8;
  reminder_id: Int8;
  due_at: Timestamp;
  state: Defaulted<'planning' | 'sending' | 'paused' | 'completed' | 'cancelled' | 'failed'>;
  snapshot_id: Int8 | null;
  paused_reason: string | null;
  resume_at: Timestamp | null;
  targeted: Defaulted<number>;
  started_at: Timestamp;
  completed_at: Timestamp | null;
}

export interface ReminderRecipientsTable {
  run_id: Int8;
  contact_id: Int8;
  due_at: Timestamp;
  state: Defaulted<'pending' | 'skipped' | 'queued' | 'failed'>;
  skip_reason: string | null;
  message_id: Int8 | null;
  error_code: number | null;
  delivered_at: Timestamp | null;
  read_at: Timestamp | null;
  replied_at: Timestamp | null;
}

export interface TemplatesTable {
  id: GeneratedInt8;
  name: string;
  language: string;
  category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  parameter_format: Defaulted<'positional' | 'named'>;
  components: Json;
  status: Defaulted<string>;
  status_reason: string | null;
  status_detail: Json | null;
  status_at: Timestamp | null;
  meta_template_id: string | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: Timestamp | null;
}

export interface Database {
  conversation_claims: ConversationClaimsTable;
  reminders: RemindersTable;
  reminder_runs: ReminderRunsTable;
  reminder_recipients: ReminderRecipientsTable;
  rate_cards: RateCardsTable;
  rate_card_rates: RateCardRatesTable;
  billing_top_ups: BillingTopUpsTable;
  billing_reservations: BillingReservationsTable;
  charges: ChargesTable;
  billing_settings: BillingSettingsTable;
  events: EventsTable;
  consumer_cursors: ConsumerCursorsTable;
  jobs: JobsTable;
  schema_migrations: SchemaMigrationsTable;
  contacts: ContactsTable;
  erasure_secret: ErasureSecretTable;
  messages: MessagesTable;
  outbox: OutboxTable;
  users: UsersTable;
  sessions: SessionsTable;
  invites: InvitesTable;
  login_failures: LoginFailuresTable;
  idempotency_keys: IdempotencyKeysTable;
  api_tokens: ApiTokensTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_delivery_attempts: WebhookDeliveryAttemptsTable;
  bigquery_export_cursors: BigQueryExportCursorsTable;
  data_export_cursors: DataExportCursorsTable;
  custom_fields: CustomFieldsTable;
  segments: SegmentsTable;
  segment_counts: SegmentCountsTable;
  segment_snapshots: SegmentSnapshotsTable;
  segment_snapshot_members: SegmentSnapshotMembersTable;
  contact_imports: ContactImportsTable;
  contact_import_rows: ContactImportRowsTable;
  contact_import_phones: ContactImportPhonesTable;
  contact_import_errors: ContactImportErrorsTable;
  templates: TemplatesTable;
}
