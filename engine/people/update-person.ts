import type { DbOrTx } from '../../core/db/database.js';
import { inTransaction } from '../../core/db/in-transaction.js';
import { AppError, type FieldError } from '../../core/errors.js';
import { customFieldDefinitions } from './custom-field-definitions.js';
import { checkFieldValue } from './field-values.js';
import { type OptIn, type PersonRecord, personColumns } from './person-record.js';
import { isTimezone } from './phone.js';
import { normaliseLabels, saveProfile } from './profile-changes.js';

export interface PersonPatch {
  name?: string | null;
  language?: string | null;
  timezone?: string | null;
  optIn?: OptIn;
  blocked?: boolean;
  /** The whole list of labels (trimmed, sorted, duplicates dropped); not given leaves them as they are. */
  labels?: readonly string[];
  /** Custom field values by key; null clears one. Keys not given are left as they are. */
  fields?: Record<string, unknown>;
}

/** BCP 47 language tags as WhatsApp templates use them: 'en', 'pt_BR', 'zu', 'en-US'. */
const languagePattern = /^[a-z]{2,3}([_-][A-Za-z0-9]{2,8})*$/;

/**
 * Changes a person's profile: the row is locked, every given value is checked (custom
 * fields against their type: the error names `fields.<key>` and the reason), and one
 * contact.updated with every change and `by` is appended; nothing when nothing changed.
 */
export async function updatePerson(
  db: DbOrTx,
  input: { id: string; by: string; patch: PersonPatch; source?: string },
): Promise<PersonRecord> {
  const { patch } = input;
  return inTransaction(db, async (tx) => {
    const before = await tx
      .selectFrom('contacts')
      .select(personColumns)
      .where('id', '=', input.id)
      .forUpdate()
      .executeTakeFirst();
    if (!before)
      throw new AppError('not_found', `no person ${input.id}`, [{ field: 'id', reason: 'no such person' }]);
    if (before.erased_at !== null) {
      throw new AppError('conflict', `person ${input.id} was erased; their profile cannot change`, [
        { field: 'id', reason: 'erased' },
      ]);
    }
    const errors: FieldError[] = [];
    if (patch.language != null && !languagePattern.test(patch.language)) {
      errors.push({ field: 'language', reason: 'must be a language code such as en, zu or pt_BR' });
    }
    if (patch.timezone != null && !isTimezone(patch.timezone)) {
      errors.push({
        field: 'timezone',
        reason: `unknown timezone "${patch.timezone}" (use an IANA name such as Africa/Johannesburg)`,
      });
    }
    (patch.labels ?? []).forEach((label, i) => {
      if (label.trim().length > 100) errors.push({ field: `labels.${i}`, reason: 'at most 100 characters' });
    });
    const fields = { ...before.fields };
    if (patch.fields) {
      const definitions = await customFieldDefinitions(tx);
      for (const [key, value] of Object.entries(patch.fields)) {
        const definition = definitions.get(key);
        if (!definition) {
          errors.push({ field: `fields.${key}`, reason: `no custom field with key ${key}` });
          continue;
        }
        const check = checkFieldValue(definition, value);
        if (!check.ok) errors.push({ field: `fields.${key}`, reason: check.reason });
        else if (check.value === null) delete fields[key];
        else fields[key] = check.value;
      }
    }
    if (errors.length > 0) {
      throw new AppError(
        'validation_failed',
        errors.map((e) => `${e.field}: ${e.reason}`).join('; '),
        errors,
      );
    }
    return saveProfile(
      tx,
      before,
      {
        name: patch.name === undefined ? before.name : patch.name,
        language: patch.language === undefined ? before.language : patch.language,
        timezone: patch.timezone === undefined ? before.timezone : patch.timezone,
        opt_in: patch.optIn ?? before.opt_in,
        blocked: patch.blocked ?? before.blocked,
        labels: patch.labels === undefined ? before.labels : normaliseLabels(patch.labels),
        fields,
      },
      { by: input.by, source: input.source },
    );
  });
}
