import type { WarehouseColumnType, WarehouseTable } from './table-definition.js';

/** A field of a BigQuery table schema, as the REST API and @google-cloud/bigquery take it. */
export interface BigQueryField {
  name: string;
  type: 'STRING' | 'INT64' | 'FLOAT64' | 'BOOL' | 'TIMESTAMP' | 'JSON';
  mode: 'REQUIRED' | 'NULLABLE' | 'REPEATED';
  description: string;
}

export interface BigQueryTableSpec {
  tableId: string;
  description: string;
  schema: { fields: BigQueryField[] };
  /** https://cloud.google.com/bigquery/docs/reference/rest/v2/tables#TimePartitioning */
  timePartitioning: { type: 'DAY'; field: string };
  clustering: { fields: string[] };
}

const bigQueryTypes: Record<WarehouseColumnType, BigQueryField['type']> = {
  string: 'STRING',
  int64: 'INT64',
  int32: 'INT64',
  float64: 'FLOAT64',
  bool: 'BOOL',
  timestamp: 'TIMESTAMP',
  json: 'JSON',
  'string[]': 'STRING',
};

// BigQuery limits a field description to 1,024 characters.
const maxDescription = 1024;

/** The BigQuery table of a warehouse table: partitioned by day, clustered, described. */
export function bigQuerySchema(table: WarehouseTable): BigQueryTableSpec {
  return {
    tableId: table.name,
    description: table.description.slice(0, maxDescription),
    schema: {
      fields: table.columns.map((c) => ({
        name: c.name,
        type: bigQueryTypes[c.type],
        // A list is a REPEATED field, which BigQuery never stores as NULL (an empty list instead).
        mode: c.type === 'string[]' ? 'REPEATED' : c.nullable ? 'NULLABLE' : 'REQUIRED',
        description: c.description.slice(0, maxDescription),
      })),
    },
    timePartitioning: { type: 'DAY', field: table.partitionColumn },
    // BigQuery allows at most four clustering columns.
    clustering: { fields: table.clusterColumns.slice(0, 4) },
  };
}
