import { scrubIdempotencyKeySql } from '../../core/log/erasure/scrub-payload.js';
import {
  erasedMessageColumns,
  erasedPayload,
  erasedStatusColumns,
  keptChangeFields,
} from './apply-erasure.js';

const kept = keptChangeFields.map((f) => `'${f}'`).join(', ');

/**
 * What each personal column of a row of an erased person becomes, per table: the blanking
 * apply-erasure.ts does in the mirror, for copies made before it (Parquet files, BigQuery
 * rows). Expressions are valid in DuckDB and BigQuery's GoogleSQL alike. Tables not listed
 * (conversations) hold nothing personal. The same blanking applies to the rows of the events
 * a contact.erased lists (`events`: events that named no contact but held the person), in the
 * tables that have an `event_id` column (erasedEventTables).
 */
export const erasedColumns: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  messages: Object.fromEntries(erasedMessageColumns.map((c) => [c, 'NULL'])),
  message_statuses: Object.fromEntries(erasedStatusColumns.map((c) => [c, 'NULL'])),
  contacts: {
    wa_id: 'NULL',
    bsuid: 'NULL',
    parent_bsuid: 'NULL',
    username: 'NULL',
    name: 'NULL',
    language: 'NULL',
    timezone: 'NULL',
    labels: '[]',
    custom_fields: `JSON '{}'`,
  },
  contact_changes: {
    old_value: `CASE WHEN field IN (${kept}) THEN old_value END`,
    new_value: `CASE WHEN field IN (${kept}) THEN new_value END`,
  },
  events_raw: { payload: `JSON '${erasedPayload}'`, idempotency_key: scrubIdempotencyKeySql },
};

/** Tables whose rows come one per event, so that contact.erased's `events` find them by event_id. */
export const erasedEventTables: readonly string[] = ['message_statuses', 'events_raw'];
