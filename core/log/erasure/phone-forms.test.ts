import { describe, expect, it } from 'vitest';
import { phoneForms } from './phone-forms.js';

describe('phoneForms', () => {
  it('finds the number in a wamid whatever its offset in the encoded bytes', () => {
    const digits = '254722918273';
    const forms = phoneForms(digits);
    expect(forms.slice(0, 2)).toEqual([digits, `+${digits}`]);
    for (const prefix of ['', 'x', 'xy', '\u001c\u0018\u000c', 'abcd']) {
      const wamid = `wamid.${Buffer.from(`${prefix}${digits}\u0015\u0002\u0000`, 'latin1').toString('base64')}`;
      expect(
        forms.some((form) => wamid.includes(form)),
        prefix,
      ).toBe(true);
    }
  });

  it('gives nothing for a value too short to be a number', () => {
    expect(phoneForms('12')).toEqual([]);
  });
});
