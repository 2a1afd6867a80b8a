import { createEffect, createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import { type ChatMessage, ChatMessageView, type Reply } from '../../components/chat-message.js';
import { createAction } from '../../kit/create-action.js';
import { Page } from '../../kit/page.js';
import { Empty, ErrorNote, Loading } from '../../kit/states.js';
import { createDeepSignal } from '../../lib/deep-signal.js';
import { trpc } from '../../lib/trpc.js';

const defaultWaId = '15550001234';

/**
 * Chat with the service as a test contact on the simulator channel. The page subscribes to
 * events.onNew for the simulator channel and refetches the conversation on each event, so
 * replies and delivery ticks appear without polling.
 */
export function SimulatorPage() {
  const [waId, setWaId] = createSignal(localStorage.getItem('parley.simulator.waId') ?? defaultWaId);
  const [status] = createResource(() => trpc.simulator.status.query());
  const [conversation, { refetch }] = createResource(
    waId,
    (id) => trpc.simulator.conversation.query({ waId: id }),
    { storage: createDeepSignal },
  );
  const [live, setLive] = createSignal<'connecting' | 'live' | 'offline'>('connecting');
  const [draft, setDraft] = createSignal('');
  const [openList, setOpenList] = createSignal<string>();
  let list: HTMLOListElement | undefined;

  createEffect(() => {
    const channel = status()?.channel;
    if (!channel) return;
    const subscription = trpc.events.onNew.subscribe(
      { channel },
      {
        onStarted: () => setLive('live'),
        onData: () => void refetch(),
        onError: () => setLive('offline'),
        onConnectionStateChange: (state) => setLive(state.state === 'pending' ? 'live' : 'connecting'),
      },
    );
    onCleanup(() => subscription.unsubscribe());
  });

  createEffect(() => {
    conversation();
    list?.lastElementChild?.scrollIntoView({ block: 'end' });
  });

  const sendAction = createAction(
    (content: { text: string } | Reply) => trpc.simulator.send.mutate({ waId: waId(), content }),
    { success: null, after: () => refetch() },
  );
  const send = (content: { text: string } | Reply) => sendAction.run(content);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const text = draft().trim();
    if (!text) return;
    setDraft('');
    await send({ text });
  };
  const resetAction = createAction(() => trpc.simulator.reset.mutate({ waId: waId() }), {
    success: 'Test contact reset: the next message starts over',
    after: () => refetch(),
  });
  const reset = () => resetAction.run();
  const error = () => sendAction.error() ?? resetAction.error();
  const changeNumber = (event: SubmitEvent) => {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget as HTMLFormElement).get('waId') ?? '').trim();
    localStorage.setItem('parley.simulator.waId', value);
    setWaId(value);
  };

  return (
    <Page
      title="Simulator"
      description="Chat with the service as a test contact, as it would look on WhatsApp."
    >
      <Show when={!status.error} fallback={<ErrorNote error={status.error} />}>
        <Show when={status()} fallback={<Loading what="the simulator" />}>
          <Show
            when={status()?.running}
            fallback={<ErrorNote error={new Error('The simulator channel is off (PARLEY_SIMULATOR=off).')} />}
          >
            <form class="row" onSubmit={changeNumber}>
              <label>
                Test number
                <input name="waId" value={waId()} inputmode="numeric" pattern="\d{5,20}" required />
              </label>
              <button type="submit" class="secondary">
                Open chat
              </button>
              <button type="button" class="danger" onClick={reset}>
                Reset contact
              </button>
              <span class={`live live-${live()}`} role="status">
                {live() === 'live' ? 'Live' : live() === 'offline' ? 'Offline' : 'Connecting…'}
              </span>
            </form>
            <div class="phone">
              <div class="phone-head">
                <strong>{conversation()?.contact?.name ?? `+${waId()}`}</strong>
                <span>Parley service</span>
              </div>
              <Show
                when={!conversation.error}
                fallback={<ErrorNote error={conversation.error} retry={refetch} />}
              >
                <Show when={conversation.latest} fallback={<Loading what="the conversation" />}>
                  {(c) => (
                    <Show
                      when={c().messages.length > 0}
                      fallback={<Empty>No messages yet. Say hello below.</Empty>}
                    >
                      <ol class="chat" ref={list} aria-label="Conversation" aria-live="polite">
                        <For each={c().messages}>
                          {(message: ChatMessage) => (
                            <ChatMessageView
                              message={message}
                              onReply={send}
                              listOpen={openList() === message.id}
                              onToggleList={(open) => setOpenList(open ? message.id : undefined)}
                            />
                          )}
                        </For>
                      </ol>
                    </Show>
                  )}
                </Show>
              </Show>
              <ErrorNote error={error()} />
              <form class="composer" onSubmit={submit}>
                <label class="visually-hidden" for="composer-text">
                  Message
                </label>
                <input
                  id="composer-text"
                  class="composer-input"
                  placeholder="Type a message"
                  value={draft()}
                  onInput={(e) => setDraft(e.currentTarget.value)}
                  maxLength={4096}
                  autocomplete="off"
                />
                <button type="submit" disabled={!draft().trim()}>
                  Send
                </button>
              </form>
            </div>
          </Show>
        </Show>
      </Show>
    </Page>
  );
}
