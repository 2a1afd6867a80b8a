import { A } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { type Column, DataTable } from '../../kit/data-table.js';
import { formatTime } from '../../lib/format.js';
import { optInLabels, type PersonSummary, personName } from '../../lib/people.js';

/**
 * Everyone loaded so far, in the kit's table: it renders only the rows in view, so 100,000
 * people scroll as smoothly as 100, and nearing the end of what is loaded asks for more.
 */
export function PeopleTable(props: {
  items: PersonSummary[];
  total: number;
  hasMore: boolean;
  loading: boolean;
  loadMore: () => void;
  selectable: boolean;
  selected: ReadonlySet<string>;
  onToggle: (id: string, on: boolean) => void;
  onToggleAll: (on: boolean) => void;
}) {
  const allSelected = () => props.items.length > 0 && props.items.every((p) => props.selected.has(p.id));
  const pick: Column<PersonSummary> = {
    id: 'pick',
    label: 'Select',
    class: 'pick',
    header: () => (
      <input
        type="checkbox"
        aria-label="Select everyone loaded"
        checked={allSelected()}
        onChange={(e) => props.onToggleAll(e.currentTarget.checked)}
      />
    ),
    cell: (person) => (
      <input
        type="checkbox"
        aria-label={`Select ${personName(person)}`}
        checked={props.selected.has(person.id)}
        onChange={(e) => props.onToggle(person.id, e.currentTarget.checked)}
      />
    ),
  };
  const columns: Column<PersonSummary>[] = [
    {
      id: 'name',
      label: 'Name',
      class: 'nowrap',
      cell: (person) => (
        <>
          <A href={`/people/${person.id}`}>{person.name ?? 'No name'}</A>
          <Show when={person.blocked}>
            {' '}
            <span class="badge bad">Blocked</span>
          </Show>
        </>
      ),
    },
    { id: 'phone', label: 'Phone', class: 'mono nowrap', cell: (person) => person.phone },
    {
      // People who took a WhatsApp username may come without a phone number: their BSUID and
      // username say who they are (masked by the server for roles without pii.read).
      id: 'whatsapp',
      label: 'BSUID / username',
      class: 'mono nowrap',
      cell: (person) => [person.bsuid, person.username && `@${person.username}`].filter(Boolean).join(' '),
    },
    { id: 'optIn', label: 'Opt-in', cell: (person) => optInLabels[person.optIn] },
    {
      id: 'labels',
      label: 'Labels',
      class: 'labels-cell',
      cell: (person) => <For each={person.labels}>{(label) => <span class="tag">{label}</span>}</For>,
    },
    {
      id: 'last',
      label: 'Last message',
      class: 'nowrap',
      cell: (person) => formatTime(person.lastMessageReceivedAt),
    },
  ];
  return (
    <DataTable<PersonSummary>
      caption="People"
      captionHidden
      what="people"
      rows={props.items}
      total={props.total}
      empty={{ message: 'Nobody here.' }}
      columns={props.selectable ? [pick, ...columns] : columns}
      onNearEnd={() => {
        if (props.hasMore && !props.loading) props.loadMore();
      }}
    />
  );
}
