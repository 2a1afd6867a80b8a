import { Navigate, Route, Router } from '@solidjs/router';
import { lazy } from 'solid-js';
import { render } from 'solid-js/web';
import { AppFrame } from './components/app-frame.js';
import { homePath } from './components/nav-links.js';
import { session } from './lib/session.js';
import { ChannelsPage } from './routes/channels-page.js';
import { InvitePage } from './routes/invite-page.js';
import { LoginPage } from './routes/login-page.js';
import { MembersPage } from './routes/members-page.js';
import { SegmentEditorPage } from './routes/segment-editor-page.js';
import { SegmentsPage } from './routes/segments-page.js';
import { SetupPage } from './routes/setup-page.js';
import { SimulatorPage } from './routes/simulator-page.js';
import { TokensPage } from './routes/tokens-page.js';
import { WebhooksPage } from './routes/webhooks-page.js';
import './styles.css';

// People pages load on first visit (their own chunk: the virtual list, the import wizard).
const PeoplePage = lazy(() => import('./routes/people-page.js').then((m) => ({ default: m.PeoplePage })));
const PersonPage = lazy(() => import('./routes/person-page.js').then((m) => ({ default: m.PersonPage })));
const ImportPage = lazy(() => import('./routes/import-page.js').then((m) => ({ default: m.ImportPage })));
const CustomFieldsPage = lazy(() =>
  import('./routes/custom-fields-page.js').then((m) => ({ default: m.CustomFieldsPage })),
);

render(
  () => (
    <Router>
      <Route path="/login" component={LoginPage} />
      <Route path="/setup" component={SetupPage} />
      <Route path="/invite" component={InvitePage} />
      <Route path="/" component={AppFrame}>
        <Route path="/" component={() => <Navigate href={homePath(session.me()?.permissions ?? [])} />} />
        <Route path="/simulator" component={SimulatorPage} />
        <Route path="/people" component={PeoplePage} />
        <Route path="/people/import" component={ImportPage} />
        <Route path="/people/:id" component={PersonPage} />
        <Route path="/settings/fields" component={CustomFieldsPage} />
        <Route path="/segments" component={SegmentsPage} />
        <Route path="/segments/:id" component={SegmentEditorPage} />
        <Route path="/settings/members" component={MembersPage} />
        <Route path="/settings/tokens" component={TokensPage} />
        <Route path="/settings/webhooks" component={WebhooksPage} />
        <Route path="/settings/channels" component={ChannelsPage} />
        <Route path="*" component={() => <Navigate href={homePath(session.me()?.permissions ?? [])} />} />
      </Route>
    </Router>
  ),
  document.getElementById('root')!,
);
