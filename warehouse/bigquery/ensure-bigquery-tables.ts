import type { BigQuery, TableField } from '@google-cloud/bigquery';
import { bigQuerySchema } from '../tables/bigquery-schema.js';
import type { WarehouseTable } from '../tables/table-definition.js';

export interface EnsureResult {
  created: string[];
  /** Columns added to existing tables, as table.column. */
  addedColumns: string[];
}

const isStatus = (error: unknown, code: number) => (error as { code?: number }).code === code;

/**
 * Makes the dataset match the warehouse definitions: creates the dataset, every table
 * (partitioned by day on its partition column, clustered, described from the data
 * dictionary) and, for current-state tables, a `<table>_latest` view. A column added to a
 * definition is added to the BigQuery table with tables.patch; BigQuery only accepts new
 * columns as NULLABLE (or REPEATED), so loads keep working whatever the definition says.
 */
export async function ensureBigQueryTables(
  client: BigQuery,
  options: { datasetId: string; location: string; tables: readonly WarehouseTable[] },
): Promise<EnsureResult> {
  const result: EnsureResult = { created: [], addedColumns: [] };
  const dataset = client.dataset(options.datasetId, { location: options.location });
  const [datasetExists] = await dataset.exists();
  if (!datasetExists) {
    try {
      await dataset.create({ location: options.location });
    } catch (error) {
      // Another instance created it first.
      if (!isStatus(error, 409)) throw error;
    }
  }
  for (const table of options.tables) {
    const spec = bigQuerySchema(table);
    const bqTable = dataset.table(spec.tableId);
    const [exists] = await bqTable.exists();
    if (!exists) {
      await createIgnoringRace(() =>
        bqTable.create({
          schema: spec.schema,
          description: spec.description,
          timePartitioning: spec.timePartitioning,
          clustering: spec.clustering,
        }),
      );
      result.created.push(spec.tableId);
    } else {
      const [metadata] = await bqTable.getMetadata();
      const existing: TableField[] = metadata.schema?.fields ?? [];
      const known = new Set(existing.map((f) => f.name));
      const added = spec.schema.fields
        .filter((f) => !known.has(f.name))
        .map((f) => ({ ...f, mode: f.mode === 'REPEATED' ? f.mode : ('NULLABLE' as const) }));
      if (added.length > 0) {
        await bqTable.setMetadata({ schema: { fields: [...existing, ...added] } });
        result.addedColumns.push(...added.map((f) => `${spec.tableId}.${f.name}`));
      }
    }
    if (table.kind === 'state') {
      const view = dataset.table(`${table.name}_latest`);
      const query = latestViewQuery(client.projectId, options.datasetId, table);
      const [viewExists] = await view.exists();
      if (!viewExists) {
        await createIgnoringRace(() =>
          view.create({
            view: { query, useLegacySql: false },
            description: `Latest row per ${table.key.join(', ')} of ${table.name}, which holds one row per exported change.`,
          }),
        );
        result.created.push(`${table.name}_latest`);
      } else {
        await view.setMetadata({ view: { query, useLegacySql: false } });
      }
    }
  }
  return result;
}

/**
 * The latest exported version of each row of a current-state table. QUALIFY needs a WHERE,
 * GROUP BY or HAVING clause in BigQuery (https://cloud.google.com/bigquery/docs/reference/standard-sql/query-syntax#qualify_clause).
 */
export function latestViewQuery(projectId: string, datasetId: string, table: WarehouseTable): string {
  return `SELECT * FROM \`${projectId}.${datasetId}.${table.name}\` WHERE true
QUALIFY ROW_NUMBER() OVER (PARTITION BY ${table.key.join(', ')} ORDER BY ${table.positionColumn} DESC) = 1`;
}

async function createIgnoringRace(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (error) {
    if (!isStatus(error, 409)) throw error;
  }
}
