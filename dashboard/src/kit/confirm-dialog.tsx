import { createEffect, createSignal } from 'solid-js';

export interface ConfirmOptions {
  title: string;
  message: string;
  /** The button that goes ahead, named for what it does ("Revoke token"). */
  confirmLabel: string;
  /** The button that backs out, when "Cancel" would read as the action itself ("Keep it"). */
  cancelLabel?: string;
  danger?: boolean;
}

interface Question extends ConfirmOptions {
  resolve: (confirmed: boolean) => void;
}

const [question, setQuestion] = createSignal<Question>();

/**
 * Asks before something that cannot be undone; resolves true when confirmed. Replaces the
 * browser's confirm(), which cannot be styled, names no action and blocks the page's scripts.
 */
export function confirmAction(options: ConfirmOptions): Promise<boolean> {
  return new Promise((resolve) => {
    question()?.resolve(false);
    setQuestion({ ...options, resolve });
  });
}

/** The one modal dialog that confirmAction opens; mounted once at the root of the app. */
export function ConfirmDialog() {
  let dialog!: HTMLDialogElement;
  const answer = (confirmed: boolean) => {
    const asked = question();
    setQuestion(undefined);
    asked?.resolve(confirmed);
  };
  createEffect(() => {
    if (question()) {
      if (!dialog.open) dialog.showModal();
    } else if (dialog.open) dialog.close();
  });
  return (
    <dialog
      ref={dialog}
      class="dialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-message"
      onClose={() => answer(false)}
    >
      <h2 id="confirm-title">{question()?.title}</h2>
      <p id="confirm-message">{question()?.message}</p>
      <div class="row actions">
        <button type="button" class="secondary" onClick={() => answer(false)}>
          {question()?.cancelLabel ?? 'Cancel'}
        </button>
        <button type="button" class={question()?.danger ? 'danger' : ''} onClick={() => answer(true)}>
          {question()?.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
