import { scrubIdempotencyKeySql } from '../../core/log/erasure/scrub-payload.js';
import { erasedMessageColumns, erasedPayload, keptChangeFields } from './apply-erasure.js';

const kept = keptChangeFields.map((f) => `'${f}'`).join(', ');

/**
 * What each personal column of a row of an erased person becomes, per table: the blanking
 * apply-erasure.ts does in the mirror, for copies made before it (Parquet files, BigQuery
 * rows). Expressions are valid in DuckDB and BigQuery's GoogleSQL alike. Tables not listed
 * (conversations) hold nothing personal.
 */
export const erasedColumns: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  messages: Object.fromEntries(erasedMessageColumns.map((c) => [c, 'NULL'])),
  message_statuses: { recipient_wa_id: 'NULL' },
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
