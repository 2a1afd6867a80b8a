import { Show } from 'solid-js';
import { fieldErrors } from '../lib/trpc.js';
import { ErrorNote } from './states.js';

/**
 * A refused form's error, said once: reasons of the fields the form shows are next to those
 * fields already, so this shows the message only when some reason has no field on screen.
 */
export function FormError(props: { error: unknown; shown: readonly string[] }) {
  const unshown = () =>
    fieldErrors(props.error).filter(
      (f) => !props.shown.some((name) => f.field === name || f.field.startsWith(`${name}.`)),
    );
  const onlyFields = () => fieldErrors(props.error).length > 0 && unshown().length === 0;
  return (
    <Show when={props.error}>
      <Show when={!onlyFields()} fallback={<p class="field-error">Not saved: see the marked fields.</p>}>
        <ErrorNote error={props.error} />
      </Show>
    </Show>
  );
}
