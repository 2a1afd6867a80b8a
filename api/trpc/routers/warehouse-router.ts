import { warehouseStatus } from '../../services/warehouse-status.js';
import { permissionProcedure, router } from '../trpc.js';

/** The warehouse's health for the dashboard: mirror lag and BigQuery export progress. */
export const warehouseRouter = router({
  status: permissionProcedure('insights.read').query(({ ctx }) => warehouseStatus(ctx.services)),
});
