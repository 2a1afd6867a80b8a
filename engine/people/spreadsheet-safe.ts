/**
 * Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection):
 * every CSV Parley writes from people's text (the people export, warehouse downloads) uses this.
 */
export function spreadsheetSafe(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
