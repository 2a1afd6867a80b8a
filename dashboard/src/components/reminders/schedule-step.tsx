import { For, Show } from 'solid-js';
import { TextField } from '../../kit/fields.js';
import type { ReminderDraft, ScheduleKind } from '../../lib/reminder-draft.js';

const kinds: { value: ScheduleKind; label: string; hint: string }[] = [
  { value: 'now', label: 'Now', hint: 'as soon as it is scheduled' },
  { value: 'at', label: 'At a date and time', hint: 'once, in your browser’s timezone' },
  { value: 'cron', label: 'Recurring', hint: 'a cron expression, in a timezone' },
  { value: 'local', label: 'At each person’s local time', hint: 'once, as each timezone reaches it' },
];

/** Step 4: when it goes out, and the rules that skip people or stop the run. */
export function ScheduleStep(props: {
  draft: ReminderDraft;
  patch: (change: Partial<ReminderDraft>) => void;
  error: (field: string) => string | undefined;
}) {
  return (
    <div class="stack">
      <fieldset class="stack" aria-label="When">
        <legend>When</legend>
        <For each={kinds}>
          {(kind) => (
            <label class="check">
              <input
                type="radio"
                name="schedule-kind"
                value={kind.value}
                checked={props.draft.schedule === kind.value}
                onChange={() => props.patch({ schedule: kind.value })}
              />
              {kind.label} <span class="hint">({kind.hint})</span>
            </label>
          )}
        </For>
      </fieldset>
      <Show when={props.draft.schedule === 'at'}>
        <TextField
          label="Send at"
          type="datetime-local"
          value={props.draft.at}
          onInput={(e) => props.patch({ at: e.currentTarget.value })}
          error={props.error('schedule.at') ?? props.error('schedule')}
        />
      </Show>
      <Show when={props.draft.schedule === 'cron'}>
        <div class="row">
          <TextField
            label="Cron expression"
            hint="(minute hour day month weekday: 0 9 * * 1 is Mondays at 09:00)"
            value={props.draft.cron}
            onInput={(e) => props.patch({ cron: e.currentTarget.value })}
            error={props.error('schedule.expression') ?? props.error('schedule')}
          />
          <TextField
            label="Timezone"
            hint="(IANA name, e.g. Africa/Johannesburg)"
            value={props.draft.timezone}
            onInput={(e) => props.patch({ timezone: e.currentTarget.value })}
            error={props.error('schedule.timezone')}
          />
        </div>
      </Show>
      <Show when={props.draft.schedule === 'local'}>
        <div class="row">
          <TextField
            label="Date"
            type="date"
            value={props.draft.localDate}
            onInput={(e) => props.patch({ localDate: e.currentTarget.value })}
            error={props.error('schedule.date') ?? props.error('schedule')}
          />
          <TextField
            label="Local time"
            type="time"
            value={props.draft.localTime}
            onInput={(e) => props.patch({ localTime: e.currentTarget.value })}
            error={props.error('schedule.time')}
          />
        </div>
      </Show>
      <TextField
        label="Skip people who got this reminder in the last"
        hint="(days; 0 never skips)"
        type="number"
        min={0}
        max={365}
        value={props.draft.skipRecentDays}
        onInput={(e) => props.patch({ skipRecentDays: e.currentTarget.value })}
        error={props.error('options.skip_recent_days')}
      />
      <label class="check">
        <input
          type="checkbox"
          checked={props.draft.stopWhenEmpty}
          onChange={(e) => props.patch({ stopWhenEmpty: e.currentTarget.checked })}
        />
        Pause sending when the amount available runs out
      </label>
      <p class="hint">
        Blocked people, and for marketing templates people who opted out, are always skipped.
      </p>
    </div>
  );
}
