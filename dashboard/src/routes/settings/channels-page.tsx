import { A } from '@solidjs/router';
import { createResource, For, Show } from 'solid-js';
import { Page } from '../../kit/page.js';
import { ErrorNote, Loading } from '../../kit/states.js';
import { trpc } from '../../lib/trpc.js';

/** Settings → Channels: each WhatsApp number's configuration status and rate limit, and the simulator. */
export function ChannelsPage() {
  const [channels, { refetch }] = createResource(() => trpc.channels.list.query());
  return (
    <Page
      title="Channels"
      description="Channels are configured with environment variables; secrets are never shown."
    >
      <Show when={!channels.error} fallback={<ErrorNote error={channels.error} retry={refetch} />}>
        <Show when={channels()} fallback={<Loading what="channels" />}>
          <ul class="cards">
            <For each={channels()}>
              {(c) => (
                <li class="card">
                  <h2>
                    {c.kind === 'simulator' ? 'Simulator' : 'WhatsApp'} <span class="mono">{c.name}</span>
                  </h2>
                  <p class={c.configured ? 'badge ok' : 'badge warn'}>
                    {c.configured ? 'Running' : 'Not configured'}
                  </p>
                  <dl>
                    <dt>Phone number id</dt>
                    <dd class="mono">{c.phone_number_id ?? '—'}</dd>
                    <dt>Rate limit</dt>
                    <dd>
                      {c.rate_limit_per_second !== null ? `${c.rate_limit_per_second} messages/s` : '—'}
                    </dd>
                    <dt>Graph API</dt>
                    <dd class="mono">{c.graph_url ? `${c.graph_url} (${c.api_version})` : '—'}</dd>
                    <dt>Webhook path</dt>
                    <dd class="mono">{c.webhook_path ?? '—'}</dd>
                  </dl>
                  <Show when={c.missing.length > 0}>
                    <p>Set {c.missing.map((v) => v).join(', ')} to connect a WhatsApp Business number.</p>
                  </Show>
                  <Show when={c.kind === 'simulator' && c.configured}>
                    <A href="/conversations/simulator">Open the simulator</A>
                  </Show>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Show>
    </Page>
  );
}
