import type { ChoiceOption } from '../../core/db/schema.js';

export type FieldType = 'text' | 'number' | 'boolean' | 'date' | 'datetime' | 'choice';

/** What validation needs of a custom field. */
export interface FieldDefinition {
  key: string;
  type: FieldType;
  options: ChoiceOption[];
}

export type FieldValue = string | number | boolean | null;
export type FieldCheck = { ok: true; value: FieldValue } | { ok: false; reason: string };

const MAX_TEXT = 2000;
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
// ISO 8601 with a time and an explicit offset: an offset-less time is ambiguous across timezones.
const datetimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Checks a value given as JSON (the API, the dashboard) against its field's type and returns
 * the stored value: text, a finite number, a boolean, 'YYYY-MM-DD', an ISO datetime with
 * offset normalised to UTC, or a choice's option key. null clears the field.
 */
export function checkFieldValue(field: FieldDefinition, value: unknown): FieldCheck {
  if (value === null) return { ok: true, value: null };
  switch (field.type) {
    case 'text':
      if (typeof value !== 'string') return { ok: false, reason: 'must be text' };
      if (value.length > MAX_TEXT) return { ok: false, reason: `must be at most ${MAX_TEXT} characters` };
      return { ok: true, value };
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value))
        return { ok: false, reason: 'must be a number' };
      return { ok: true, value };
    case 'boolean':
      if (typeof value !== 'boolean') return { ok: false, reason: 'must be true or false' };
      return { ok: true, value };
    case 'date':
      return typeof value === 'string' && isDate(value)
        ? { ok: true, value }
        : { ok: false, reason: 'must be a date written YYYY-MM-DD' };
    case 'datetime': {
      if (typeof value !== 'string' || !datetimePattern.test(value) || Number.isNaN(Date.parse(value))) {
        return {
          ok: false,
          reason: 'must be an ISO date and time with an offset, e.g. 2026-03-01T09:30:00+02:00',
        };
      }
      return { ok: true, value: new Date(value).toISOString() };
    }
    case 'choice': {
      const keys = field.options.map((o) => o.key);
      if (typeof value === 'string' && keys.includes(value)) return { ok: true, value };
      return { ok: false, reason: `must be one of the options: ${keys.join(', ')}` };
    }
  }
}

/**
 * Reads a value written as text (a CSV cell): numbers with '.' decimals, yes/no, true/false
 * and 1/0 for booleans, and a choice by its key or its label (any case). An empty cell is
 * "no value" (undefined): imports leave the field as it was.
 */
export function parseFieldText(field: FieldDefinition, text: string): FieldCheck | undefined {
  const cell = text.trim();
  if (cell === '') return undefined;
  switch (field.type) {
    case 'number': {
      const n = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cell) ? Number(cell) : Number.NaN;
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, reason: `"${cell}" is not a number` };
    }
    case 'boolean': {
      const b = parseBoolean(cell);
      return b === undefined
        ? { ok: false, reason: `"${cell}" is not yes/no, true/false or 1/0` }
        : { ok: true, value: b };
    }
    case 'choice': {
      const lower = cell.toLowerCase();
      const option = field.options.find(
        (o) => o.key === cell || o.label.toLowerCase() === lower || o.key.toLowerCase() === lower,
      );
      return option
        ? { ok: true, value: option.key }
        : {
            ok: false,
            reason: `unknown choice "${cell}" (options: ${field.options.map((o) => o.key).join(', ')})`,
          };
    }
    default: {
      const check = checkFieldValue(field, cell);
      return check.ok ? check : { ok: false, reason: `"${cell}" ${check.reason}` };
    }
  }
}

export function parseBoolean(text: string): boolean | undefined {
  const lower = text.trim().toLowerCase();
  if (['true', 'yes', 'y', '1'].includes(lower)) return true;
  if (['false', 'no', 'n', '0'].includes(lower)) return false;
  return undefined;
}

function isDate(value: string): boolean {
  const m = datePattern.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}
