/**
 * One definition per warehouse table: from it come the DuckDB DDL, the
 * BigQuery schema, the Parquet layout and the data dictionary (docs/warehouse.md). Column
 * names are snake_case and stable: analysts write SQL against them.
 */
/** `string[]` is a list of strings (DuckDB VARCHAR[], BigQuery REPEATED STRING, never null). */
export type WarehouseColumnType =
  | 'string'
  | 'int64'
  | 'int32'
  | 'float64'
  | 'bool'
  | 'timestamp'
  | 'json'
  | 'string[]';

/**
 * How a personal column is shown to someone without `pii.read` (their SQL reads a masked
 * catalogue, warehouse/sandbox/masked-catalogue.ts; docs/warehouse.md lists the rules):
 * - `hash`: an identifier (phone number, BSUID, username, media id) becomes `anon_` and 16 hex
 *   digits of a keyed SHA-256, so equal values stay equal (joins, distinct counts) but cannot
 *   be guessed back;
 * - `initials`: a name keeps its initials (`Thandi Mokoena` -> `T*** M***`), as the dashboard shows it;
 * - `redact`: free text and locations become `[redacted]` (null stays null, numbers become null);
 * - `custom-fields`: the JSON object keeps the values of custom fields whose type is not text
 *   (choices, numbers, dates, booleans), other values become `"[redacted]"`;
 * - `field-values`: a profile change keeps its values for non-personal fields (language,
 *   timezone, opt_in, blocked, labels, non-text custom fields), others become `"[redacted]"`;
 * - `payload`: the raw event payload becomes `{}`.
 */
export type PiiMasking = 'hash' | 'initials' | 'redact' | 'custom-fields' | 'field-values' | 'payload';

export interface WarehouseColumn {
  name: string;
  type: WarehouseColumnType;
  nullable: boolean;
  description: string;
  /** Set on columns that hold personal data; absent means the column is not personal. */
  pii?: PiiMasking;
}

export interface WarehouseTable {
  name: string;
  description: string;
  /**
   * `log`: one row per event (or per event and field), never changed once written.
   * `state`: the current state of something (a message, a contact), updated as events arrive.
   */
  kind: 'log' | 'state';
  /** Columns that identify a row. */
  key: readonly string[];
  /** Event types the rows derive from; `*` means every event of the log. */
  derivedFrom: readonly string[];
  /** Timestamp column whose day partitions the table (BigQuery) and its Parquet files. */
  partitionColumn: string;
  /** Columns BigQuery clusters by. */
  clusterColumns: readonly string[];
  /**
   * Log position of the row's last change: it only grows, so exports read `> last exported`.
   * For `log` tables it is the position of the event the row came from.
   */
  positionColumn: string;
  columns: readonly WarehouseColumn[];
}

const snakeCase = /^[a-z][a-z0-9_]*$/;

/** Checks a definition once, where it is declared, so a mistake fails every test at import. */
export function defineTable(table: WarehouseTable): WarehouseTable {
  const problems: string[] = [];
  if (!snakeCase.test(table.name)) problems.push(`table name ${table.name} is not snake_case`);
  if (table.description.trim().length < 10) problems.push('table description is missing');
  const byName = new Map<string, WarehouseColumn>();
  for (const column of table.columns) {
    if (!snakeCase.test(column.name)) problems.push(`column ${column.name} is not snake_case`);
    if (byName.has(column.name)) problems.push(`column ${column.name} is defined twice`);
    if (column.description.trim().length < 10) problems.push(`column ${column.name} has no description`);
    byName.set(column.name, column);
  }
  const mustExist = (name: string, role: string) => {
    if (!byName.has(name)) problems.push(`${role} ${name} is not a column`);
  };
  for (const key of table.key) mustExist(key, 'key column');
  for (const cluster of table.clusterColumns) mustExist(cluster, 'cluster column');
  mustExist(table.partitionColumn, 'partition column');
  mustExist(table.positionColumn, 'position column');
  const partition = byName.get(table.partitionColumn);
  if (partition && (partition.type !== 'timestamp' || partition.nullable)) {
    problems.push(`partition column ${partition.name} must be a non-null timestamp`);
  }
  const position = byName.get(table.positionColumn);
  if (position && (position.type !== 'int64' || position.nullable)) {
    problems.push(`position column ${position.name} must be a non-null int64`);
  }
  if (table.derivedFrom.length === 0) problems.push('derivedFrom lists no event type');
  if (problems.length > 0) throw new Error(`warehouse table ${table.name}: ${problems.join('; ')}`);
  return table;
}

/** Shorthand for a column: a type ending in `?` is nullable (`'string?'`). */
export function column(
  name: string,
  type: WarehouseColumnType | `${WarehouseColumnType}?`,
  description: string,
  pii?: PiiMasking,
): WarehouseColumn {
  const nullable = type.endsWith('?');
  const base = {
    name,
    type: (nullable ? type.slice(0, -1) : type) as WarehouseColumnType,
    nullable,
    description,
  };
  return pii ? { ...base, pii } : base;
}
