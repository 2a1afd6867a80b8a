import { For, Show } from 'solid-js';
import type { RenderedTemplate } from '../../lib/template-preview.js';

/** What each kind of button shows before its text in WhatsApp. */
const buttonIcons: Record<string, string> = {
  QUICK_REPLY: '↩',
  URL: '↗',
  PHONE_NUMBER: '✆',
  COPY_CODE: '⧉',
  OTP: '⧉',
};

/**
 * A template as the person's phone shows it: a media header as a placeholder of its kind, the
 * text header in bold, the body with its sample values, the footer in grey and the buttons
 * under the bubble. Variables left without a sample are listed below it.
 */
export function TemplateBubble(props: { rendered: RenderedTemplate; note?: string }) {
  const r = () => props.rendered;
  return (
    <div class="phone template-preview">
      <div class="phone-head">
        <strong>Preview</strong>
        <span>{props.note ?? 'as WhatsApp shows it, with the sample values'}</span>
      </div>
      <ul class="chat">
        <li class="msg theirs">
          <div class="bubble" data-testid="template-bubble">
            <Show when={r().header}>
              {(header) => (
                <Show
                  when={header().format === 'TEXT'}
                  fallback={<p class="msg-media">{header().format.toLowerCase()}</p>}
                >
                  <p class="msg-header">{header().text}</p>
                </Show>
              )}
            </Show>
            <p class="msg-text">{r().body}</p>
            <Show when={r().footer}>
              <p class="msg-footer">{r().footer}</p>
            </Show>
          </div>
          <Show when={r().buttons.length > 0}>
            <div class="reply-buttons">
              <For each={r().buttons}>
                {(b) => (
                  <span class="reply" title={b.url ?? b.phone_number}>
                    <span aria-hidden="true">{buttonIcons[b.type]} </span>
                    {b.text}
                  </span>
                )}
              </For>
            </div>
          </Show>
        </li>
      </ul>
      <Show when={r().missing.length > 0}>
        <p class="hint preview-missing">No sample yet for: {r().missing.join(', ')}</p>
      </Show>
    </div>
  );
}
