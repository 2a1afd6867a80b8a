import { createResource, createSignal, For, Show } from 'solid-js';
import { WebhookDeliveries } from '../../components/webhook-deliveries.js';
import { confirmAction } from '../../kit/confirm-dialog.js';
import { createAction } from '../../kit/create-action.js';
import { CheckboxGroup, fieldError, TextField } from '../../kit/fields.js';
import { FormError } from '../../kit/form-error.js';
import { Page } from '../../kit/page.js';
import { SecretNotice } from '../../kit/secret-notice.js';
import { ListState, Loading } from '../../kit/states.js';
import { formatTime } from '../../lib/format.js';
import { type Outputs, trpc } from '../../lib/trpc.js';

type Subscription = Outputs['webhooks']['list'][number];

/** Settings → Webhooks: subscriptions to event types, the failing alert, the delivery log and replay. */
export function WebhooksPage() {
  const [subs, { refetch }] = createResource(() => trpc.webhooks.list.query());
  const [alerts, { refetch: refetchAlerts }] = createResource(() => trpc.webhooks.alerts.query());
  const [eventTypes] = createResource(() => trpc.webhooks.eventTypes.query());
  const [url, setUrl] = createSignal('');
  const [description, setDescription] = createSignal('');
  const [types, setTypes] = createSignal<ReadonlySet<string>>(new Set());
  const [secret, setSecret] = createSignal<string>();
  const [open, setOpen] = createSignal<string>();
  let urlInput: HTMLInputElement | undefined;
  const reload = () => Promise.all([refetch(), refetchAlerts()]);
  const create = createAction(
    () =>
      trpc.webhooks.create.mutate({
        url: url(),
        event_types: [...types()],
        description: description().trim() || null,
      }),
    {
      success: 'Webhook added',
      after: async (created) => {
        setSecret(created.secret);
        setUrl('');
        setDescription('');
        setTypes(new Set<string>());
        await reload();
      },
    },
  );
  const toggle = createAction(
    (s: Subscription) => trpc.webhooks.update.mutate({ id: s.id, active: !s.active }),
    { success: (_, s) => (s.active ? 'Webhook paused' : 'Webhook resumed'), after: reload, errors: 'toast' },
  );
  const remove = createAction((s: Subscription) => trpc.webhooks.delete.mutate({ id: s.id }), {
    success: 'Webhook deleted',
    after: reload,
    errors: 'toast',
  });
  const askRemove = async (s: Subscription) => {
    const ok = await confirmAction({
      title: 'Delete this webhook?',
      message: `Parley stops posting events to ${s.url}; its delivery log goes too.`,
      confirmLabel: 'Delete webhook',
      danger: true,
    });
    if (ok) await remove.run(s);
  };
  return (
    <Page
      title="Webhooks"
      description="Parley posts each subscribed event to your URL, signed with HMAC-SHA256."
    >
      <Show when={(alerts() ?? []).length > 0}>
        <div class="error" role="alert">
          <p>
            <strong>Failing:</strong> {(alerts() ?? []).map((a) => a.url).join(', ')}. Parley retries with
            backoff; check the delivery log.
          </p>
        </div>
      </Show>
      <form
        class="card stack"
        aria-label="Add a webhook"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <div class="row">
          <TextField
            ref={urlInput}
            label="URL"
            name="url"
            type="url"
            required
            placeholder="https://example.org/parley"
            value={url()}
            onInput={(e) => setUrl(e.currentTarget.value)}
            error={fieldError(create.error(), 'url')}
          />
          <TextField
            label="Description"
            hint="(optional)"
            name="description"
            maxLength={500}
            value={description()}
            onInput={(e) => setDescription(e.currentTarget.value)}
            error={fieldError(create.error(), 'description')}
          />
        </div>
        <Show when={eventTypes()} fallback={<Loading what="event types" />}>
          {(list) => (
            <CheckboxGroup
              legend="Event types"
              name="event_types"
              options={list()}
              value={types()}
              onChange={setTypes}
              error={fieldError(create.error(), 'event_types')}
            />
          )}
        </Show>
        <button type="submit" disabled={create.pending()}>
          Add webhook
        </button>
        <FormError error={create.error()} shown={['url', 'description', 'event_types']} />
      </form>
      <Show when={secret()}>
        {(value) => (
          <SecretNotice message="Signing secret, shown once:" value={value()} label="Signing secret" />
        )}
      </Show>
      <ListState
        resource={subs}
        what="webhooks"
        retry={refetch}
        empty="No webhooks yet. Add one above to receive events as they happen."
        emptyAction={
          <button type="button" class="secondary" onClick={() => urlInput?.focus()}>
            Add a webhook
          </button>
        }
      >
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
                    <button type="button" class="secondary" onClick={() => void toggle.run(s)}>
                      {s.active ? 'Pause' : 'Resume'}
                    </button>
                    <button type="button" class="danger" onClick={() => void askRemove(s)}>
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
    </Page>
  );
}
