/**
 * The forms a phone number takes in text we stored: digits as WhatsApp's wa_id writes them,
 * E.164 with `+`, and base64 inside a wamid (which encodes the number's digits as ASCII; the
 * number may start at any byte offset, so each of the three alignments is listed, without the
 * characters its neighbours also shape). Used to find copies of a person's number in texts
 * that name no contact (raw webhook bodies, statuses that matched no message, import files).
 */
export function phoneForms(waId: string): string[] {
  const digits = waId.replace(/\D/g, '');
  if (digits.length < 6) return [];
  const forms = new Set([digits, `+${digits}`]);
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.from(`${'\u0000'.repeat(offset)}${digits}`, 'latin1').toString('base64');
    // Skip the characters that also encode the padding before and the unknown byte after.
    const start = offset === 0 ? 0 : Math.ceil((offset * 8) / 6) + 1;
    const usable = Math.floor(((offset + digits.length) * 8) / 6);
    const stable = encoded.slice(start, usable);
    if (stable.length >= 8) forms.add(stable);
  }
  return [...forms];
}
