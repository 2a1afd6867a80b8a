import type { FieldType } from './people.js';

/** What a form input holds for a field: a checkbox's state or an input's text. */
export type InputValue = string | boolean;

/** A stored custom field value as its input shows it (datetime in the browser's local time). */
export function toInput(type: FieldType, value: unknown): InputValue {
  if (type === 'boolean') return value === true;
  if (value === null || value === undefined) return '';
  if (type === 'datetime') {
    const date = new Date(String(value));
    if (Number.isNaN(date.getTime())) return String(value);
    const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
    return local.toISOString().slice(0, 16);
  }
  return String(value);
}

/**
 * An input's value as the server takes it: empty clears (null). A number that does not parse
 * goes as typed, so the server (the one validator) answers with the field and the reason.
 */
export function fromInput(type: FieldType, input: InputValue): unknown {
  if (type === 'boolean') return input === true;
  const text = String(input).trim();
  if (text === '') return null;
  if (type === 'number') {
    const n = Number(text);
    return Number.isFinite(n) ? n : text;
  }
  if (type === 'datetime') {
    const date = new Date(text);
    return Number.isNaN(date.getTime()) ? text : date.toISOString();
  }
  return text;
}
