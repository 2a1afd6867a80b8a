/**
 * SQL literals for the builder's compiled SQL. Every value a user typed reaches the SQL only
 * through these: strings are single-quoted with quotes doubled (DuckDB's only escape in a
 * standard string literal), numbers must be finite, dates are validated by the schema first.
 */
export function stringLiteral(value: string): string {
  if (value.includes('\u0000')) throw new Error('a value cannot contain a NUL character');
  return `'${value.replaceAll("'", "''")}'`;
}

export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  return String(value);
}

/** Midnight UTC of an ISO date (YYYY-MM-DD), plus whole days. */
export function dayStartLiteral(date: string, plusDays = 0): string {
  const day = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== date) {
    throw new Error(`not a date: ${date}`);
  }
  day.setUTCDate(day.getUTCDate() + plusDays);
  return `TIMESTAMPTZ '${day.toISOString().slice(0, 10)} 00:00:00+00'`;
}
