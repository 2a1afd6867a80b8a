import { warehouseStatus } from '../../services/warehouse-status.js';
import { defineRoute } from '../define-route.js';
import { warehouseStatusSchema } from '../schemas/warehouse-status.schema.js';

export const warehouseRoutes = [
  defineRoute({
    method: 'GET',
    path: '/v1/warehouse/status',
    operationId: 'getWarehouseStatus',
    summary: 'Warehouse mirror and BigQuery export status',
    description:
      'How far the DuckDB mirror is behind the event log (events and seconds), and for the BigQuery export: the last exported event, its lag, the last error and the next attempt. Needs the warehouse.query scope.',
    tag: 'Warehouse',
    // The warehouse's own scope: the data engineers who query it are the ones who watch its lag
    // (the dashboard shows the same status to insights readers through tRPC).
    permission: 'warehouse.query',
    success: { status: 200, description: 'Status', schema: warehouseStatusSchema },
    errors: [503],
    handler: async ({ services }) => warehouseStatus(services),
  }),
];
