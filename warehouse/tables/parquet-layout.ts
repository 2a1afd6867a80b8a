import type { WarehouseColumnType, WarehouseTable } from './table-definition.js';

/** How one column is stored in the Parquet files DuckDB writes (checked by a test with parquet_schema). */
export interface ParquetColumn {
  name: string;
  physicalType: 'BYTE_ARRAY' | 'INT64' | 'INT32' | 'DOUBLE' | 'BOOLEAN';
  /** Parquet converted type, as parquet_schema() reports it (null for plain numbers). */
  convertedType: 'UTF8' | 'INT_64' | 'INT_32' | 'TIMESTAMP_MICROS' | 'JSON' | null;
  /** DuckDB writes every column OPTIONAL; `nullable` says whether a null can actually occur. */
  nullable: boolean;
}

export interface ParquetLayout {
  table: string;
  /** Hive-style partition key, a day (YYYY-MM-DD in UTC) of `partitionColumn`. */
  partitionKey: 'date';
  partitionColumn: string;
  /** File path pattern under the export directory. */
  pathPattern: string;
  columns: ParquetColumn[];
}

const parquetTypes: Record<WarehouseColumnType, Pick<ParquetColumn, 'physicalType' | 'convertedType'>> = {
  string: { physicalType: 'BYTE_ARRAY', convertedType: 'UTF8' },
  int64: { physicalType: 'INT64', convertedType: 'INT_64' },
  int32: { physicalType: 'INT32', convertedType: 'INT_32' },
  float64: { physicalType: 'DOUBLE', convertedType: null },
  bool: { physicalType: 'BOOLEAN', convertedType: null },
  timestamp: { physicalType: 'INT64', convertedType: 'TIMESTAMP_MICROS' },
  json: { physicalType: 'BYTE_ARRAY', convertedType: 'JSON' },
  // A LIST group whose `element` leaf is UTF8 text.
  'string[]': { physicalType: 'BYTE_ARRAY', convertedType: 'UTF8' },
};

export function parquetLayout(table: WarehouseTable): ParquetLayout {
  return {
    table: table.name,
    partitionKey: 'date',
    partitionColumn: table.partitionColumn,
    pathPattern: `${table.name}/date=YYYY-MM-DD/part-<first position>-<last position>-<n>.parquet`,
    columns: table.columns.map((c) => ({ name: c.name, ...parquetTypes[c.type], nullable: c.nullable })),
  };
}
