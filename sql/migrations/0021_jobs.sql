-- Jobs and timers: one durable queue for work that runs later or elsewhere (core/jobs).
-- A job is enqueued in the caller's transaction, claimed with FOR UPDATE SKIP LOCKED, leased
-- (run_at moves to the lease's end while it runs, so an expired lease makes it claimable
-- again), and fenced by `attempts`: only the worker holding the latest attempt may complete
-- or fail it. A job that keeps failing ends `dead` with its last error.
create table jobs (
  id bigint generated always as identity primary key,
  queue text not null,
  -- Idempotency key: enqueueing (queue, key) again adds nothing.
  key text,
  payload jsonb not null default '{}',
  state text not null default 'pending' check (state in ('pending', 'running', 'done', 'dead')),
  -- When it may next be claimed: the due time, a retry's time, or the end of the running lease.
  run_at timestamptz not null default now(),
  -- When it was first due (timers: the time it was set for).
  due_at timestamptz not null default now(),
  attempts integer not null default 0,
  max_attempts integer not null default 10 check (max_attempts > 0),
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz,
  unique (queue, key)
);
create index jobs_due on jobs (queue, run_at) where state in ('pending', 'running');
