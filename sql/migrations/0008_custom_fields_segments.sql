-- Custom fields (issue 6, item 2): typed profile fields managed in settings. `key` is what
-- SQL (contacts.custom_fields->>'key'), journeys and templates use, so it never changes;
-- renaming changes `name` only, and contact_changes keeps every value's history.
create table custom_fields (
  id bigint generated always as identity primary key,
  key text not null unique check (key ~ '^[a-z][a-z0-9_]{0,62}$'),
  name text not null,
  type text not null check (type in ('text', 'number', 'boolean', 'date', 'datetime', 'choice')),
  -- For type choice: [{"key": "north", "label": "North"}, ...]; values store the option key.
  options jsonb not null default '[]',
  description text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Segments (issue 6, item 5): one SELECT over the warehouse returning contact_id, run in the
-- SQL sandbox. `builder` holds the visual builder's conditions when the segment was made
-- with it (null once a user switched to SQL); `sql` is always what runs.
create table segments (
  id bigint generated always as identity primary key,
  name text not null,
  description text,
  sql text not null,
  builder jsonb,
  -- Custom field keys the segment reads, so deleting a field can name the segments using it.
  field_keys text[] not null default '{}',
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  archived_at timestamptz
);
create unique index segments_name on segments (lower(name)) where archived_at is null;
create index segments_field_keys on segments using gin (field_keys);

-- Count history of saved segments (issue 6, item 7).
create table segment_counts (
  segment_id bigint not null references segments (id),
  counted_at timestamptz not null default now(),
  count bigint not null,
  -- The warehouse's log position when the count ran: counts are as of that position.
  log_position bigint not null,
  primary key (segment_id, counted_at)
);

-- Membership materialised for a send (issue 6, item 8); segment.snapshot records it in the log.
create table segment_snapshots (
  id bigint generated always as identity primary key,
  segment_id bigint not null references segments (id),
  count bigint not null,
  sql_hash text not null,
  log_position bigint not null,
  requested_by text not null,
  created_at timestamptz not null default now()
);

create table segment_snapshot_members (
  snapshot_id bigint not null references segment_snapshots (id),
  contact_id bigint not null,
  primary key (snapshot_id, contact_id)
);
