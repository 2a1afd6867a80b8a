/**
 * Masking of personal data for callers without `pii.read`, so
 * operators can tell people apart without seeing who they are: phone numbers keep their country calling code and last two digits
 * (27821234512 -> "+27 *******12"), names keep their initials ("Thandi Mokoena" -> "T*** M***").
 */
export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length < 6) return '*'.repeat(Math.max(digits.length, 3));
  const cc = callingCode(digits);
  const rest = digits.slice(cc.length);
  return `+${cc} ${'*'.repeat(rest.length - 2)}${rest.slice(-2)}`;
}

/**
 * A business-scoped user id keeps its country code and last two digits
 * (KE.7730591826604417 -> "KE.**************17"): it identifies a person as a number does.
 */
export function maskBsuid(value: string): string {
  const dot = value.indexOf('.');
  const head = dot > 0 && dot <= 3 ? value.slice(0, dot + 1) : '';
  const rest = value.slice(head.length);
  return `${head}${'*'.repeat(Math.max(rest.length - 2, 3))}${rest.length > 4 ? rest.slice(-2) : ''}`;
}

/** A username keeps its first character only: it is chosen by the person and often their name. */
export function maskUsername(username: string): string {
  return `${[...username][0] ?? ''}***`;
}

export function maskName(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .map((word) => (word ? `${[...word][0]}***` : word))
    .join(' ');
}

/**
 * A text that quotes personal values (an import error's reason): every quoted value becomes
 * `"***"` and every phone-like run of digits is masked as maskPhone does; short numbers
 * (line numbers, counts) stay.
 */
export function maskQuotedValues(text: string): string {
  return text.replace(/"[^"]*"/g, '"***"').replace(/\+?\d[\d ]{4,}\d/g, (number) => maskPhone(number));
}

/** Keys whose values are personal data wherever they appear in an event payload or a row. */
const phoneKeys = new Set(['wa_id', 'from', 'to', 'recipient_id', 'phone', 'input']);
const nameKeys = new Set(['name', 'profile_name', 'formatted_name', 'first_name', 'last_name']);
/** WhatsApp's business-scoped user ids (BSUIDs) under every name they travel by. */
const bsuidKeys = new Set([
  'user_id',
  'parent_user_id',
  'from_user_id',
  'from_parent_user_id',
  'recipient_user_id',
  'recipient_parent_user_id',
  'bsuid',
  'parent_bsuid',
  'recipient',
]);
const usernameKeys = new Set(['username']);
/** Copies of the whole request as the channel sent it: dropped rather than masked. */
const droppedKeys = new Set(['raw', 'raw_body']);

/** A deep copy of `value` with personal data masked, for callers without `pii.read`. */
export function maskPersonalData(value: unknown, key?: string): unknown {
  if (typeof value === 'string' && key !== undefined) {
    if (phoneKeys.has(key) && /^\+?\d[\d\s-]{4,}$/.test(value)) return maskPhone(value);
    if (nameKeys.has(key)) return maskName(value);
    if (bsuidKeys.has(key)) return maskBsuid(value);
    if (usernameKeys.has(key)) return maskUsername(value);
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => maskPersonalData(item, key));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (droppedKeys.has(k)) continue;
      // A personal key holding an object (contact.updated's `changes.name: {from, to}`): every
      // string inside is that kind of data, whatever its own key is called.
      const kind = personalKind(k);
      out[k] = kind && v !== null && typeof v === 'object' ? maskLeaves(v, kind) : maskPersonalData(v, k);
    }
    return out;
  }
  return value;
}

function personalKind(key: string): ((value: string) => string) | undefined {
  if (nameKeys.has(key)) return maskName;
  if (bsuidKeys.has(key)) return maskBsuid;
  if (usernameKeys.has(key)) return maskUsername;
  if (key === 'wa_id' || key === 'phone') return maskPhone;
  return undefined;
}

function maskLeaves(value: unknown, mask: (value: string) => string): unknown {
  if (typeof value === 'string') return mask(value);
  if (Array.isArray(value)) return value.map((item) => maskLeaves(item, mask));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskLeaves(v, mask)]));
  }
  return value;
}

// ITU-T E.164 country calling codes: 1 and 7 are one digit; these are the two-digit ones;
// every other code is three digits (https://www.itu.int/pub/T-SP-E.164D).
const twoDigitCodes = new Set([
  20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58, 60,
  61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
]);

function callingCode(digits: string): string {
  if (digits[0] === '1' || digits[0] === '7') return digits.slice(0, 1);
  if (twoDigitCodes.has(Number(digits.slice(0, 2)))) return digits.slice(0, 2);
  return digits.slice(0, 3);
}
