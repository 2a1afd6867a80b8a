import type { DbOrTx } from '../../core/db/database.js';
import type { FieldDefinition } from './field-values.js';

/** Every custom field's key, type and options, by key (what value validation needs). */
export async function customFieldDefinitions(db: DbOrTx): Promise<Map<string, FieldDefinition>> {
  const rows = await db.selectFrom('custom_fields').select(['key', 'type', 'options']).execute();
  return new Map(rows.map((r) => [r.key, { key: r.key, type: r.type, options: r.options }]));
}
