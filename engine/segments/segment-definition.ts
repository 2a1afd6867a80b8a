import type { DbOrTx } from '../../core/db/database.js';
import { type CustomFieldType, compileBuilder } from './compile-builder.js';
import type { Builder } from './segment-builder.schema.js';
import { normaliseSegmentSql } from './segment-query.js';

/** A segment is written either with the builder or as SQL (switching to SQL drops the builder). */
export type SegmentDefinition = { builder: Builder } | { sql: string };

export interface ResolvedDefinition {
  sql: string;
  builder: Builder | null;
  fieldKeys: string[];
}

/** The custom fields' types by key, for compiling and parsing. */
export async function customFieldTypes(db: DbOrTx): Promise<Map<string, CustomFieldType>> {
  const rows = await db.selectFrom('custom_fields').select(['key', 'type']).execute();
  return new Map(rows.map((r) => [r.key, r.type]));
}

/**
 * The SQL that runs and the custom field keys it reads: compiled from the builder, or the
 * user's SQL, whose field keys are the known keys it names (`custom_fields->>'district'`,
 * `json_extract(custom_fields, '$.district')`...), so deleting a field can list the segment.
 */
export async function resolveDefinition(
  db: DbOrTx,
  definition: SegmentDefinition,
): Promise<ResolvedDefinition> {
  const fields = await customFieldTypes(db);
  if ('builder' in definition) {
    const compiled = compileBuilder(definition.builder, fields);
    return { sql: compiled.sql, builder: definition.builder, fieldKeys: compiled.fieldKeys };
  }
  const sql = normaliseSegmentSql(definition.sql);
  const fieldKeys = [...fields.keys()].filter((key) => new RegExp(`\\b${key}\\b`).test(sql)).sort();
  return { sql, builder: null, fieldKeys };
}
