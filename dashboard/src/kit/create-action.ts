import { createSignal } from 'solid-js';
import { errorMessage } from '../lib/trpc.js';
import { toast } from './toast.js';

export interface ActionOptions<A extends unknown[], R> {
  /**
   * The toast on success: every action says that it worked. `null` only where the result is
   * itself the confirmation, in view where the member acted (a chat message appearing).
   */
  success: string | ((result: R, ...args: A) => string) | null;
  /** Runs after success and before the toast, e.g. a refetch. */
  after?: (result: R, ...args: A) => unknown;
  /**
   * Where a failure shows: `inline` keeps it in `error()` for the form to show next to its
   * fields; `toast` for buttons in a list, which have no form to show it in.
   */
  errors?: 'inline' | 'toast';
}

/**
 * A mutation with its pending and error state: `run` clears the last error, calls the
 * server, then refreshes and confirms, or keeps the error. Resolves to the result or undefined.
 */
export function createAction<A extends unknown[], R>(
  perform: (...args: A) => Promise<R>,
  options: ActionOptions<A, R>,
) {
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<unknown>();
  const run = async (...args: A): Promise<R | undefined> => {
    setPending(true);
    setError(undefined);
    try {
      const result = await perform(...args);
      await options.after?.(result, ...args);
      const message =
        typeof options.success === 'function' ? options.success(result, ...args) : options.success;
      if (message) toast.success(message);
      return result;
    } catch (caught) {
      if (options.errors === 'toast') toast.error(errorMessage(caught));
      else setError(caught);
      return undefined;
    } finally {
      setPending(false);
    }
  };
  return { run, pending, error, clear: () => setError(undefined) };
}
