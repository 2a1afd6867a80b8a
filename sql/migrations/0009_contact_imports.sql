-- CSV imports of people (issue 6, item 4). The uploaded file is parsed once and its rows
-- stored here, so the background job that applies them survives restarts; it works through
-- the rows in order, a chunk per transaction, and its progress (processed_rows and the
-- counts) commits with each chunk's changes and events, so no row is ever applied twice.
create table contact_imports (
  id bigint generated always as identity primary key,
  file_name text,
  -- The channel new people are created on.
  channel text not null,
  status text not null default 'uploaded' check (status in ('uploaded', 'queued', 'running', 'done', 'failed')),
  headers text[] not null,
  total_rows integer not null,
  -- Set by start: CSV header -> field key (or null), create/update/both, country for national numbers.
  mapping jsonb,
  mode text check (mode in ('create', 'update', 'both')),
  default_country text,
  processed_rows integer not null default 0,
  created_count integer not null default 0,
  updated_count integer not null default 0,
  -- Valid rows that needed nothing: an existing person in create mode, a new one in update mode.
  skipped_count integer not null default 0,
  invalid_count integer not null default 0,
  error text,
  created_by text not null,
  -- Lease of the worker processing it (claim-lease, like the outbox sender).
  claimed_until timestamptz,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create index contact_imports_active on contact_imports (id) where status in ('queued', 'running');

-- The file's data rows in order (ord 1..total_rows); line is the line number in the file.
create table contact_import_rows (
  import_id bigint not null references contact_imports (id) on delete cascade,
  ord integer not null,
  line integer not null,
  cells jsonb not null,
  primary key (import_id, ord)
);

-- First line of each phone in the file: a later line with the same phone is a duplicate.
create table contact_import_phones (
  import_id bigint not null references contact_imports (id) on delete cascade,
  wa_id text not null,
  line integer not null,
  primary key (import_id, wa_id)
);

-- Every invalid row with its reason.
create table contact_import_errors (
  import_id bigint not null references contact_imports (id) on delete cascade,
  line integer not null,
  reason text not null,
  primary key (import_id, line)
);
