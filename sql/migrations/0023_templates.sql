-- WhatsApp message templates (engine/templates). Meta owns a template's review; this table is
-- our copy of what we submitted and the last status Meta reported. Every change to a row is
-- also a template.* event appended in the same transaction, so the log stays the truth.
create table templates (
  id bigint generated always as identity primary key,
  name text not null,
  language text not null,
  category text not null check (category in ('MARKETING', 'UTILITY', 'AUTHENTICATION')),
  parameter_format text not null default 'positional' check (parameter_format in ('positional', 'named')),
  components jsonb not null,
  status text not null default 'PENDING',
  status_reason text,
  status_detail jsonb,
  -- Time of the last status webhook applied: an older webhook delivered late never overwrites a newer one.
  status_at timestamptz,
  meta_template_id text unique,
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz
);

-- Meta allows one template per name and language in a business account.
create unique index templates_name_language on templates (name, language) where deleted_at is null;

comment on table templates is 'WhatsApp message templates submitted to Meta and their review status.';
comment on column templates.status is 'Last status Meta reported: PENDING, APPROVED, REJECTED, PAUSED, DISABLED, ...';
comment on column templates.status_reason is 'Meta''s reason for the last status (e.g. INVALID_FORMAT on rejection); null when none.';
comment on column templates.status_detail is 'Extra details Meta sent with the status (rejection_info, other_info, disable_info).';
