import { For, Show } from 'solid-js';
import type { Outputs } from '../lib/trpc.js';

export type ChatMessage = Outputs['simulator']['conversation']['messages'][number];
export type Reply =
  | { button_reply: { id: string; title: string } }
  | { list_reply: { id: string; title: string; description?: string } };

/** Delivery ticks as WhatsApp draws them: clock, one grey tick, two grey, two blue, or a warning. */
const ticks: Record<string, { mark: string; label: string }> = {
  queued: { mark: '🕓', label: 'queued' },
  accepted: { mark: '✓', label: 'accepted by WhatsApp' },
  sent: { mark: '✓', label: 'sent' },
  delivered: { mark: '✓✓', label: 'delivered' },
  read: { mark: '✓✓', label: 'read' },
  failed: { mark: '⚠', label: 'failed' },
};

/**
 * One message as the test person's phone shows it. The person's own messages are on the
 * right; the service's are on the left, with reply buttons under the bubble and a list
 * behind its menu button (https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-list-messages).
 */
export function ChatMessageView(props: {
  message: ChatMessage;
  onReply: (reply: Reply) => void;
  /** Kept by the page: a refetch replaces the message objects, and the open list must stay open. */
  listOpen: boolean;
  onToggleList: (open: boolean) => void;
}) {
  const listOpen = () => props.listOpen;
  const setListOpen = (open: boolean) => props.onToggleList(open);
  const m = () => props.message;
  const tick = () => ticks[m().status] ?? { mark: '', label: m().status };
  const time = () => new Date(m().at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return (
    <li class={`msg ${m().direction === 'inbound' ? 'mine' : 'theirs'}`} data-status={m().status}>
      <div class="bubble">
        <Show when={m().header}>
          <p class="msg-header">{m().header}</p>
        </Show>
        <p class="msg-text">{m().text ?? `[${m().type}]`}</p>
        <Show when={m().footer}>
          <p class="msg-footer">{m().footer}</p>
        </Show>
        <p class="msg-meta">
          <time datetime={m().at}>{time()}</time>
          <Show when={m().direction === 'outbound'}>
            <span class={`tick tick-${m().status}`} role="img" title={tick().label} aria-label={tick().label}>
              {tick().mark}
            </span>
          </Show>
        </p>
        <Show when={m().error}>
          {(error) => (
            <p class="msg-error">
              Not delivered: {error().title ?? 'unknown error'}
              {error().code !== null ? ` (${error().code})` : ''}
            </p>
          )}
        </Show>
      </div>
      <Show when={m().buttons?.length}>
        <div class="reply-buttons">
          <For each={m().buttons}>
            {(b) => (
              <button type="button" class="reply" onClick={() => props.onReply({ button_reply: b })}>
                {b.title}
              </button>
            )}
          </For>
        </div>
      </Show>
      <Show when={m().list}>
        {(list) => (
          <div class="reply-buttons">
            <button
              type="button"
              class="reply"
              aria-expanded={listOpen()}
              onClick={() => setListOpen(!listOpen())}
            >
              ☰ {list().button}
            </button>
            <Show when={listOpen()}>
              <div class="list-sheet">
                <For each={list().sections}>
                  {(section) => (
                    <fieldset>
                      <Show when={section.title}>
                        <legend>{section.title}</legend>
                      </Show>
                      <For each={section.rows}>
                        {(row) => (
                          <button
                            type="button"
                            class="list-row"
                            onClick={() => {
                              setListOpen(false);
                              props.onReply({ list_reply: row });
                            }}
                          >
                            <span>{row.title}</span>
                            <Show when={row.description}>
                              <small>{row.description}</small>
                            </Show>
                          </button>
                        )}
                      </For>
                    </fieldset>
                  )}
                </For>
              </div>
            </Show>
          </div>
        )}
      </Show>
    </li>
  );
}
