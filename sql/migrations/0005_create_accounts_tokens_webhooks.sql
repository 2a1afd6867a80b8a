-- Accounts, API tokens and outbound webhooks (issue 4). One organisation per deployment.
-- Secrets that only need to be recognised (passwords, session, invite, setup and API
-- tokens) are stored as hashes; webhook signing secrets must be kept to sign with.

create table users (
  id bigint generated always as identity primary key,
  email text not null unique check (email = lower(email)),
  name text not null,
  -- scrypt$N$r$p$salt$hash (base64), see api/auth/password.ts.
  password_hash text not null,
  role text not null check (role in ('admin', 'builder', 'operator', 'analyst', 'viewer')),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deactivated_at timestamptz
);

create table sessions (
  id bigint generated always as identity primary key,
  -- SHA-256 (hex) of the cookie's random token; the token itself is never stored.
  token_hash text not null unique,
  user_id bigint not null references users (id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  last_seen_at timestamptz not null default now()
);
create index sessions_user on sessions (user_id);

-- Invitation links, and the one-time first-run setup link (kind = 'setup').
create table invites (
  id bigint generated always as identity primary key,
  kind text not null default 'invite' check (kind in ('invite', 'setup')),
  token_hash text not null unique,
  email text,
  role text not null check (role in ('admin', 'builder', 'operator', 'analyst', 'viewer')),
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  accepted_at timestamptz,
  accepted_user_id bigint references users (id),
  revoked_at timestamptz
);

-- Failed logins, per account (`account:<email>`) and per address (`address:<ip>`), kept in
-- Postgres so that the limit holds across instances.
create table login_failures (
  id bigint generated always as identity primary key,
  key text not null,
  failed_at timestamptz not null default now()
);
create index login_failures_key on login_failures (key, failed_at);

create table api_tokens (
  id bigint generated always as identity primary key,
  name text not null,
  -- The first characters of the secret, shown in lists so people can tell tokens apart.
  token_prefix text not null,
  token_hash text not null unique,
  scopes text[] not null,
  user_id bigint not null references users (id),
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  revoked_at timestamptz,
  last_used_at timestamptz
);

create table webhook_subscriptions (
  id bigint generated always as identity primary key,
  url text not null,
  description text,
  event_types text[] not null,
  secret text not null,
  active boolean not null default true,
  failing boolean not null default false,
  consecutive_failures integer not null default 0,
  failing_since timestamptz,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- One row per (subscription, event): the unique key makes delivery creation exactly-once.
create table webhook_deliveries (
  id bigint generated always as identity primary key,
  subscription_id bigint not null references webhook_subscriptions (id) on delete cascade,
  event_id bigint not null,
  event_type text not null,
  state text not null default 'pending' check (state in ('pending', 'succeeded', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  claimed_until timestamptz,
  -- Retries stop 24 hours after this (the first attempt, or the last replay).
  window_started_at timestamptz not null default now(),
  -- An admin asked for a replay: the next attempt is recorded as one.
  replay_pending boolean not null default false,
  last_status_code integer,
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (subscription_id, event_id)
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where state = 'pending';
create index webhook_deliveries_subscription on webhook_deliveries (subscription_id, id);

create table webhook_delivery_attempts (
  id bigint generated always as identity primary key,
  delivery_id bigint not null references webhook_deliveries (id) on delete cascade,
  attempt integer not null,
  started_at timestamptz not null,
  status_code integer,
  latency_ms integer not null,
  error text,
  response_excerpt text,
  replay boolean not null default false
);
create index webhook_delivery_attempts_delivery on webhook_delivery_attempts (delivery_id, id);
