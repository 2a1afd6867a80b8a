import { AppError, type FieldError } from '../../../core/errors.js';
import type { FieldDefinition } from '../field-values.js';

/** Field keys a column can be mapped to besides custom fields ('labels' is ';'-separated). */
export const importBuiltInKeys = [
  'phone',
  'bsuid',
  'username',
  'name',
  'language',
  'timezone',
  'opt_in',
  'labels',
] as const;

export type ImportMapping = Record<string, string | null>;

const synonyms: Record<(typeof importBuiltInKeys)[number], string[]> = {
  phone: [
    'phone',
    'phonenumber',
    'mobile',
    'mobilenumber',
    'msisdn',
    'waid',
    'whatsapp',
    'whatsappnumber',
    'cell',
    'cellphone',
    'number',
    'tel',
    'telephone',
    'e164',
  ],
  bsuid: ['bsuid', 'userid', 'whatsappuserid', 'businessscopeduserid'],
  username: ['username', 'whatsappusername'],
  name: ['name', 'fullname', 'contactname', 'displayname'],
  language: ['language', 'lang', 'locale'],
  timezone: ['timezone', 'tz', 'timezonename'],
  opt_in: ['optin', 'optedin', 'consent', 'optinstatus'],
  labels: ['labels', 'label', 'tags', 'tag', 'groups'],
};

/** Case, spaces, underscores and dashes do not matter when matching a header to a field. */
export function normaliseHeader(text: string): string {
  return text.toLowerCase().replace(/[\s_\-.]/g, '');
}

/** Each header's field, matched by the field's key or name or a common synonym; null if none. */
export function suggestMapping(
  headers: readonly string[],
  fields: readonly { key: string; name: string }[],
): ImportMapping {
  const byName = new Map<string, string>();
  for (const [key, words] of Object.entries(synonyms)) for (const w of words) byName.set(w, key);
  for (const f of fields) {
    byName.set(normaliseHeader(f.key), f.key);
    if (!byName.has(normaliseHeader(f.name))) byName.set(normaliseHeader(f.name), f.key);
  }
  const used = new Set<string>();
  const mapping: ImportMapping = {};
  for (const header of headers) {
    const key = byName.get(normaliseHeader(header)) ?? null;
    mapping[header] = key !== null && !used.has(key) ? key : null;
    if (key !== null) used.add(key);
  }
  return mapping;
}

/**
 * Checks a mapping against the file's headers and the custom fields: every header known,
 * every target a field, no field twice, a phone or a BSUID column (people are matched by
 * BSUID first, then phone number).
 */
export function checkMapping(
  mapping: ImportMapping,
  headers: readonly string[],
  definitions: ReadonlyMap<string, FieldDefinition>,
): void {
  const errors: FieldError[] = [];
  const targets = new Map<string, string>();
  for (const [header, key] of Object.entries(mapping)) {
    if (!headers.includes(header))
      errors.push({ field: `mapping.${header}`, reason: `the file has no column "${header}"` });
    if (key === null) continue;
    if (!(importBuiltInKeys as readonly string[]).includes(key) && !definitions.has(key)) {
      errors.push({ field: `mapping.${header}`, reason: `no field with key ${key}` });
    }
    const other = targets.get(key);
    if (other !== undefined)
      errors.push({ field: `mapping.${header}`, reason: `${key} is already mapped from "${other}"` });
    targets.set(key, header);
  }
  if (!targets.has('phone') && !targets.has('bsuid'))
    errors.push({
      field: 'mapping',
      reason: 'map one column to phone or bsuid: people are matched by BSUID, then phone',
    });
  if (errors.length > 0) {
    throw new AppError('validation_failed', errors.map((e) => `${e.field}: ${e.reason}`).join('; '), errors);
  }
}
