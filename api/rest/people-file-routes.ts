import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { createImport, exportPeopleCsv, MAX_IMPORT_BYTES, tooLarge } from '../../engine/people/index.js';
import { can } from '../auth/actor.js';
import { maskBsuid, maskName, maskPhone, maskUsername } from '../auth/mask.js';
import type { FileRouteDoc } from '../openapi/build-document.js';
import type { ApiServices } from '../services/api-services.js';
import { actorLabel } from '../services/contacts.js';
import { parseInput } from '../services/parse-input.js';
import { authenticateBearerOrSession } from './bearer-or-session.js';
import { importUploadSchema } from './schemas/people.schema.js';

const uploadQuerySchema = z.strictObject({
  file_name: z.string().max(255).optional().meta({ description: 'Shown in the imports list' }),
});
const exportQuerySchema = z.strictObject({
  label: z.string().min(1).max(100).optional().meta({ description: 'Only people with this label' }),
  segment_id: z
    .string()
    .regex(/^\d+$/, 'must be a decimal id')
    .optional()
    .meta({ description: 'Only the members of this segment, as of now' }),
});

/** The OpenAPI description of the two routes below (api/openapi/build-document.ts). */
export const peopleFileRouteDocs: readonly FileRouteDoc[] = [
  {
    method: 'POST',
    path: '/v1/contacts/imports',
    operationId: 'uploadContactImport',
    summary: 'Upload a CSV file of people to import',
    description: `The file is the raw request body (Content-Type: text/csv, UTF-8, a header row, at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB). Nothing is imported yet: the answer gives the headers and a suggested mapping; start the import with POST /v1/contacts/imports/{id}/start.`,
    tag: 'Contact imports',
    permission: 'contacts.write',
    query: uploadQuerySchema,
    requestBody: {
      contentType: 'text/csv',
      description: 'One person per row; a phone column is needed.',
      example: 'phone,name,district\n+27820000010,Thandi,north\n',
    },
    success: { status: 201, description: 'Stored; waiting for a mapping', schema: importUploadSchema },
    errors: [413, 503],
  },
  {
    method: 'GET',
    path: '/v1/contacts/export.csv',
    operationId: 'exportContactsCsv',
    summary: 'Download people as CSV',
    description:
      'Everyone, or the people with a label or in a segment, streamed. Phone and name are masked unless the token has pii.read.',
    tag: 'Contacts',
    permission: 'contacts.read',
    query: exportQuerySchema,
    success: { status: 200, description: 'The CSV file, a header row first', contentTypes: ['text/csv'] },
    errors: [404],
  },
];

/**
 * The two streamed people routes, which take an API token or the
 * dashboard's session cookie:
 * - POST /v1/contacts/imports: the CSV file as the raw text/csv body (at most 50 MB), stored
 *   for the import job; answers the headers and the suggested mapping.
 * - GET /v1/contacts/export.csv?label=&segment_id=: people as CSV, streamed page by page;
 *   phone and name masked unless the caller has pii.read.
 */
export async function registerPeopleFileRoutes(app: FastifyInstance, services: ApiServices): Promise<void> {
  await app.register(async (scope) => {
    // The body stays a stream: createImport reads it as it arrives (and enforces the size).
    scope.addContentTypeParser(['text/csv', 'application/csv', 'text/plain'], (_request, payload, done) =>
      done(null, payload),
    );
    scope.post(
      '/v1/contacts/imports',
      {
        bodyLimit: MAX_IMPORT_BYTES,
        config: { permission: 'contacts.write' },
        // Refuse an announced oversize file before reading it, with the limit in the message.
        onRequest: async (request) => {
          const length = Number(request.headers['content-length'] ?? 0);
          if (length > MAX_IMPORT_BYTES) throw tooLarge(length);
        },
      },
      async (request, reply) => {
        const actor = await authenticateBearerOrSession(services.db, request, 'contacts.write');
        const query = parseInput(uploadQuerySchema, request.query ?? {}, 'query');
        const body = request.body as AsyncIterable<Uint8Array> | undefined;
        if (!body || typeof body !== 'object' || !(Symbol.asyncIterator in body)) {
          throw new AppError(
            'validation_failed',
            'send the file as the request body with Content-Type: text/csv',
            [{ field: 'file', reason: 'Content-Type must be text/csv' }],
          );
        }
        const channel = services.channels[0]?.name;
        if (!channel) throw new AppError('unavailable', 'no channel is running to add people to');
        const upload = await createImport(services.db, {
          bytes: body,
          fileName: query.file_name ?? null,
          channel,
          by: actorLabel(actor),
        });
        return reply.code(201).send(upload);
      },
    );
    scope.get(
      '/v1/contacts/export.csv',
      { config: { permission: 'contacts.read' } },
      async (request, reply) => {
        const actor = await authenticateBearerOrSession(services.db, request, 'contacts.read');
        const query = parseInput(exportQuerySchema, request.query ?? {}, 'query');
        const lines = exportPeopleCsv(services.db, {
          label: query.label,
          segmentId: query.segment_id,
          mask: can(actor, 'pii.read')
            ? undefined
            : { phone: maskPhone, name: maskName, bsuid: maskBsuid, username: maskUsername },
        });
        // The first chunk (the header) is read before answering, so a bad segment is a clean 404.
        const first = await lines.next();
        async function* rest() {
          if (!first.done) yield first.value;
          yield* lines;
        }
        return reply
          .header('content-disposition', 'attachment; filename="people.csv"')
          .type('text/csv; charset=utf-8')
          .send(Readable.from(rest()));
      },
    );
  });
}
