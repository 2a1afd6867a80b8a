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

export type ReadRow =
  | { ok: true; waId: string; e164: string; update: RowUpdate; values: Record<string, unknown> }
  | { ok: false; reason: string; values: Record<string, unknown> };

const languagePattern = /^[a-z]{2,3}([_-][A-Za-z0-9]{2,8})*$/;

/**
 * One CSV row through the mapping: the phone in E.164 (national numbers in `defaultCountry`)
 * and every mapped value checked against its field. The first problem is the row's reason;
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
  context.headers.forEach((header, index) => {
    const key = context.mapping[header];
    if (!key) return;
    const cell = (cells[index] ?? '').trim();
    switch (key) {
      case 'phone': {
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
  if (!phone && problems.length === 0) problems.push('phone is empty');
  if (problems.length > 0 || !phone) return { ok: false, reason: problems.join('; '), values };
  return { ok: true, waId: phone.waId, e164: phone.e164, update, values };
}
