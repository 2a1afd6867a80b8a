-- Webhook deliveries and CSV imports run as core/jobs jobs (table jobs, 0021) instead of
-- each claiming and leasing its own rows: the job's lease and attempt fence replace their
-- claimed_until. The work pending at the upgrade is queued here, so that nothing waits for a
-- job that was never enqueued. The queue names and keys are the ones the code uses
-- (api/webhooks/delivery-queue.ts, engine/people/imports/import-job.ts).

-- One job per pending delivery, due when its next attempt was.
insert into jobs (queue, key, payload, run_at, due_at, max_attempts)
select 'webhook.delivery', d.id::text, jsonb_build_object('delivery_id', d.id::text),
       d.next_attempt_at, d.next_attempt_at, 100
from webhook_deliveries d
where d.state = 'pending'
on conflict (queue, key) do nothing;

-- One job per queued or running import: its next chunk, from the rows already applied.
insert into jobs (queue, key, payload, max_attempts)
select 'contact-import.chunk', i.id::text || ':' || i.processed_rows::text,
       jsonb_build_object('import_id', i.id::text), 5
from contact_imports i
where i.status in ('queued', 'running')
on conflict (queue, key) do nothing;

alter table webhook_deliveries drop column claimed_until;
alter table contact_imports drop column claimed_until;
