import type { DbOrTx, Tx } from '../../core/db/database.js';
import { inTransaction } from '../../core/db/in-transaction.js';
import type { ChoiceOption } from '../../core/db/schema.js';
import { AppError } from '../../core/errors.js';
import { append } from '../../core/log/append.js';
import { builtInContactFields } from '../../core/log/events/contact.schema.js';
import type { OperatorActor } from '../../core/log/events/operator.schema.js';
import { customFieldUsers, type FieldUser } from './custom-field-users.js';
import type { FieldType } from './field-values.js';

export interface CustomField {
  id: string;
  key: string;
  name: string;
  type: FieldType;
  options: ChoiceOption[];
  description: string | null;
  usedBy: FieldUser[];
}

export const customFieldKeyPattern = /^[a-z][a-z0-9_]{0,62}$/;
/** Keys that would collide with a person's own columns, in SQL and in contact.updated. */
const reservedKeys = new Set<string>([
  ...builtInContactFields,
  'phone',
  'wa_id',
  'id',
  'contact_id',
  'channel',
]);

export async function listCustomFields(db: DbOrTx): Promise<CustomField[]> {
  const rows = await db.selectFrom('custom_fields').selectAll().orderBy('key').execute();
  const users = await customFieldUsers(
    db,
    rows.map((r) => r.key),
  );
  return rows.map((r) => present(r, users.get(r.key) ?? []));
}

/**
 * Creates a field (settings.manage). The key is what SQL, journeys and templates use, so it
 * is checked here and never changes afterwards; operator.action records the change.
 */
export async function createCustomField(
  db: DbOrTx,
  actor: OperatorActor,
  input: {
    key: string;
    name: string;
    type: FieldType;
    options?: ChoiceOption[];
    description?: string | null;
  },
): Promise<CustomField> {
  if (!customFieldKeyPattern.test(input.key)) {
    throw invalid(
      'key',
      'must start with a lowercase letter and have only lowercase letters, digits and _ (at most 63)',
    );
  }
  if (reservedKeys.has(input.key)) throw invalid('key', `${input.key} is a built-in field of every person`);
  const options = checkOptions(input.type, input.options ?? []);
  return inTransaction(db, async (tx) => {
    const row = await tx
      .insertInto('custom_fields')
      .values({
        key: input.key,
        name: input.name,
        type: input.type,
        options: JSON.stringify(options),
        description: input.description ?? null,
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row)
      throw new AppError('conflict', `a custom field with key ${input.key} exists`, [
        { field: 'key', reason: 'already used' },
      ]);
    await log(tx, actor, 'custom_field.create', row.id, { key: row.key, name: row.name, type: row.type });
    return present(row, []);
  });
}

/** Renames a field or changes its options and description; key and type never change. */
export async function updateCustomField(
  db: DbOrTx,
  actor: OperatorActor,
  input: { id: string; name?: string; options?: ChoiceOption[]; description?: string | null },
): Promise<CustomField> {
  return inTransaction(db, async (tx) => {
    const before = await lockField(tx, input.id);
    const options = input.options === undefined ? before.options : checkOptions(before.type, input.options);
    const row = await tx
      .updateTable('custom_fields')
      .set({
        name: input.name ?? before.name,
        options: JSON.stringify(options),
        description: input.description === undefined ? before.description : input.description,
        updated_at: new Date(),
      })
      .where('id', '=', input.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const details: Record<string, unknown> = { key: row.key };
    if (row.name !== before.name) details.name = { from: before.name, to: row.name };
    if (input.options !== undefined)
      details.options = { from: before.options.map((o) => o.key), to: options.map((o) => o.key) };
    if (row.description !== before.description) details.description_changed = true;
    await log(tx, actor, 'custom_field.update', row.id, details);
    const users = await customFieldUsers(tx, [row.key]);
    return present(row, users.get(row.key) ?? []);
  });
}

/** Deletes a field nothing uses; CONFLICT naming every user otherwise. Values already stored stay in the log. */
export async function deleteCustomField(
  db: DbOrTx,
  actor: OperatorActor,
  id: string,
): Promise<{ deleted: true }> {
  return inTransaction(db, async (tx) => {
    const field = await lockField(tx, id);
    const users = (await customFieldUsers(tx, [field.key])).get(field.key) ?? [];
    if (users.length > 0) {
      const list = users.map((u) => `${u.kind} ${u.id} "${u.name}"`).join(', ');
      throw new AppError(
        'conflict',
        `custom field ${field.key} is used by ${list}; change those first`,
        users.map((u) => ({
          field: `usedBy.${u.kind}.${u.id}`,
          reason: `${u.kind} "${u.name}" uses ${field.key}`,
        })),
      );
    }
    await tx.deleteFrom('custom_fields').where('id', '=', id).execute();
    await log(tx, actor, 'custom_field.delete', id, { key: field.key, name: field.name });
    return { deleted: true as const };
  });
}

function checkOptions(type: FieldType, options: ChoiceOption[]): ChoiceOption[] {
  if (type !== 'choice') {
    if (options.length > 0) throw invalid('options', 'only choice fields have options');
    return [];
  }
  if (options.length === 0) throw invalid('options', 'a choice field needs at least one option');
  const keys = new Set<string>();
  for (const option of options) {
    if (!customFieldKeyPattern.test(option.key))
      throw invalid('options', `option key "${option.key}" must look like a field key (a-z, 0-9, _)`);
    if (keys.has(option.key)) throw invalid('options', `option key ${option.key} appears twice`);
    if (option.label.trim() === '') throw invalid('options', `option ${option.key} needs a label`);
    keys.add(option.key);
  }
  return options.map((o) => ({ key: o.key, label: o.label.trim() }));
}

async function lockField(tx: Tx, id: string) {
  const row = await tx
    .selectFrom('custom_fields')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row)
    throw new AppError('not_found', `no custom field ${id}`, [
      { field: 'id', reason: 'no such custom field' },
    ]);
  return row;
}

function invalid(field: string, reason: string): AppError {
  return new AppError('validation_failed', `${field}: ${reason}`, [{ field, reason }]);
}

function present(
  row: {
    id: string;
    key: string;
    name: string;
    type: FieldType;
    options: ChoiceOption[];
    description: string | null;
  },
  usedBy: FieldUser[],
): CustomField {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    type: row.type,
    options: row.options,
    description: row.description,
    usedBy,
  };
}

async function log(
  tx: Tx,
  actor: OperatorActor,
  action: string,
  id: string,
  details: Record<string, unknown>,
) {
  await append(tx, [
    {
      type: 'operator.action',
      source: 'api',
      payload: { actor, action, target: { kind: 'custom_field', id }, details },
    },
  ]);
}
