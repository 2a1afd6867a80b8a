-- Idempotency keys of REST writes (POST /v1/messages): the first answer to a key is stored
-- in the same transaction as the write, so a client's retry with the same key and body gets
-- that answer again instead of a second message. Keys belong to one caller (an API token,
-- or a user) and are kept for 24 hours.
create table idempotency_keys (
  owner text not null,
  key text not null,
  -- The route and a SHA-256 of its parsed body: the same key with another request is refused.
  request_hash text not null,
  status_code integer not null,
  response jsonb not null,
  created_at timestamptz not null default now(),
  primary key (owner, key)
);
create index idempotency_keys_created on idempotency_keys (created_at);
