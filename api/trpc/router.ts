import { auditRouter } from './routers/audit-router.js';
import { authRouter } from './routers/auth-router.js';
import { billingRouter } from './routers/billing-router.js';
import { channelsRouter } from './routers/channels-router.js';
import { contactsRouter } from './routers/contacts-router.js';
import { customFieldsRouter } from './routers/custom-fields-router.js';
import { eventsRouter } from './routers/events-router.js';
import { importsRouter } from './routers/imports-router.js';
import { membersRouter } from './routers/members-router.js';
import { peopleRouter } from './routers/people-router.js';
import { remindersRouter } from './routers/reminders-router.js';
import { segmentsRouter } from './routers/segments-router.js';
import { simulatorRouter } from './routers/simulator-router.js';
import { templatesRouter } from './routers/templates-router.js';
import { tokensRouter } from './routers/tokens-router.js';
import { warehouseRouter } from './routers/warehouse-router.js';
import { webhooksRouter } from './routers/webhooks-router.js';
import { createCallerFactory, router } from './trpc.js';

/** The dashboard's API, one router per area. The dashboard imports only `type AppRouter`. */
export const appRouter = router({
  auth: authRouter,
  members: membersRouter,
  tokens: tokensRouter,
  webhooks: webhooksRouter,
  channels: channelsRouter,
  contacts: contactsRouter,
  audit: auditRouter,
  events: eventsRouter,
  simulator: simulatorRouter,
  people: peopleRouter,
  customFields: customFieldsRouter,
  imports: importsRouter,
  warehouse: warehouseRouter,
  segments: segmentsRouter,
  billing: billingRouter,
  reminders: remindersRouter,
  templates: templatesRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
