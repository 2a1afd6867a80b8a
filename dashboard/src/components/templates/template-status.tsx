import { Show } from 'solid-js';
import { statusNote, statusTone } from '../../lib/template-status.js';

/** A template's review status as a badge, with Meta's reason beside it when it gave one. */
export function TemplateStatus(props: {
  template: { status: string; statusReason: string | null; statusDetail: Record<string, unknown> | null };
}) {
  return (
    <span class="template-status">
      <span class={`badge ${statusTone(props.template.status)}`}>{props.template.status}</span>
      <Show when={statusNote(props.template)}>{(note) => <span class="status-note"> {note()}</span>}</Show>
    </span>
  );
}
