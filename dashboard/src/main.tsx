import './lib/no-eval.js';
import { Navigate, Route, Router } from '@solidjs/router';
import { lazy } from 'solid-js';
import { render } from 'solid-js/web';
import { AppFrame } from './components/app-frame.js';
import { ConfirmDialog } from './kit/confirm-dialog.js';
import { Toasts } from './kit/toast.js';
import { homePath } from './lib/navigation.js';
import { session } from './lib/session.js';
import { SegmentEditorPage } from './routes/audience/segment-editor-page.js';
import { SegmentsPage } from './routes/audience/segments-page.js';
import { InvitePage } from './routes/auth/invite-page.js';
import { LoginPage } from './routes/auth/login-page.js';
import { SetupPage } from './routes/auth/setup-page.js';
import { SimulatorPage } from './routes/conversations/simulator-page.js';
import { SimulatorRedirect } from './routes/conversations/simulator-redirect.js';
import { NotFoundPage } from './routes/not-found-page.js';
import { ChannelsPage } from './routes/settings/channels-page.js';
import { MembersPage } from './routes/settings/members-page.js';
import { TokensPage } from './routes/settings/tokens-page.js';
import { WebhooksPage } from './routes/settings/webhooks-page.js';
import './styles.css';

// People pages load on first visit (their own chunk: the virtual list, the import wizard).
const PeoplePage = lazy(() =>
  import('./routes/audience/people-page.js').then((m) => ({ default: m.PeoplePage })),
);
const PersonPage = lazy(() =>
  import('./routes/audience/person-page.js').then((m) => ({ default: m.PersonPage })),
);
const ImportPage = lazy(() =>
  import('./routes/audience/import-page.js').then((m) => ({ default: m.ImportPage })),
);
// Templates, Reminders and Billing load on first visit too (the editors; the charts).
const TemplatesPage = lazy(() =>
  import('./routes/automation/templates-page.js').then((m) => ({ default: m.TemplatesPage })),
);
const TemplateEditorPage = lazy(() =>
  import('./routes/automation/template-editor-page.js').then((m) => ({ default: m.TemplateEditorPage })),
);
const RemindersPage = lazy(() =>
  import('./routes/automation/reminders-page.js').then((m) => ({ default: m.RemindersPage })),
);
const ReminderWizardPage = lazy(() =>
  import('./routes/automation/reminder-wizard-page.js').then((m) => ({ default: m.ReminderWizardPage })),
);
const ReminderPage = lazy(() =>
  import('./routes/automation/reminder-page.js').then((m) => ({ default: m.ReminderPage })),
);
const BillingPage = lazy(() =>
  import('./routes/settings/billing-page.js').then((m) => ({ default: m.BillingPage })),
);
const CustomFieldsPage = lazy(() =>
  import('./routes/settings/custom-fields-page.js').then((m) => ({ default: m.CustomFieldsPage })),
);

// Every path here is also in api/dashboard-static.ts's list of app paths, so the server answers
// anything else with status 404 (and this app shows its not-found page).
render(
  () => (
    <>
      <Router>
        <Route path="/login" component={LoginPage} />
        <Route path="/setup" component={SetupPage} />
        <Route path="/invite" component={InvitePage} />
        <Route path="/simulator" component={SimulatorRedirect} />
        <Route path="/" component={AppFrame}>
          <Route path="/" component={() => <Navigate href={homePath(session.me()?.permissions ?? [])} />} />
          <Route path="/conversations/simulator" component={SimulatorPage} />
          <Route path="/people" component={PeoplePage} />
          <Route path="/people/import" component={ImportPage} />
          <Route path="/people/:id" component={PersonPage} />
          <Route path="/segments" component={SegmentsPage} />
          <Route path="/segments/:id" component={SegmentEditorPage} />
          <Route path="/templates" component={TemplatesPage} />
          <Route path="/templates/:id" component={TemplateEditorPage} />
          <Route path="/reminders" component={RemindersPage} />
          <Route path="/reminders/new" component={ReminderWizardPage} />
          <Route path="/reminders/:id" component={ReminderPage} />
          <Route path="/settings/members" component={MembersPage} />
          <Route path="/settings/tokens" component={TokensPage} />
          <Route path="/settings/webhooks" component={WebhooksPage} />
          <Route path="/settings/channels" component={ChannelsPage} />
          <Route path="/settings/fields" component={CustomFieldsPage} />
          <Route path="/settings/billing" component={BillingPage} />
        </Route>
        <Route path="*" component={NotFoundPage} />
      </Router>
      <Toasts />
      <ConfirmDialog />
    </>
  ),
  document.getElementById('root')!,
);
