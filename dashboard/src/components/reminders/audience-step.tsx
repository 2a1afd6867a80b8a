import { createSignal, createUniqueId, For, Show } from 'solid-js';
import { createAction } from '../../kit/create-action.js';
import { Field, fieldError, Select, TextField } from '../../kit/fields.js';
import type { ReminderDraft } from '../../lib/reminder-draft.js';
import { type Outputs, trpc } from '../../lib/trpc.js';

type Segment = Outputs['segments']['list'][number];
type Listed = Outputs['reminders']['findListed'];

/**
 * Step 2: who gets it. A segment is counted again when the reminder is sent (its members at
 * that moment); an uploaded list is found now, by phone number or BSUID, one per line.
 */
export function AudienceStep(props: {
  draft: ReminderDraft;
  patch: (change: Partial<ReminderDraft>) => void;
  segments: readonly Segment[];
  error: (field: string) => string | undefined;
}) {
  // Kept in the draft, so going back to this step shows the list as it was typed.
  const text = () => props.draft.listText;
  const country = () => props.draft.listCountry;
  const [listed, setListed] = createSignal<Listed>();
  const find = createAction(
    () => trpc.reminders.findListed.mutate({ text: text(), defaultCountry: country() }),
    {
      success: (found) => `${found.contact_ids.length.toLocaleString()} people found`,
      after: (found) => {
        setListed(found);
        props.patch({ listedIds: found.contact_ids });
      },
    },
  );
  const listId = createUniqueId();
  const segmentLabel = (s: Segment) =>
    s.latestCount ? `${s.name} (${s.latestCount.count.toLocaleString()} people when last counted)` : s.name;
  return (
    <div class="stack">
      <fieldset class="segmented">
        <legend>Send to</legend>
        <button
          type="button"
          class="segment"
          aria-pressed={props.draft.audience === 'segment'}
          onClick={() => props.patch({ audience: 'segment' })}
        >
          A segment
        </button>
        <button
          type="button"
          class="segment"
          aria-pressed={props.draft.audience === 'list'}
          onClick={() => props.patch({ audience: 'list' })}
        >
          A list of people
        </button>
      </fieldset>
      <Show
        when={props.draft.audience === 'segment'}
        fallback={
          <div class="stack">
            <Field
              id={listId}
              label="Phone numbers or BSUIDs"
              hint="(one per line; national numbers are read in the country below)"
              error={fieldError(find.error(), 'text')}
            >
              <textarea
                id={listId}
                rows={6}
                value={text()}
                onInput={(e) => {
                  setListed(undefined);
                  props.patch({ listText: e.currentTarget.value, listedIds: [] });
                }}
              />
            </Field>
            <div class="row">
              <TextField
                label="Country of national numbers"
                maxLength={2}
                value={country()}
                onInput={(e) =>
                  props.patch({ listCountry: e.currentTarget.value.toUpperCase(), listedIds: [] })
                }
                error={fieldError(find.error(), 'defaultCountry')}
              />
              <button
                type="button"
                disabled={find.pending() || text().trim() === ''}
                onClick={() => void find.run()}
              >
                Find people
              </button>
            </div>
            <Show when={props.draft.listedIds.length > 0 || listed()}>
              <div class="stack" data-testid="listed-people">
                <p>
                  <strong>{props.draft.listedIds.length.toLocaleString()}</strong> people found.
                </p>
                <Show when={listed()?.unknown.length}>
                  <p class="field-error">Not found ({listed()!.unknown.length.toLocaleString()}):</p>
                  <ul>
                    <For each={listed()!.unknown.slice(0, 50)}>
                      {(u) => (
                        <li>
                          <code>{u.entry}</code>: {u.reason}
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
              </div>
            </Show>
            <Show when={props.error('audience')}>{(reason) => <p class="field-error">{reason()}</p>}</Show>
          </div>
        }
      >
        <Show
          when={props.segments.length > 0}
          fallback={
            <p class="notice">
              No segments yet. Build one under <a href="/segments">Segments</a>, or send to a list.
            </p>
          }
        >
          <Select
            label="Segment"
            hint="(its members when the reminder is sent)"
            placeholder="Choose a segment"
            options={props.segments.map((s) => ({ value: s.id, label: segmentLabel(s) }))}
            value={props.draft.segmentId}
            onChange={(segmentId) => props.patch({ segmentId })}
            error={props.error('audience')}
          />
        </Show>
      </Show>
    </div>
  );
}
