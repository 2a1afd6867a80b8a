import { useNavigate } from '@solidjs/router';
import { createEffect } from 'solid-js';
import { Loading } from '../../kit/states.js';
import { session } from '../../lib/session.js';

/**
 * The old /simulator address, which both the dashboard's simulator and the no-login page
 * used: members go to the dashboard's simulator, visitors to the no-login page.
 */
export function SimulatorRedirect() {
  const navigate = useNavigate();
  createEffect(() => {
    if (session.me.loading) return;
    if (session.me()) navigate('/conversations/simulator', { replace: true });
    else window.location.replace('/simulator/public');
  });
  return <Loading what="the simulator" />;
}
