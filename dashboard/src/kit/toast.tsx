import { createSignal, For } from 'solid-js';

interface Toast {
  id: number;
  kind: 'success' | 'error';
  text: string;
}

const [toasts, setToasts] = createSignal<Toast[]>([]);
let lastId = 0;

function dismiss(id: number) {
  setToasts((list) => list.filter((t) => t.id !== id));
}

function push(kind: Toast['kind'], text: string) {
  const id = ++lastId;
  // Keep the last few only: a burst of actions must not cover the page.
  setToasts((list) => [...list.slice(-3), { id, kind, text }]);
  // Failures stay longer: they usually need reading and acting on.
  setTimeout(() => dismiss(id), kind === 'error' ? 10_000 : 5_000);
}

/** Confirms that an action worked (or says why not) wherever the member is on the page. */
export const toast = {
  success: (text: string) => push('success', text),
  error: (text: string) => push('error', text),
};

/** The one place toasts appear; mounted once at the root of the app. */
export function Toasts() {
  return (
    <div class="toasts" aria-live="polite">
      <For each={toasts()}>
        {(t) => (
          <div class={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
            <span>{t.text}</span>
            <button type="button" class="toast-close" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        )}
      </For>
    </div>
  );
}
