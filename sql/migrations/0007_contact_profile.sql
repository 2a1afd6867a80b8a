-- People (issue 6): the profile a person has besides their WhatsApp id. Every change of
-- these columns is appended as contact.updated in the same transaction (its `changes` name
-- the column, or the custom field's key), so the warehouse's contacts and contact_changes
-- follow them; erasure (contact.erased) blanks the personal ones.
alter table contacts
  add column language text,
  -- Set explicitly; when null, readers derive it from the number's country code.
  add column timezone text,
  add column opt_in text not null default 'unknown' check (opt_in in ('unknown', 'opted_in', 'opted_out')),
  add column blocked boolean not null default false,
  -- Kept sorted and without duplicates, so the text of a change is the same however it was made.
  add column labels text[] not null default '{}',
  -- Custom field values by key (the keys of custom_fields); validated against their types.
  add column fields jsonb not null default '{}',
  add column erased_at timestamptz;

create index contacts_labels on contacts using gin (labels);
create index contacts_name on contacts (lower(name) text_pattern_ops);
create index contacts_wa_id_pattern on contacts (wa_id text_pattern_ops);

comment on column contacts.opt_in is 'unknown until the person opts in or out (by a reply, an import, the API or an operator).';
comment on column contacts.blocked is 'A blocked person gets no outbound message and starts no journey.';
comment on column contacts.erased_at is 'When the person''s personal data was erased (contact.erased); the row stays for anonymous counts.';
