import { channelColumn, updatedLogPositionColumn } from './common-columns.js';
import { column, defineTable } from './table-definition.js';

export const contacts = defineTable({
  name: 'contacts',
  description:
    'Current profile of every person: WhatsApp id, name, language, blocked flag, custom fields, and when they last wrote or read. Changes are in contact_changes.',
  kind: 'state',
  key: ['contact_id'],
  derivedFrom: ['contact.created', 'contact.updated', 'message.received', 'message.status'],
  partitionColumn: 'created_at',
  clusterColumns: ['contact_id'],
  positionColumn: 'updated_log_position',
  columns: [
    column('contact_id', 'int64', 'Our id of the person (contacts.id in Postgres).'),
    channelColumn,
    column('wa_id', 'string?', "The person's WhatsApp id (phone number in international format, or BSUID)."),
    column('name', 'string?', 'Name: the WhatsApp profile name, or a name given in Parley.'),
    column('language', 'string?', "Preferred language code (from a contact.updated change of 'language')."),
    column('blocked', 'bool', "Whether the person is blocked (from contact.updated changes of 'blocked')."),
    column(
      'custom_fields',
      'json',
      'Every other profile field set through contact.updated, as a JSON object (a change to null removes the field).',
    ),
    column('first_message_received_at', 'timestamp?', 'When the person first wrote to us.'),
    column('last_message_received_at', 'timestamp?', 'When the person last wrote to us.'),
    column(
      'last_seen_at',
      'timestamp?',
      'Last sign of the person: a message from them or a read receipt of ours.',
    ),
    column('created_at', 'timestamp', 'When the contact was created.'),
    column('updated_at', 'timestamp', 'When the profile last changed (contact.created or contact.updated).'),
    updatedLogPositionColumn,
  ],
});
