-- Cursor of the BigQuery export (issue 5, item 6), one row per dataset and warehouse table.
-- A batch is first recorded as pending (pending_to, pending_attempt), then loaded with a job
-- id derived from (dataset, table, exported_position, pending_to, attempt), then committed.
-- After a crash the same job id is used again: BigQuery answers 409 for an existing job, so
-- a batch can never be loaded twice.
create table bigquery_export_cursors (
  dataset text not null,
  table_name text not null,
  exported_position bigint not null default 0,
  pending_to bigint,
  pending_attempt integer not null default 0,
  last_job_id text,
  last_load_at timestamptz,
  last_error text,
  last_error_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (dataset, table_name)
);

comment on table bigquery_export_cursors is 'Per warehouse table: the last log position exported to BigQuery and the batch being loaded.';
comment on column bigquery_export_cursors.exported_position is 'Rows whose position column is at most this are in BigQuery.';
comment on column bigquery_export_cursors.pending_to is 'Upper position of the batch being loaded; null when none is in flight.';

-- Cursors of the Data Export API (issue 5, item 7): the query a client opened (type, time
-- range, ordering, page size, scrubbing rules). The position inside it travels in the cursor
-- string each page returns, so pages are resumable; the stored row keeps the parameters
-- out of the client's hands.
create table data_export_cursors (
  id text primary key,
  data_type text not null,
  params jsonb not null,
  api_token_id bigint,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);

comment on table data_export_cursors is 'Data Export API cursors: parameters of an export opened with POST /v1/data/{type}/cursor.';
