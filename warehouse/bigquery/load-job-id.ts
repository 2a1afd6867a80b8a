/**
 * The id of the load job of one batch: a function of the dataset, its rebuild generation, the
 * table, the batch's position range and the attempt number (after a load job that BigQuery
 * ran and failed).
 * A retry after a crash makes the same id, and BigQuery refuses a second job with an id it
 * has seen (409 duplicate), so a batch cannot be loaded twice.
 * https://cloud.google.com/bigquery/docs/running-jobs#generate-jobid
 */
export function loadJobId(batch: {
  datasetId: string;
  table: string;
  fromPosition: bigint | string;
  toPosition: bigint | string;
  attempt: number;
  /** Rebuilds of the dataset so far; ids of generation 0 keep their original form. */
  generation?: number;
}): string {
  const generation = batch.generation ? `_g${batch.generation}` : '';
  const base = `parley_${batch.datasetId}${generation}_${batch.table}_${batch.fromPosition}_${batch.toPosition}`;
  // Job ids allow letters, digits, _ and - only.
  const safe = base.replace(/[^A-Za-z0-9_-]/g, '_');
  return batch.attempt > 0 ? `${safe}_retry${batch.attempt}` : safe;
}
