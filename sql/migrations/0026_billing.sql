-- Message billing. Meta bills per delivered template message (per-message pricing since July
-- 2025), by the recipient's country calling code and the message's pricing category; service
-- replies and utility templates inside an open customer-service window are free. Amounts are
-- integers in millionths of the currency unit (0.0379 USD = 37900), so sums are exact.

-- A rate card is versioned: a new version takes effect at `effective_from`, and a message is
-- charged with the version in force when it was delivered.
create table rate_cards (
  id bigint generated always as identity primary key,
  effective_from timestamptz not null,
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  source text not null,
  created_by text not null,
  created_at timestamptz not null default now()
);

-- `calling_code` '*' is the rate for every market the card does not list.
create table rate_card_rates (
  rate_card_id bigint not null references rate_cards (id),
  calling_code text not null check (calling_code = '*' or calling_code ~ '^[0-9]{1,4}$'),
  market text not null,
  category text not null check (category in ('marketing', 'utility', 'authentication', 'authentication_international', 'service')),
  rate_micros bigint not null check (rate_micros >= 0),
  primary key (rate_card_id, calling_code, category)
);

create table billing_top_ups (
  id bigint generated always as identity primary key,
  amount_micros bigint not null check (amount_micros > 0),
  currency text not null,
  -- The payment's reference (an invoice, a bank transfer): a repeated reference is the same top-up.
  reference text not null unique,
  note text,
  recorded_by text not null,
  recorded_at timestamptz not null default now()
);

-- Funds held for a template message from the moment it is queued until Meta reports its
-- price (charged), that it was free, or that it failed (released).
create table billing_reservations (
  message_id bigint primary key references messages (id),
  contact_id bigint not null references contacts (id),
  amount_micros bigint not null check (amount_micros >= 0),
  created_at timestamptz not null default now(),
  settled_at timestamptz,
  settlement text check (settlement in ('charged', 'free', 'failed'))
);
create index billing_reservations_open on billing_reservations (message_id) where settled_at is null;

-- One charge per billable message (Meta reports the price on several statuses of a message).
create table charges (
  id bigint generated always as identity primary key,
  message_id bigint not null unique references messages (id),
  contact_id bigint not null references contacts (id),
  channel text not null,
  calling_code text not null,
  market text not null,
  category text not null,
  pricing_model text,
  rate_card_id bigint not null references rate_cards (id),
  amount_micros bigint not null check (amount_micros >= 0),
  currency text not null,
  charged_at timestamptz not null
);
create index charges_charged_at on charges (charged_at);

-- One row of settings; `last_low_balance_alert_at` spaces the alerts while the balance stays low.
create table billing_settings (
  id integer primary key default 1 check (id = 1),
  low_balance_micros bigint not null default 0 check (low_balance_micros >= 0),
  refuse_when_empty boolean not null default false,
  billing_contact text,
  last_low_balance_alert_at timestamptz
);
insert into billing_settings (id) values (1);
