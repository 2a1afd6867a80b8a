-- Erasure of identifiers (docs/erasure.md). A WhatsApp message id (wamid) encodes the
-- person's phone number, yet ingest needs it after an erasure to recognise a retried webhook
-- and to match a late status. At erasure the log, the state tables and every mirror replace
-- such identifiers by a keyed hash (HMAC-SHA-256) whose key lives here: in Postgres, beside
-- the log but never in it, so no mirror (they copy only the log) and no export ever holds it.
-- One row, created by the application on first use with 32 random bytes.
create table erasure_secret (
  id smallint primary key default 1 check (id = 1),
  secret bytea not null check (octet_length(secret) >= 32),
  created_at timestamptz not null default now()
);

-- The erasing transaction may also rewrite events that name no contact but hold the
-- person's identifiers (a status that matched no message keeps recipient_id, an unrecognised
-- webhook keeps its raw body). It lists their ids in `parley.erasing_events` (comma
-- separated, transaction-local) next to `parley.erasing`; the same columns only.
create or replace function events_reject_change() returns trigger language plpgsql as $$
declare
  erasing text := current_setting('parley.erasing', true);
  listed text := current_setting('parley.erasing_events', true);
begin
  if tg_op = 'UPDATE'
     and coalesce(erasing, '') <> ''
     and (
       (old.contact_id is not null and old.contact_id::text = erasing)
       or (old.contact_id is null and coalesce(listed, '') <> ''
           and old.id = any(string_to_array(listed, ',')::bigint[]))
     )
     and (new.id, new.xid, new.type, new.schema_version, new.occurred_at, new.recorded_at, new.contact_id,
          new.channel, new.source)
         is not distinct from
         (old.id, old.xid, old.type, old.schema_version, old.occurred_at, old.recorded_at, old.contact_id,
          old.channel, old.source)
  then
    return new;
  end if;
  raise exception 'events is append-only: % is not allowed', tg_op
    using errcode = 'restrict_violation',
          hint = 'Append a new event instead of changing or removing one (only an erasure may rewrite a person''s payloads).';
end;
$$;

-- An erasure searches the events that name no contact for the person's identifiers; they are
-- few (unrecognised bodies, unmatched statuses, channel updates), so an index keeps that
-- search from reading the whole log.
create index events_unattributed on events (id) where contact_id is null;
