-- State tables. Every change to them is recorded by an event appended in the same
-- transaction; the tables are the current state, the log is the history.

create table contacts (
  id bigint generated always as identity primary key,
  channel text not null,
  wa_id text not null,
  name text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Start of the 24-hour customer service window: the last message the person sent.
  last_inbound_at timestamptz,
  unique (channel, wa_id)
);

create table messages (
  id bigint generated always as identity primary key,
  channel text not null,
  contact_id bigint not null references contacts (id),
  direction text not null check (direction in ('inbound', 'outbound')),
  kind text not null,
  -- WhatsApp message id (wamid); null for an outbound message not yet accepted by Meta.
  external_id text,
  status text not null,
  status_at timestamptz not null default now(),
  error_code integer,
  error_title text,
  created_at timestamptz not null default now(),
  unique (channel, external_id)
);
create index messages_contact on messages (contact_id, id);

-- Messages waiting to be delivered to the channel. A row is claimed for a short lease,
-- sent outside any transaction, then settled; see ingest/whatsapp/sender.ts for the
-- at-least-once boundary.
create table outbox (
  id bigint generated always as identity primary key,
  -- Null for requests that are not messages, such as read receipts.
  message_id bigint unique references messages (id),
  kind text not null check (kind in ('message', 'mark_read')),
  channel text not null,
  to_wa_id text not null,
  body jsonb not null,
  state text not null default 'pending' check (state in ('pending', 'sent', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  claimed_until timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index outbox_due on outbox (next_attempt_at) where state = 'pending';
