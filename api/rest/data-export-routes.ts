import type { ApiServices } from '../services/api-services.js';
import { exportReaderFor } from '../services/export-reader.js';
import {
  dataExportCursorParamsSchema,
  dataExportCursorQuerySchema,
  dataExportCursorRequestSchema,
  dataExportCursorSchema,
  dataExportPageSchema,
  dataExportTypes,
} from './data-export.schema.js';
import { createDataExportCursor, readDataExportPage } from './data-export-pages.js';
import { defineRoute } from './define-route.js';

const titles = { messages: 'Messages', statuses: 'Statuses', contacts: 'Contacts' } as const;

/** Turn.io's clients send this media type (https://whatsapp.turn.io/docs/api/data_export_api). */
const turnMediaType = /application\/vnd\.v1\+json/i;

/**
 * The Data Export API, as Turn.io publishes it: open a cursor over a time range, then follow
 * `paging.next` until there is none. Read from the DuckDB mirror. Two formats, fixed when the
 * cursor is opened: `whatsapp` (Turn.io's shapes) and `rows` (the warehouse's flat rows,
 * docs/warehouse.md). One pair of routes per type rather than a `{type}` parameter, so each
 * type is documented and the token scope is checked per route.
 */
export const dataExportRoutes = dataExportTypes.flatMap((type) => [
  defineRoute({
    method: 'POST',
    path: `/v1/data/${type}/cursor`,
    operationId: `openDataExport${titles[type]}`,
    summary: `Open an export of ${type}`,
    description: `Returns a cursor for the ${type} between \`from\` (inclusive) and \`until\` (exclusive, default now), in time order, with optional scrubbing of fields. Times are RFC 3339 (e.g. Python's isoformat()). The answer's format is chosen here: Turn.io's WhatsApp shapes with \`Accept: application/vnd.v1+json\`, a \`scrubbing_rules\` object or \`?format=whatsapp\`; flat warehouse rows otherwise or with \`?format=rows\`. The cursor and every page's next cursor expire after 24 hours. Without the pii.read scope, personal fields (numbers, names, message text, profile values) come back masked as in the data dictionary.`,
    tag: 'Data export',
    permission: 'warehouse.query',
    query: dataExportCursorQuerySchema,
    body: dataExportCursorRequestSchema,
    success: { status: 201, description: 'The first page cursor', schema: dataExportCursorSchema },
    async handler({ query, body, actor, services, request }) {
      const turnClient =
        turnMediaType.test(String(request.headers.accept ?? '')) ||
        (body.scrubbing_rules !== undefined && !Array.isArray(body.scrubbing_rules));
      // Without any sign of a Turn.io client, the documented flat rows stay the default.
      const format = query.format ?? (turnClient ? 'whatsapp' : 'rows');
      return createDataExportCursor(services.db, type, { ...body, format }, actor.tokenId);
    },
  }),
  defineRoute({
    method: 'GET',
    path: `/v1/data/${type}/cursor/{cursor}`,
    operationId: `readDataExport${titles[type]}`,
    summary: `Read a page of a ${type} export`,
    description:
      'Items of one page and the cursor of the next. Format `whatsapp`: `paging` is null after the last page (as Turn.io). Format `rows`: `paging.next` is null after the last page. A page never splits or repeats an item: the cursor holds the key of the last one sent, so a page can be fetched again or resumed later.',
    tag: 'Data export',
    permission: 'warehouse.query',
    params: dataExportCursorParamsSchema,
    success: { status: 200, description: 'A page', schema: dataExportPageSchema },
    errors: [404, 503],
    async handler({ params, services, actor }) {
      const sender = new Map(services.channels.map((c) => [c.name, c.phoneNumberId]));
      const reader = exportReaderFor(services.warehouse, actor);
      return readDataExportPage(services.db, reader, type, params.cursor, (channel) =>
        typeof channel === 'string' ? (sender.get(channel) ?? channel) : null,
      );
    },
  }),
]);
