import ct from 'countries-and-timezones';
import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';

/** A person's phone in E.164: WhatsApp ids are the number's digits without the '+'. */
export function phoneOf(waId: string): string {
  return `+${waId}`;
}

/** The ISO country of a WhatsApp id, from its calling code (libphonenumber-js). */
export function countryOf(waId: string): string | undefined {
  return parsePhoneNumberFromString(phoneOf(waId))?.country;
}

/**
 * The timezone of a person with no explicit one: the first zone that countries-and-timezones
 * lists for the number's country, or UTC when the number has no country.
 */
export function derivedTimezone(waId: string): string {
  const country = countryOf(waId);
  return (country && ct.getCountry(country)?.timezones[0]) || 'UTC';
}

export type NormalisedPhone = { ok: true; waId: string; e164: string } | { ok: false; reason: string };

/**
 * A phone as people write it ('082 123 4567', '+27 82 123 4567', '27821234567') in E.164,
 * national numbers read in `defaultCountry`. Digits-only numbers that are valid with a '+'
 * are taken as international (exports and WhatsApp ids are written that way).
 */
export function normalisePhone(value: string, defaultCountry: string): NormalisedPhone {
  const text = value.trim();
  if (text === '') return { ok: false, reason: 'phone is empty' };
  const country = defaultCountry.toUpperCase() as CountryCode;
  let parsed = parsePhoneNumberFromString(text, country);
  if (!parsed?.isValid() && /^\d{8,15}$/.test(text)) parsed = parsePhoneNumberFromString(`+${text}`);
  if (!parsed?.isValid()) {
    return { ok: false, reason: `invalid phone number "${text}" (read with default country ${country})` };
  }
  return { ok: true, waId: parsed.number.slice(1), e164: parsed.number };
}

/** Whether `zone` is an IANA timezone this runtime knows. */
export function isTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/** Whether `code` is a country libphonenumber-js can read national numbers in ('ZA'). */
export function isCountryCode(code: string): boolean {
  return isSupportedCountry(code);
}
