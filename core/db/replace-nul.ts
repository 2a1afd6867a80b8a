/**
 * What every path that stores external text (webhooks, CSV imports, REST bodies) does with
 * NUL (U+0000): it becomes U+FFFD, the Unicode replacement character. Postgres refuses NUL
 * in `text` and in `jsonb` (as the `\u0000` escape), so one such character made a whole
 * write fail; replacing it keeps the message (Meta would otherwise retry for a week and then
 * drop it) and keeps every copy of the data alike, since the log and the mirrors all see the
 * replaced text. Object keys are replaced too; only plain objects and arrays are walked (a
 * stream, a Buffer or a Date is returned as it is). Values without NUL are returned as they are.
 */
export const nulReplacement = '\uFFFD';

export function replaceNul<T>(value: T): T {
  return replace(value) as T;
}

function replace(value: unknown): unknown {
  if (typeof value === 'string')
    return value.includes('\u0000') ? value.replaceAll('\u0000', nulReplacement) : value;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item) => {
      const next = replace(item);
      if (next !== item) changed = true;
      return next;
    });
    return changed ? out : value;
  }
  if (isPlainObject(value)) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const nextKey = replace(key) as string;
      const next = replace(item);
      if (nextKey !== key || next !== item) changed = true;
      out[nextKey] = next;
    }
    return changed ? out : value;
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
