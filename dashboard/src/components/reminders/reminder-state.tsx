import type { Outputs } from '../../lib/trpc.js';

type ReminderState = Outputs['reminders']['list'][number]['state'];

const tones: Record<ReminderState, string> = {
  draft: '',
  scheduled: 'warn',
  sending: 'warn',
  paused: 'warn',
  completed: 'ok',
  cancelled: '',
  failed: 'bad',
};

/** A reminder's state as a badge: green when done, amber while it still has work, red when it failed. */
export function ReminderStateBadge(props: { state: ReminderState }) {
  return <span class={`badge ${tones[props.state]}`}>{props.state}</span>;
}
