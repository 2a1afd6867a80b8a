import type { Signal } from 'solid-js';
import { createStore, reconcile, unwrap } from 'solid-js/store';

/**
 * Resource storage that reconciles each refetch into the previous value by `id`
 * (https://docs.solidjs.com/reference/basic-reactivity/create-resource#resource-storage):
 * unchanged messages keep their DOM nodes, so a refetch on every live event does not move
 * keyboard focus or make screen readers announce the whole conversation again.
 */
export function createDeepSignal<T>(value: T | undefined): Signal<T | undefined> {
  const [store, setStore] = createStore({ value });
  return [
    () => store.value,
    (next: unknown) => {
      const resolved = typeof next === 'function' ? next(unwrap(store.value)) : next;
      setStore('value', reconcile(resolved));
      return store.value;
    },
  ] as Signal<T | undefined>;
}
