import { createEffect, createSignal, on, onCleanup } from 'solid-js';

/** A signal that follows `source` once it has been still for `ms` (search boxes query after typing stops). */
export function createDebounced<T>(source: () => T, ms: number): () => T {
  const [value, setValue] = createSignal<T>(source());
  createEffect(
    on(
      source,
      (next) => {
        const timer = setTimeout(() => setValue(() => next), ms);
        onCleanup(() => clearTimeout(timer));
      },
      { defer: true },
    ),
  );
  return value;
}
