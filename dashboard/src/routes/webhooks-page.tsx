import { createResource, createSignal, For, Show } from 'solid-js';
import { ErrorNote, ListState, Loading } from '../components/states.js';
import { WebhookDeliveries } from '../components/webhook-deliveries.js';
import { formatTime } from '../lib/format.js';
import { trpc } from '../lib/trpc.js';

/** Settings → Webhooks: subscriptions to event types, the failing alert, the delivery log and replay. */
export function WebhooksPage() {
  const [subs, { refetch }] = createResource(() => trpc.webhooks.list.query());
  const [alerts, { refetch: refetchAlerts }] = createResource(() => trpc.webhooks.alerts.query());
  const [eventTypes] = createResource(() => trpc.webhooks.eventTypes.query());
  const [error, setError] = createSignal<unknown>();
  const [secret, setSecret] = createSignal<string>();
  const [open, setOpen] = createSignal<string>();
  const run = async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await action();
      await Promise.all([refetch(), refetchAlerts()]);
    } catch (caught) {
      setError(caught);
    }
  };
  const create = (event: SubmitEvent) => {
    event.preventDefault();
    const formEl = event.currentTarget as HTMLFormElement;
    const form = new FormData(formEl);
    const description = String(form.get('description') ?? '').trim();
    return run(async () => {
      const created = await trpc.webhooks.create.mutate({
        url: String(form.get('url') ?? ''),
        event_types: form.getAll('event_types').map(String),
        description: description || null,
      });
      setSecret(created.secret);
      formEl.reset();
    });
  };
  return (
    <section class="page" aria-labelledby="webhooks-title">
      <header class="page-head">
        <h1 id="webhooks-title">Webhooks</h1>
        <p class="hint">Parley posts each subscribed event to your URL, signed with HMAC-SHA256.</p>
      </header>
      <Show when={(alerts() ?? []).length > 0}>
        <div class="error" role="alert">
          <p>
            <strong>Failing:</strong> {(alerts() ?? []).map((a) => a.url).join(', ')}. Parley retries with
            backoff; check the delivery log.
          </p>
        </div>
      </Show>
      <form class="card stack" onSubmit={create} aria-label="Add a webhook">
        <div class="row">
          <label class="grow">
            URL
            <input name="url" type="url" required placeholder="https://example.org/parley" />
          </label>
          <label class="grow">
            <span>
              Description <span class="hint">(optional)</span>
            </span>
            <input name="description" maxLength={500} />
          </label>
        </div>
        <fieldset class="scopes">
          <legend>Event types</legend>
          <Show when={eventTypes()} fallback={<Loading what="event types" />}>
            <For each={eventTypes()}>
              {(type) => (
                <label class="check">
                  <input type="checkbox" name="event_types" value={type} />
                  {type}
                </label>
              )}
            </For>
          </Show>
        </fieldset>
        <button type="submit">Add webhook</button>
      </form>
      <Show when={secret()}>
        <div class="notice secret" role="status">
          <p>Signing secret, shown once:</p>
          <input class="mono" readonly value={secret()} aria-label="Signing secret" />
        </div>
      </Show>
      <ErrorNote error={error()} />
      <ListState resource={subs} what="webhooks" empty="No webhooks yet." retry={refetch}>
        {(list) => (
          <ul class="cards wide">
            <For each={list()}>
              {(s) => (
                <li class="card">
                  <h2 class="mono">{s.url}</h2>
                  <p>
                    <span class={`badge ${s.failing ? 'bad' : s.active ? 'ok' : 'warn'}`}>
                      {s.failing
                        ? `Failing since ${formatTime(s.failing_since)}`
                        : s.active
                          ? 'Active'
                          : 'Paused'}
                    </span>{' '}
                    {s.description}
                  </p>
                  <p class="hint">{s.event_types.join(', ')}</p>
                  <div class="row">
                    <button
                      type="button"
                      class="secondary"
                      aria-expanded={open() === s.id}
                      onClick={() => setOpen(open() === s.id ? undefined : s.id)}
                    >
                      {open() === s.id ? 'Hide deliveries' : 'Deliveries'}
                    </button>
                    <button
                      type="button"
                      class="secondary"
                      onClick={() => run(() => trpc.webhooks.update.mutate({ id: s.id, active: !s.active }))}
                    >
                      {s.active ? 'Pause' : 'Resume'}
                    </button>
                    <button
                      type="button"
                      class="danger"
                      onClick={() => {
                        if (confirm(`Delete the webhook to ${s.url}?`))
                          void run(() => trpc.webhooks.delete.mutate({ id: s.id }));
                      }}
                    >
                      Delete
                    </button>
                  </div>
                  <Show when={open() === s.id}>
                    <WebhookDeliveries subscriptionId={s.id} />
                  </Show>
                </li>
              )}
            </For>
          </ul>
        )}
      </ListState>
    </section>
  );
}
