-- The append-only event log (DESIGN.md, principle 1). Readers follow (xid, id), never id
-- alone: identity ids and transaction ids are handed out before commit, so a reader that
-- trusted id order would skip a transaction that commits late.
create table events (
  id bigint generated always as identity primary key,
  xid xid8 not null default pg_current_xact_id(),
  type text not null,
  schema_version integer not null default 1,
  occurred_at timestamptz not null,
  recorded_at timestamptz not null default clock_timestamp(),
  contact_id bigint,
  channel text,
  source text not null,
  idempotency_key text,
  payload jsonb not null
);

comment on table events is 'Append-only log of everything that happens in Parley; never updated or deleted.';
comment on column events.xid is 'Transaction id of the writer; readers only read below pg_snapshot_xmin of the current snapshot.';
comment on column events.source is 'Who produced the event (whatsapp, simulator, sender, api, engine...); idempotency keys are unique per source.';

create index events_xid_id on events (xid, id);
create index events_contact_id on events (contact_id, id) where contact_id is not null;
create unique index events_source_idempotency_key on events (source, idempotency_key)
  where idempotency_key is not null;

create function events_reject_change() returns trigger language plpgsql as $$
begin
  raise exception 'events is append-only: % is not allowed', tg_op
    using errcode = 'restrict_violation',
          hint = 'Append a new event instead of changing or removing one.';
end;
$$;

create trigger events_no_update_delete before update or delete on events
  for each row execute function events_reject_change();
create trigger events_no_truncate before truncate on events
  for each statement execute function events_reject_change();

-- Wake readers on commit: NOTIFY is delivered only when the appending transaction commits,
-- and Postgres folds identical notifications of one transaction into one.
create function events_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('parley_events', '');
  return null;
end;
$$;

create trigger events_notify_on_insert after insert on events
  for each statement execute function events_notify();

-- Durable cursors of log consumers: (xid, event_id) of the last event each one applied.
create table consumer_cursors (
  name text primary key,
  xid xid8 not null default '0',
  event_id bigint not null default 0,
  applied_count bigint not null default 0,
  updated_at timestamptz not null default now(),
  last_error text,
  last_error_at timestamptz
);
