import {
  createTemplate,
  deleteTemplate,
  getTemplate,
  listTemplates,
  sendTemplate,
  type Template,
  updateTemplate,
} from '../../../engine/templates/index.js';
import { actorLabel } from '../../services/contacts.js';
import { requireTemplateAccount } from '../../templates/template-account.js';
import { defineRoute } from '../define-route.js';
import { idParamsSchema } from '../schemas/common.schema.js';
import {
  templateCreateSchema,
  templateListQuerySchema,
  templateListSchema,
  templateQueuedSchema,
  templateSchema,
  templateSendSchema,
  templateUpdateSchema,
} from '../schemas/template.schema.js';

export const presentTemplate = (t: Template) => ({
  id: t.id,
  name: t.name,
  language: t.language,
  category: t.category,
  parameter_format: t.parameterFormat,
  components: t.components as Record<string, unknown>[],
  status: t.status,
  status_reason: t.statusReason,
  status_detail: t.statusDetail,
  meta_template_id: t.metaTemplateId,
  created_by: t.createdBy,
  created_at: t.createdAt,
  updated_at: t.updatedAt,
});

/** Message templates: CRUD through Meta's Business Management API, and a send to one person. */
export const templateRoutes = [
  defineRoute({
    method: 'GET',
    path: '/v1/templates',
    operationId: 'listTemplates',
    summary: 'List message templates with their status',
    tag: 'Templates',
    permission: 'reminders.read',
    query: templateListQuerySchema,
    success: { status: 200, description: 'Templates by name and language', schema: templateListSchema },
    handler: async ({ query, services }) => ({
      data: (await listTemplates(services.db, { status: query.status })).map(presentTemplate),
    }),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/templates/{id}',
    operationId: 'getTemplate',
    summary: 'Get a template, with the reason for its status',
    tag: 'Templates',
    permission: 'reminders.read',
    params: idParamsSchema,
    success: { status: 200, description: 'The template', schema: templateSchema },
    errors: [404],
    handler: async ({ params, services }) => presentTemplate(await getTemplate(services.db, params.id)),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/templates',
    operationId: 'createTemplate',
    summary: 'Create a template and submit it to Meta for review',
    description:
      "Checked against Meta's rules first: an invalid template is refused with 400 and one error per field (e.g. components[1].text), and nothing is sent to Meta.",
    tag: 'Templates',
    permission: 'reminders.write',
    body: templateCreateSchema,
    success: {
      status: 201,
      description: 'Submitted; status PENDING until Meta reviews it',
      schema: templateSchema,
    },
    errors: [409, 503],
    handler: async ({ body, actor, services }) =>
      presentTemplate(
        await createTemplate(services.db, requireTemplateAccount(services), body, actorLabel(actor)),
      ),
  }),
  defineRoute({
    method: 'PATCH',
    path: '/v1/templates/{id}',
    operationId: 'updateTemplate',
    summary: "Edit a template's category or components (back to review)",
    tag: 'Templates',
    permission: 'reminders.write',
    params: idParamsSchema,
    body: templateUpdateSchema,
    success: { status: 200, description: 'Edited and PENDING review', schema: templateSchema },
    errors: [404, 409, 503],
    handler: async ({ params, body, actor, services }) =>
      presentTemplate(
        await updateTemplate(
          services.db,
          requireTemplateAccount(services),
          params.id,
          body,
          actorLabel(actor),
        ),
      ),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/templates/{id}',
    operationId: 'deleteTemplate',
    summary: 'Delete a template at Meta and here',
    tag: 'Templates',
    permission: 'reminders.write',
    params: idParamsSchema,
    success: { status: 204, description: 'Deleted' },
    errors: [404, 503],
    async handler({ params, actor, services }) {
      await deleteTemplate(services.db, requireTemplateAccount(services), params.id, actorLabel(actor));
      return undefined;
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/templates/{id}/send',
    operationId: 'sendTemplate',
    summary: 'Send an approved template to one person',
    description: 'Queues the template message; its delivery statuses arrive as message.status events.',
    tag: 'Templates',
    permission: 'messages.send',
    params: idParamsSchema,
    body: templateSendSchema,
    success: { status: 202, description: 'Queued', schema: templateQueuedSchema },
    errors: [404, 409, 422, 503],
    async handler({ params, body, actor, services }) {
      const queued = await sendTemplate(
        services.db,
        requireTemplateAccount(services),
        params.id,
        body,
        actorLabel(actor),
      );
      return { message_id: queued.messageId, contact_id: queued.contactId, template_id: queued.template_id };
    },
  }),
];
