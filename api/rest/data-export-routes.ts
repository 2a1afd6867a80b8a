import { AppError } from '../../core/errors.js';
import type { ApiServices } from '../trpc/context.js';
import {
  dataExportCursorParamsSchema,
  dataExportCursorRequestSchema,
  dataExportCursorSchema,
  dataExportPageSchema,
  dataExportTypes,
} from './data-export.schema.js';
import { createDataExportCursor, readDataExportPage } from './data-export-pages.js';
import { defineRoute } from './define-route.js';

const titles = { messages: 'Messages', statuses: 'Statuses', contacts: 'Contacts' } as const;

function warehouseOf(services: ApiServices) {
  if (!services.warehouse) throw new AppError('unavailable', 'the warehouse (DuckDB mirror) is not running');
  return services.warehouse;
}

/**
 * The Data Export API (issue 5, item 7), in Turn.io's shape: open a cursor over a time range,
 * then follow `paging.next` until it is null. Read from the DuckDB mirror, so rows are the
 * warehouse's (docs/warehouse.md). One pair of routes per type rather than a `{type}`
 * parameter, so each type's rows are documented and the token scope is checked per route.
 */
export const dataExportRoutes = dataExportTypes.flatMap((type) => [
  defineRoute({
    method: 'POST',
    path: `/v1/data/${type}/cursor`,
    operationId: `openDataExport${titles[type]}`,
    summary: `Open an export of ${type}`,
    description: `Returns a cursor for the ${type} between \`from\` (inclusive) and \`until\` (exclusive, default now), in time order, with optional scrubbing of fields. The cursor and every page's next cursor expire after 24 hours.`,
    tag: 'Data export',
    permission: 'warehouse.query',
    body: dataExportCursorRequestSchema,
    success: { status: 201, description: 'The first page cursor', schema: dataExportCursorSchema },
    async handler({ body, actor, services }) {
      return createDataExportCursor(services.db, type, body, actor.tokenId);
    },
  }),
  defineRoute({
    method: 'GET',
    path: `/v1/data/${type}/cursor/{cursor}`,
    operationId: `readDataExport${titles[type]}`,
    summary: `Read a page of a ${type} export`,
    description:
      'Rows of one page and the cursor of the next (null after the last row). A page never splits or repeats a row: the cursor holds the key of the last row sent, so a page can be fetched again or resumed later.',
    tag: 'Data export',
    permission: 'warehouse.query',
    params: dataExportCursorParamsSchema,
    success: { status: 200, description: 'A page', schema: dataExportPageSchema },
    errors: [404, 503],
    async handler({ params, services }) {
      return readDataExportPage(services.db, warehouseOf(services), type, params.cursor);
    },
  }),
]);
