-- WhatsApp identities as Meta sends them since 2026 (docs/identities.md). A person has a
-- business-scoped user id (BSUID, `CC.digits`), a phone number only while Meta's rules let
-- it be shared, an optional parent BSUID and a username (display only, changes freely).
-- The phone number column never holds a BSUID: people who took a username have none.
alter table contacts alter column wa_id drop not null;
alter table contacts
  add column bsuid text,
  add column parent_bsuid text,
  add column username text,
  -- Meta's user_preferences webhook: the person stopped or resumed marketing messages.
  add column marketing_opt_in text not null default 'unknown'
    check (marketing_opt_in in ('unknown', 'opted_in', 'opted_out')),
  add column marketing_opt_in_at timestamptz,
  add column marketing_opt_in_source text,
  -- Set on a person merged into another (the older one survives); the row stays so that
  -- ids in the log still resolve, with its identifiers moved to the survivor.
  add column merged_into bigint references contacts (id);

-- Earlier versions stored a BSUID as wa_id when a message came without `from`.
update contacts set bsuid = wa_id, wa_id = null
where wa_id ~ '^[A-Za-z]{2}\.[0-9A-Za-z]+$'
  and not exists (
    select 1 from contacts other where other.channel = contacts.channel and other.bsuid = contacts.wa_id
  );

alter table contacts
  add constraint contacts_wa_id_not_bsuid check (wa_id is null or wa_id !~ '^[A-Za-z]{2}\.'),
  add constraint contacts_channel_bsuid_key unique (channel, bsuid);
create index contacts_parent_bsuid on contacts (channel, parent_bsuid) where parent_bsuid is not null;
create index contacts_merged_into on contacts (merged_into) where merged_into is not null;

comment on column contacts.wa_id is 'Phone number (digits of E.164), null when Meta shares none (a person with a username); never a BSUID.';
comment on column contacts.bsuid is 'Business-scoped user id (BSUID, e.g. KE.7730591826604417); personal data.';
comment on column contacts.parent_bsuid is 'Parent BSUID, shared across linked business portfolios; personal data.';
comment on column contacts.username is 'WhatsApp username (display only, changes freely); personal data.';

-- An outbound message goes to a phone number (`to`) or, when none is known, to a BSUID
-- (the Cloud API's `recipient`).
alter table outbox alter column to_wa_id drop not null;
alter table outbox
  add column to_bsuid text,
  add constraint outbox_has_address check (to_wa_id is not null or to_bsuid is not null);
