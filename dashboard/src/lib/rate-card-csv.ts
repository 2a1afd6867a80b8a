/** Meta's pricing categories, in the rate card CSV's column order (the server's order too). */
export const rateCardCategories = [
  'marketing',
  'utility',
  'authentication',
  'authentication_international',
  'service',
] as const;

/**
 * A rate card as the CSV the server takes back (`calling_code,market,<categories>`): an admin
 * downloads the card in force, changes the prices, and publishes it with a new effective date.
 * A market or cell with a comma or quote is quoted, as CSV requires.
 */
export function rateCardCsv(
  rates: readonly { calling_code: string; market: string; category: string; rate: string }[],
): string {
  const quote = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  const byCode = new Map<string, { market: string; rates: Record<string, string> }>();
  for (const r of rates) {
    const row = byCode.get(r.calling_code) ?? { market: r.market, rates: {} };
    row.rates[r.category] = r.rate;
    byCode.set(r.calling_code, row);
  }
  const lines = [['calling_code', 'market', ...rateCardCategories].join(',')];
  for (const [code, row] of byCode)
    lines.push([code, quote(row.market), ...rateCardCategories.map((c) => row.rates[c] ?? '')].join(','));
  return `${lines.join('\n')}\n`;
}
