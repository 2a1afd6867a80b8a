import type { FieldDefinition } from '../field-values.js';
import { parseBoolean, parseFieldText } from '../field-values.js';
import type { OptIn } from '../person-record.js';
import { isTimezone, normalisePhone } from '../phone.js';
import { normaliseLabels } from '../profile-changes.js';
import type { ImportMapping } from './import-mapping.js';

/** What one row sets on a person; absent keys (empty cells) leave the value as it is. */
export interface RowUpdate {
  name?: string;
  language?: string;
  timezone?: string;
  opt_in?: OptIn;
  /** Labels to add. */
  labels?: string[];
  fields: Record<string, string | number | boolean>;
}

/** Who a row names: a phone number, a BSUID, or both (then the resolver links or merges them). */
export interface RowIdentity {
  waId?: string;
  e164?: string;
  bsuid?: string;
  username?: string;
}

export type ReadRow =
  | ({ ok: true; update: RowUpdate; values: Record<string, unknown> } & RowIdentity)
  | { ok: false; reason: string; values: Record<string, unknown> };

const languagePattern = /^[a-z]{2,3}([_-][A-Za-z0-9]{2,8})*$/;
// Meta's business-scoped user id: a country code, a dot and digits (`KE.7730591826604417`),
// the same rule the REST API applies to a BSUID.
export const bsuidPattern = /^[A-Z]{2}\.[0-9A-Za-z]+$/;

/**
 * One CSV row through the mapping: the phone in E.164 (national numbers in `defaultCountry`),
 * the BSUID and username as given, and every mapped value checked against its field. A row
 * needs a phone or a BSUID. The first problem is the row's reason;
 * `values` shows what was read (for the preview).
 */
export function readImportRow(
  cells: readonly string[],
  context: {
    headers: readonly string[];
    mapping: ImportMapping;
    definitions: ReadonlyMap<string, FieldDefinition>;
    defaultCountry: string;
  },
): ReadRow {
  const values: Record<string, unknown> = {};
  const update: RowUpdate = { fields: {} };
  const problems: string[] = [];
  let phone: { waId: string; e164: string } | undefined;
  const identity: RowIdentity = {};
  const bsuidMapped = Object.values(context.mapping).includes('bsuid');
  context.headers.forEach((header, index) => {
    const key = context.mapping[header];
    if (!key) return;
    const cell = (cells[index] ?? '').trim();
    switch (key) {
      case 'phone': {
        // With a BSUID column, a row may name the person by BSUID alone (checked below).
        if (cell === '' && bsuidMapped) return;
        const result = normalisePhone(cell, context.defaultCountry);
        if (result.ok) {
          phone = result;
          values.phone = result.e164;
        } else {
          values.phone = cell;
          problems.push(result.reason);
        }
        return;
      }
      case 'bsuid':
        if (cell === '') return;
        values.bsuid = cell;
        if (bsuidPattern.test(cell)) identity.bsuid = cell;
        else problems.push(`bsuid: "${cell}" is not a BSUID (a country code, a dot and digits)`);
        return;
      case 'username':
        if (cell === '') return;
        if (cell.length > 100) problems.push('username: longer than 100 characters');
        identity.username = values.username = cell;
        return;
      case 'name':
        if (cell === '') return;
        if (cell.length > 200) problems.push('name is longer than 200 characters');
        update.name = values.name = cell;
        return;
      case 'language':
        if (cell === '') return;
        values.language = cell;
        if (languagePattern.test(cell)) update.language = cell;
        else problems.push(`language "${cell}" is not a language code such as en, zu or pt_BR`);
        return;
      case 'timezone':
        if (cell === '') return;
        values.timezone = cell;
        if (isTimezone(cell)) update.timezone = cell;
        else problems.push(`unknown timezone "${cell}" (use an IANA name such as Africa/Johannesburg)`);
        return;
      case 'opt_in': {
        if (cell === '') return;
        values.opt_in = cell;
        const lower = cell.toLowerCase();
        const b = parseBoolean(lower);
        if (lower === 'opted_in' || lower === 'opted_out' || lower === 'unknown') update.opt_in = lower;
        else if (b !== undefined) update.opt_in = b ? 'opted_in' : 'opted_out';
        else problems.push(`opt_in "${cell}" is not opted_in, opted_out, unknown, yes or no`);
        if (update.opt_in) values.opt_in = update.opt_in;
        return;
      }
      case 'labels': {
        const labels = normaliseLabels(cell.split(';'));
        if (labels.length === 0) return;
        const long = labels.find((l) => l.length > 100);
        if (long) problems.push(`label "${long.slice(0, 20)}…" is longer than 100 characters`);
        update.labels = values.labels = labels;
        return;
      }
      default: {
        const definition = context.definitions.get(key);
        if (!definition) return;
        const check = parseFieldText(definition, cell);
        if (check === undefined) return;
        if (check.ok && check.value !== null) update.fields[key] = values[key] = check.value;
        else if (!check.ok) {
          values[key] = cell;
          problems.push(`${key}: ${check.reason}`);
        }
      }
    }
  });
  if (phone) Object.assign(identity, phone);
  const named = identity.waId !== undefined || identity.bsuid !== undefined;
  if (!named && problems.length === 0)
    problems.push(bsuidMapped ? 'phone and bsuid are empty: a row needs one' : 'phone is empty');
  if (problems.length > 0 || !named) return { ok: false, reason: problems.join('; '), values };
  return { ok: true, ...identity, update, values };
}
