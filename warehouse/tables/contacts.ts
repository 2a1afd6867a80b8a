import { channelColumn, updatedLogPositionColumn } from './common-columns.js';
import { column, defineTable } from './table-definition.js';

export const contacts = defineTable({
  name: 'contacts',
  description:
    'Current profile of every person: WhatsApp identities (phone number, BSUID, parent BSUID, username), name, language, timezone, opt-in state, blocked flag, labels, custom fields, and when they last wrote or read. Changes are in contact_changes. An erased person (contact.erased) keeps a row with every personal column blanked, so counts stay. A person merged into another (contact.merged) has no row: their messages, statuses, charges and reminder sends count under the surviving person.',
  kind: 'state',
  key: ['contact_id'],
  derivedFrom: [
    'contact.created',
    'contact.updated',
    'contact.identity_added',
    'contact.identity_changed',
    'contact.merged',
    'contact.marketing_preference',
    'contact.erased',
    'message.received',
    'message.status',
  ],
  partitionColumn: 'created_at',
  clusterColumns: ['contact_id'],
  positionColumn: 'updated_log_position',
  columns: [
    column('contact_id', 'int64', 'Our id of the person (contacts.id in Postgres).'),
    channelColumn,
    column(
      'wa_id',
      'string?',
      "The person's phone number (international format, digits); null when WhatsApp shares none (a person with a username) and once erased. Never a BSUID.",
      'hash',
    ),
    column(
      'bsuid',
      'string?',
      "The person's WhatsApp business-scoped user id (BSUID, e.g. KE.7730591826604417), from contact.created and contact.identity_* events; null once erased.",
      'hash',
    ),
    column(
      'parent_bsuid',
      'string?',
      'The parent BSUID (shared across linked business portfolios), when WhatsApp sends one; null once erased.',
      'hash',
    ),
    column(
      'username',
      'string?',
      "The person's WhatsApp username (display only, changes freely); null once erased.",
      'hash',
    ),
    column('name', 'string?', 'Name: the WhatsApp profile name, or a name given in Parley.', 'initials'),
    column('language', 'string?', "Preferred language code (from a contact.updated change of 'language')."),
    column(
      'timezone',
      'string?',
      "IANA time zone set for the person (from contact.updated changes of 'timezone'); null means derive it from the phone number's country code.",
    ),
    column(
      'opt_in',
      'string',
      "'unknown', 'opted_in' or 'opted_out' (from contact.updated changes of 'opt_in'); kept after erasure, as it is needed for anonymous counts.",
    ),
    column(
      'marketing_opt_in',
      'string',
      "'unknown', 'opted_in' or 'opted_out': whether the person stopped or resumed marketing messages (contact.marketing_preference, from WhatsApp's user_preferences webhook).",
    ),
    column(
      'marketing_opt_in_at',
      'timestamp?',
      'When the person last stopped or resumed marketing messages.',
    ),
    column(
      'marketing_opt_in_source',
      'string?',
      "Who reported the marketing preference: 'whatsapp' (the person, through WhatsApp) or a user, import or API token.",
    ),
    column('blocked', 'bool', "Whether the person is blocked (from contact.updated changes of 'blocked')."),
    column(
      'labels',
      'string[]',
      "The person's labels, sorted and without duplicates (from contact.updated changes of 'labels', which carry the whole list).",
    ),
    column(
      'custom_fields',
      'json',
      'Custom field values by key (every contact.updated change of a field that is not a column of this table), as a JSON object with sorted keys; a change to null removes the field.',
      'custom-fields',
    ),
    column('first_message_received_at', 'timestamp?', 'When the person first wrote to us.'),
    column('last_message_received_at', 'timestamp?', 'When the person last wrote to us.'),
    column(
      'last_seen_at',
      'timestamp?',
      'Last sign of the person: a message from them or a read receipt of ours.',
    ),
    column('created_at', 'timestamp', 'When the contact was created.'),
    column(
      'updated_at',
      'timestamp',
      'When the profile last changed (contact.created, contact.updated or contact.erased).',
    ),
    column(
      'erased_at',
      'timestamp?',
      "When the person's personal data was erased (contact.erased); their rows in every table are blanked from then on.",
    ),
    updatedLogPositionColumn,
  ],
});
