import { type Accessor, For, type JSX, Show } from 'solid-js';
import { errorMessage, fieldErrors } from '../lib/trpc.js';

export function Loading(props: { what?: string }) {
  return (
    <p class="state" role="status" aria-live="polite">
      Loading{props.what ? ` ${props.what}` : ''}…
    </p>
  );
}

/** Nothing to show yet, and (in `action`) the way to start. */
export function Empty(props: { children: JSX.Element; action?: JSX.Element }) {
  return (
    <div class="state empty">
      <p>{props.children}</p>
      {props.action}
    </div>
  );
}

/** An error from the server: its message and each field's reason. */
export function ErrorNote(props: { error: unknown; retry?: () => void }) {
  return (
    <Show when={props.error}>
      <div class="error" role="alert">
        <p>{errorMessage(props.error)}</p>
        <Show when={fieldErrors(props.error).length > 0}>
          <ul>
            <For each={fieldErrors(props.error)}>
              {(f) => (
                <li>
                  <code>{f.field}</code> {f.reason}
                </li>
              )}
            </For>
          </ul>
        </Show>
        <Show when={props.retry}>
          <button type="button" class="secondary" onClick={() => props.retry?.()}>
            Try again
          </button>
        </Show>
      </div>
    </Show>
  );
}

/**
 * A list read from the server in its four states: the error (with a retry), loading, empty, and
 * the list itself, which `children` renders.
 */
export function ListState<T>(props: {
  resource: { error: unknown; latest: T[] | undefined };
  what: string;
  empty: JSX.Element;
  emptyAction?: JSX.Element;
  retry: () => void;
  children: (list: Accessor<T[]>) => JSX.Element;
}) {
  return (
    <Show
      when={!props.resource.error}
      fallback={<ErrorNote error={props.resource.error} retry={props.retry} />}
    >
      <Show when={props.resource.latest} fallback={<Loading what={props.what} />}>
        {(list) => (
          <Show when={list().length > 0} fallback={<Empty action={props.emptyAction}>{props.empty}</Empty>}>
            {props.children(list)}
          </Show>
        )}
      </Show>
    </Show>
  );
}

/**
 * One value read from the server (a balance, a report) in its three states: the error with a
 * retry, loading, and the value, which `children` renders. Lists use ListState or DataTable.
 */
export function Loaded<T>(props: {
  resource: { error: unknown; latest: T | undefined };
  what: string;
  retry: () => void;
  children: (value: Accessor<NonNullable<T>>) => JSX.Element;
}) {
  return (
    <Show
      when={!props.resource.error}
      fallback={<ErrorNote error={props.resource.error} retry={props.retry} />}
    >
      <Show when={props.resource.latest} fallback={<Loading what={props.what} />}>
        {(value) => props.children(value)}
      </Show>
    </Show>
  );
}
