-- Rebuilding a BigQuery export (npm run warehouse -- bigquery-rebuild): every table of the
-- dataset goes back to position 0 in a new generation. The generation is part of each load
-- job's id, so the re-export's jobs are new ones: with the old ids BigQuery would answer 409
-- ("this job exists") and the export would take the batch for loaded. truncate_pending makes
-- the exporter empty the table before its first load of the new generation, after any load of
-- the old one still in flight has finished (the exporter runs one batch at a time).
alter table bigquery_export_cursors
  add column generation integer not null default 0,
  add column truncate_pending boolean not null default false;

comment on column bigquery_export_cursors.generation is 'Times this dataset was rebuilt; part of every load job id.';
comment on column bigquery_export_cursors.truncate_pending is 'The table must be emptied before the next load (a rebuild began).';
