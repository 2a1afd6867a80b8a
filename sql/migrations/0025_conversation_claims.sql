-- Who holds a person's conversation right now. Routing (engine/routing) reads these claims to
-- decide which part of Parley answers an inbound message: a journey run in progress, or an
-- operator's open chat. One live claim per person and kind; a released claim keeps its row
-- (released_at) so the history stays in Postgres as well as in the log.
create table conversation_claims (
  id bigint generated always as identity primary key,
  contact_id bigint not null references contacts (id),
  kind text not null check (kind in ('journey_run', 'operator_chat')),
  owner_id text not null,
  claimed_at timestamptz not null default now(),
  released_at timestamptz
);

create unique index conversation_claims_live on conversation_claims (contact_id, kind) where released_at is null;
