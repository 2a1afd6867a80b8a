import { can } from '../../auth/actor.js';
import { createContact } from '../../services/contacts.js';
import { erasePerson } from '../../services/erase-person.js';
import {
  getContactPerson,
  listContactPeople,
  presentContactPerson,
  updateContactPerson,
} from '../data/contact-people.js';
import { defineRoute } from '../define-route.js';
import { idParamsSchema } from '../schemas/common.schema.js';
import {
  contactCreateSchema,
  contactEraseQuerySchema,
  contactErasureSchema,
  contactListQuerySchema,
  contactListSchema,
  contactSchema,
  contactUpdateSchema,
} from '../schemas/contact.schema.js';
import { channelFor } from './channel-for.js';

/**
 * Contacts for integrators. A token with the pii.read scope sees phone numbers and names;
 * any other token sees them masked. Granting pii.read is itself audited (token.create).
 */
export const contactRoutes = [
  defineRoute({
    method: 'GET',
    path: '/v1/contacts',
    operationId: 'listContacts',
    summary: 'List or find contacts',
    tag: 'Contacts',
    permission: 'contacts.read',
    query: contactListQuerySchema,
    success: { status: 200, description: 'Contacts in id order', schema: contactListSchema },
    async handler({ query, actor, services }) {
      const rows = await listContactPeople(services.db, {
        channel: query.channel,
        waId: query.wa_id,
        bsuid: query.bsuid,
        afterId: query.after,
        limit: query.limit,
      });
      return { data: rows.map((row) => presentContactPerson(row, can(actor, 'pii.read'))) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/contacts/{id}',
    operationId: 'getContact',
    summary: 'Get a contact',
    tag: 'Contacts',
    permission: 'contacts.read',
    params: idParamsSchema,
    success: { status: 200, description: 'The contact', schema: contactSchema },
    errors: [404],
    handler: async ({ params, actor, services }) =>
      presentContactPerson(await getContactPerson(services.db, params.id), can(actor, 'pii.read')),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/contacts',
    operationId: 'createContact',
    summary: 'Create a contact',
    description:
      'Appends a contact.created event. Give wa_id (phone number) or bsuid (a person known by their business-scoped user id only).',
    tag: 'Contacts',
    permission: 'contacts.write',
    body: contactCreateSchema,
    success: { status: 201, description: 'Created', schema: contactSchema },
    errors: [409],
    async handler({ body, actor, services }) {
      const channel = channelFor(services, body.channel);
      const row = await createContact(services.db, actor, { ...body, channel }, [channel]);
      return presentContactPerson(await getContactPerson(services.db, row.id), can(actor, 'pii.read'));
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/v1/contacts/{id}',
    operationId: 'updateContact',
    summary: 'Update a contact',
    description:
      'Changes any of name, language, timezone, opt-in, blocked, labels (the whole list) and custom fields (by key, checked against the field type; null clears one); appends one contact.updated event with every value before and after. Bad values answer 400 with one error per field.',
    tag: 'Contacts',
    permission: 'contacts.write',
    params: idParamsSchema,
    body: contactUpdateSchema,
    success: { status: 200, description: 'Updated', schema: contactSchema },
    errors: [404, 409],
    handler: async ({ params, body, actor, services }) =>
      presentContactPerson(
        await updateContactPerson(services.db, actor, params.id, body),
        can(actor, 'pii.read'),
      ),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/contacts/{id}',
    operationId: 'eraseContact',
    summary: "Erase a contact's personal data",
    description:
      'A data-protection erasure: blanks the phone number, name, profile, labels, custom fields and message contents of the person in Parley, in the event log and in every warehouse mirror (DuckDB, Parquet, BigQuery), keeping anonymous counts. Pending messages to them are failed. Irreversible; calling it again answers `already_erased` and changes nothing. Audited as `contact.erase`.',
    tag: 'Contacts',
    permission: 'contacts.erase',
    params: idParamsSchema,
    query: contactEraseQuerySchema,
    success: { status: 200, description: 'Erased (or erased before)', schema: contactErasureSchema },
    errors: [404],
    handler: ({ params, query, actor, services }) => erasePerson(services.db, actor, params.id, query.reason),
  }),
];
