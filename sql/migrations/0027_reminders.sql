-- Reminders: one approved template sent to a segment (or a list) of people, now, at a time, on
-- a schedule, or at a local time in each person's own timezone. The schedule and every
-- recipient are rows here, so a restart or a second instance resumes without sending twice:
-- a recipient is queued in the same transaction that queues its message (core/outbox).
create table reminders (
  id bigint generated always as identity primary key,
  name text not null,
  -- The template: name, language, category, and how each variable is filled per person.
  template jsonb not null,
  -- {"segment_id": "3"} or {"contact_ids": ["1", "2"]}
  audience jsonb not null,
  -- {"kind": "now"} | {"kind": "at", "at"} | {"kind": "cron", "expression", "timezone"} | {"kind": "local", "date", "time"}
  schedule jsonb not null,
  -- {"skip_recent_days", "stop_when_empty", "journey_on_reply"}
  options jsonb not null default '{}',
  state text not null default 'draft'
    check (state in ('draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled', 'failed')),
  -- When the next run is due (null: nothing scheduled); the scheduler claims due reminders by it.
  next_run_at timestamptz,
  paused_reason text,
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index reminders_due on reminders (next_run_at) where next_run_at is not null;

-- One execution of a reminder (a recurring one has one per occurrence). `due_at` is the
-- occurrence it serves, unique per reminder, so a timer that fires twice starts one run.
create table reminder_runs (
  id bigint generated always as identity primary key,
  reminder_id bigint not null references reminders (id),
  due_at timestamptz not null,
  state text not null default 'planning'
    check (state in ('planning', 'sending', 'paused', 'completed', 'cancelled', 'failed')),
  snapshot_id bigint references segment_snapshots (id),
  paused_reason text,
  resume_at timestamptz,
  targeted integer not null default 0,
  started_at timestamptz not null default now(),
  completed_at timestamptz,
  unique (reminder_id, due_at)
);

-- One row per person and run: the idempotency key of the send. `due_at` is per person for
-- local-time reminders. `message_id` is set in the transaction that queues the message.
create table reminder_recipients (
  run_id bigint not null references reminder_runs (id),
  contact_id bigint not null references contacts (id),
  due_at timestamptz not null,
  state text not null default 'pending' check (state in ('pending', 'skipped', 'queued', 'failed')),
  skip_reason text,
  message_id bigint references messages (id),
  error_code integer,
  delivered_at timestamptz,
  read_at timestamptz,
  replied_at timestamptz,
  primary key (run_id, contact_id)
);
create index reminder_recipients_due on reminder_recipients (due_at) where state = 'pending';
create unique index reminder_recipients_message on reminder_recipients (message_id) where message_id is not null;

-- The messaging limit counts the people templates started in the last 24 hours.
create index messages_templates_recent on messages (created_at) where direction = 'outbound' and kind = 'template';
