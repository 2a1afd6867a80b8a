-- Erasure of a person (DESIGN.md principle 1's one exception, issue 6): the log stays
-- append-only, except that the transaction erasing a person may rewrite the payload of that
-- person's events (core/log/erase-contact.ts). It names the person with
-- `set_config('parley.erasing', '<contact id>', true)` (transaction-local); the trigger then
-- lets an UPDATE through only for rows of that contact, and only if nothing but the payload
-- and the idempotency key (ingest's `contact:<wa_id>` holds the number) changes. DELETE and
-- TRUNCATE stay refused, always.
create or replace function events_reject_change() returns trigger language plpgsql as $$
declare
  erasing text := current_setting('parley.erasing', true);
begin
  if tg_op = 'UPDATE'
     and coalesce(erasing, '') <> ''
     and old.contact_id is not null
     and old.contact_id::text = erasing
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
