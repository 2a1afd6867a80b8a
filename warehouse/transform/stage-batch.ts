/**
 * The staging table of one batch: the log rows exactly as read, plus their log position.
 * Every transform step reads `_batch` (or the typed tables extracted from it) and the
 * mirror's current tables, so the same statements serve the mirror, rebuild and verify.
 */
export const batchColumns = [
  ['page_row', 'BIGINT'],
  ['event_id', 'BIGINT'],
  ['xid', 'UBIGINT'],
  ['type', 'VARCHAR'],
  ['schema_version', 'INTEGER'],
  ['occurred_at', 'TIMESTAMPTZ'],
  ['recorded_at', 'TIMESTAMPTZ'],
  ['contact_id', 'BIGINT'],
  ['channel', 'VARCHAR'],
  ['source', 'VARCHAR'],
  ['idempotency_key', 'VARCHAR'],
  ['payload', 'VARCHAR'],
] as const;

/**
 * Builds `_batch` from `source`, a query or table function yielding `batchColumns` by name.
 * `page_row` numbers the rows 1, 2, 3... in (xid, id) order (Postgres computes it while
 * reading the index in that order), so positions continue from `basePosition` without a sort.
 */
export function stageBatchSql(source: string, basePosition: bigint): string {
  const names = batchColumns.map(([name]) => name).filter((name) => name !== 'page_row');
  return `CREATE OR REPLACE TEMP TABLE _batch AS
    SELECT ${basePosition}::BIGINT + page_row AS log_position, ${names.join(', ')}
    FROM ${source}`;
}

/**
 * The page format: `COPY (...) TO STDOUT (FORMAT csv, DELIMITER E'\x1f', QUOTE E'\x01')`,
 * columns in `copyColumns` order. Control characters as delimiter and quote never occur in
 * JSON text (jsonb escapes them), so payloads travel unquoted and neither Postgres nor DuckDB
 * has to double and undouble their quotes; any other value containing them is still quoted
 * correctly. NULL is an unquoted empty field, an empty string a quoted one.
 */
export const csvDelimiter = '\x1f';
export const csvQuote = '\x01';

export const copyColumns = [
  'page_row',
  'type',
  'schema_version',
  'occurred_at',
  'recorded_at',
  'contact_id',
  'channel',
  'source',
  'idempotency_key',
  'payload',
  'xid',
  'event_id',
] as const;

export function csvSource(file: string): string {
  const types = new Map<string, string>(batchColumns);
  const columns = copyColumns.map((name) => `'${name}': '${types.get(name)}'`).join(', ');
  // A line holds one event; webhook bodies are at most 1 MiB (api/server.ts).
  return `read_csv('${file.replaceAll("'", "''")}', header = false, auto_detect = false,
    delim = '${csvDelimiter}', quote = '${csvQuote}', escape = '${csvQuote}', allow_quoted_nulls = false,
    max_line_size = 16777216, buffer_size = 33554432, columns = {${columns}})`;
}
