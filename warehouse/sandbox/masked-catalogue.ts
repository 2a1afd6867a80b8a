import type { PiiMasking, WarehouseColumn, WarehouseTable } from '../tables/table-definition.js';

/** The schemas of a reader instance that user SQL may read: one is chosen per query. */
export type Catalogue = 'masked' | 'full';

export interface CatalogueOptions {
  /** Secret of the keyed hash (hex); a user who knew it could hash guesses and compare. */
  hashKey: string;
  /** Custom field keys whose values are not personal (every type but text). */
  safeFieldKeys: readonly string[];
}

/** Profile fields of contact.updated whose values are not personal (custom fields aside). */
const safeProfileFields = ['language', 'timezone', 'opt_in', 'blocked', 'labels'];

/**
 * The statements that build, in a reader's in-memory catalogue, the two schemas user SQL can
 * read: `memory.full`, a view per warehouse table, and `memory.masked`, the same views with
 * every personal column (the `pii` marker of the table definitions) masked before any query
 * reads it. A query runs with one of them as its only search path, and check-statement.ts
 * refuses qualified names, so the attached warehouse itself is out of reach. Errors, counts
 * and `error()` tricks therefore only ever see masked values.
 */
export function catalogueStatements(tables: readonly WarehouseTable[], options: CatalogueOptions): string[] {
  const statements = ['CREATE SCHEMA memory.full', 'CREATE SCHEMA memory.masked'];
  for (const table of tables) {
    const source = `warehouse.main.${ident(table.name)}`;
    statements.push(`CREATE VIEW memory.full.${ident(table.name)} AS SELECT * FROM ${source}`);
    const columns = table.columns.map((c) =>
      c.pii ? `${maskedExpression(c, c.pii, options)} AS ${ident(c.name)}` : ident(c.name),
    );
    statements.push(
      `CREATE VIEW memory.masked.${ident(table.name)} AS SELECT ${columns.join(', ')} FROM ${source}`,
    );
  }
  return statements;
}

const redactedJson = `'"[redacted]"'::JSON`;

function maskedExpression(column: WarehouseColumn, rule: PiiMasking, options: CatalogueOptions): string {
  const c = ident(column.name);
  switch (rule) {
    case 'hash':
      // `||` with NULL is NULL, so a missing identifier stays missing.
      return `'anon_' || substr(sha256(${literal(options.hashKey)} || ${c}), 1, 16)`;
    case 'initials':
      return `array_to_string(list_transform(list_filter(string_split_regex(trim(${c}), '\\s+'), lambda w: w <> ''), lambda w: left(w, 1) || '***'), ' ')`;
    case 'redact':
      if (column.type === 'string') return `CASE WHEN ${c} IS NULL THEN NULL ELSE '[redacted]' END`;
      if (column.type === 'json') return `CASE WHEN ${c} IS NULL THEN NULL ELSE ${redactedJson} END`;
      return `NULL::${column.type === 'float64' ? 'DOUBLE' : 'VARCHAR'}`;
    case 'custom-fields': {
      const safe = listLiteral(options.safeFieldKeys);
      return `CASE WHEN ${c} IS NULL THEN NULL ELSE to_json(map_from_entries(list_transform(json_keys(${c}), lambda k: {'key': k, 'value': CASE WHEN list_contains(${safe}, k) THEN ${c}->k ELSE ${redactedJson} END}))) END`;
    }
    case 'field-values': {
      const safe = listLiteral([...safeProfileFields, ...options.safeFieldKeys]);
      return `CASE WHEN ${c} IS NULL OR list_contains(${safe}, field) THEN ${c} ELSE ${redactedJson} END`;
    }
    case 'payload':
      return `'{}'::JSON`;
  }
}

function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function listLiteral(items: readonly string[]): string {
  return `[${items.map(literal).join(', ')}]::VARCHAR[]`;
}
