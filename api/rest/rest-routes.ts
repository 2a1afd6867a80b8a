import { dataExportRoutes } from './data-export-routes.js';
import type { RestRoute } from './define-route.js';
import { billingRoutes } from './routes/billing-routes.js';
import { channelRoutes } from './routes/channel-routes.js';
import { contactRoutes } from './routes/contact-routes.js';
import { messageRoutes } from './routes/message-routes.js';
import { peopleRoutes } from './routes/people-routes.js';
import { reminderRoutes } from './routes/reminder-routes.js';
import { segmentRoutes } from './routes/segment-routes.js';
import { templateRoutes } from './routes/template-routes.js';
import { warehouseRoutes } from './routes/warehouse-routes.js';
import { webhookRoutes } from './routes/webhook-routes.js';

/** Every REST route under /v1, in the order the reference page lists them. */
export const restRoutes: readonly RestRoute[] = [
  ...messageRoutes,
  ...contactRoutes,
  ...peopleRoutes,
  ...channelRoutes,
  ...segmentRoutes,
  ...templateRoutes,
  ...webhookRoutes,
  ...dataExportRoutes,
  ...warehouseRoutes,
  ...reminderRoutes,
  ...billingRoutes,
];
