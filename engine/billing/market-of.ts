import {
  type CountryCode,
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
} from 'libphonenumber-js';

/**
 * The calling code Meta prices a message by: the recipient's phone number's, or, for a person
 * known only by a business-scoped user id (`ZA.1234...`, which starts with their country),
 * that country's. Null when neither tells: the rate card's '*' rate applies.
 */
export function callingCodeOf(person: { phone?: string | null; bsuid?: string | null }): string | null {
  if (person.phone) {
    const digits = person.phone.replace(/^\+/, '');
    const parsed = parsePhoneNumberFromString(`+${digits}`);
    if (parsed) return parsed.countryCallingCode;
  }
  const country = person.bsuid?.split('.')[0]?.toUpperCase();
  if (country && isSupportedCountry(country)) return getCountryCallingCode(country as CountryCode);
  return null;
}
