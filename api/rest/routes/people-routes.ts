import {
  type CustomField,
  createCustomField,
  deleteCustomField,
  getImport,
  type ImportView,
  importErrors,
  listCustomFields,
  startImport,
  updateCustomField,
} from '../../../engine/people/index.js';
import { auditActor, can } from '../../auth/actor.js';
import { maskQuotedValues } from '../../auth/mask.js';
import { defineRoute } from '../define-route.js';
import { idParamsSchema } from '../schemas/common.schema.js';
import {
  customFieldCreateSchema,
  customFieldListSchema,
  customFieldSchema,
  customFieldUpdateSchema,
  importErrorListSchema,
  importErrorsQuerySchema,
  importSchema,
  importStartSchema,
} from '../schemas/people.schema.js';

/**
 * Custom fields and CSV imports for integrators. The CSV upload itself
 * (POST /v1/contacts/imports, text/csv) and the export (GET /v1/contacts/export.csv) are
 * streamed routes in api/rest/people-file-routes.ts.
 */
export const peopleRoutes = [
  defineRoute({
    method: 'GET',
    path: '/v1/custom-fields',
    operationId: 'listCustomFields',
    summary: 'List custom fields',
    description: 'Every custom field with what uses it (segments).',
    tag: 'Custom fields',
    permission: 'contacts.read',
    success: { status: 200, description: 'Custom fields by key', schema: customFieldListSchema },
    handler: async ({ services }) => ({ data: (await listCustomFields(services.db)).map(fieldOut) }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/custom-fields',
    operationId: 'createCustomField',
    summary: 'Create a custom field',
    description:
      'The key is checked (a-z, 0-9, _; not a built-in field) and never changes. Logged as operator.action.',
    tag: 'Custom fields',
    permission: 'settings.manage',
    body: customFieldCreateSchema,
    success: { status: 201, description: 'Created', schema: customFieldSchema },
    errors: [409],
    handler: async ({ body, actor, services }) =>
      fieldOut(await createCustomField(services.db, auditActor(actor), body)),
  }),
  defineRoute({
    method: 'PATCH',
    path: '/v1/custom-fields/{id}',
    operationId: 'updateCustomField',
    summary: 'Rename a custom field or change its options',
    tag: 'Custom fields',
    permission: 'settings.manage',
    params: idParamsSchema,
    body: customFieldUpdateSchema,
    success: { status: 200, description: 'Updated', schema: customFieldSchema },
    errors: [404],
    handler: async ({ params, body, actor, services }) =>
      fieldOut(await updateCustomField(services.db, auditActor(actor), { id: params.id, ...body })),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/custom-fields/{id}',
    operationId: 'deleteCustomField',
    summary: 'Delete a custom field',
    description: 'Refused with 409 while a segment uses the field; the error lists them.',
    tag: 'Custom fields',
    permission: 'settings.manage',
    params: idParamsSchema,
    success: { status: 204, description: 'Deleted' },
    errors: [404, 409],
    async handler({ params, actor, services }) {
      await deleteCustomField(services.db, auditActor(actor), params.id);
      return undefined;
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/contacts/imports/{id}/start',
    operationId: 'startContactImport',
    summary: 'Start an uploaded import',
    description:
      'Maps the CSV columns to fields and queues the background job; follow it with GET /v1/contacts/imports/{id}.',
    tag: 'Contact imports',
    permission: 'contacts.write',
    params: idParamsSchema,
    body: importStartSchema,
    success: { status: 202, description: 'Queued', schema: importSchema },
    errors: [404, 409],
    handler: async ({ params, body, services }) =>
      importOut(
        await startImport(services.db, params.id, {
          mapping: body.mapping,
          mode: body.mode,
          defaultCountry: body.default_country,
        }),
      ),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/contacts/imports/{id}',
    operationId: 'getContactImport',
    summary: "Get an import's progress",
    tag: 'Contact imports',
    permission: 'contacts.read',
    params: idParamsSchema,
    success: { status: 200, description: 'The import', schema: importSchema },
    errors: [404],
    handler: async ({ params, services }) => importOut(await getImport(services.db, params.id)),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/contacts/imports/{id}/errors',
    operationId: 'listContactImportErrors',
    summary: "An import's invalid rows",
    description: 'Every invalid row by line number, with the reason; page with after_line.',
    tag: 'Contact imports',
    permission: 'contacts.read',
    params: idParamsSchema,
    query: importErrorsQuerySchema,
    success: { status: 200, description: 'Invalid rows in line order', schema: importErrorListSchema },
    errors: [404],
    handler: async ({ params, query, actor, services }) => ({
      data: await importErrors(services.db, {
        id: params.id,
        afterLine: query.after_line,
        limit: query.limit,
        redact: can(actor, 'pii.read') ? undefined : maskQuotedValues,
      }),
    }),
  }),
];

function fieldOut(field: CustomField) {
  const { usedBy, ...rest } = field;
  return { ...rest, used_by: usedBy };
}

export function importOut(view: ImportView) {
  return {
    id: view.id,
    file_name: view.fileName,
    status: view.status,
    total_rows: view.totalRows,
    processed_rows: view.processedRows,
    created_count: view.createdCount,
    updated_count: view.updatedCount,
    skipped_count: view.skippedCount,
    invalid_count: view.invalidCount,
    error: view.error,
    created_at: view.createdAt,
    finished_at: view.finishedAt,
  };
}
