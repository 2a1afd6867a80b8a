/**
 * One definition per warehouse table (issue 5, item 1): from it come the DuckDB DDL, the
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

export interface WarehouseColumn {
  name: string;
  type: WarehouseColumnType;
  nullable: boolean;
  description: string;
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
): WarehouseColumn {
  const nullable = type.endsWith('?');
  return { name, type: (nullable ? type.slice(0, -1) : type) as WarehouseColumnType, nullable, description };
}
