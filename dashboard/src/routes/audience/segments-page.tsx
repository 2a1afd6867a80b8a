import { A } from '@solidjs/router';
import { createResource } from 'solid-js';
import { DataTable } from '../../kit/data-table.js';
import { Page } from '../../kit/page.js';
import { formatTime } from '../../lib/format.js';
import { type Outputs, trpc } from '../../lib/trpc.js';

type Segment = Outputs['segments']['list'][number];

/** Segments: saved groups of people (SQL over the warehouse), with their latest count. */
export function SegmentsPage() {
  const [segments, { refetch }] = createResource(() => trpc.segments.list.query());
  const newSegment = (
    <A class="button" href="/segments/new">
      New segment
    </A>
  );
  return (
    <Page
      title="Segments"
      description="Groups of people for reminders and journeys, counted in the warehouse."
      actions={newSegment}
    >
      <DataTable<Segment>
        caption="Segments"
        what="segments"
        rows={segments.latest}
        error={segments.error}
        retry={refetch}
        empty={{
          message: 'No segments yet. A segment picks people by their fields, labels and messages.',
          action: (
            <A class="button" href="/segments/new">
              Create the first segment
            </A>
          ),
        }}
        columns={[
          {
            id: 'name',
            label: 'Name',
            sort: (a, b) => a.name.localeCompare(b.name),
            cell: (s) => <A href={`/segments/${s.id}`}>{s.name}</A>,
          },
          {
            id: 'count',
            label: 'People',
            class: 'num',
            sort: (a, b) => (a.latestCount?.count ?? -1) - (b.latestCount?.count ?? -1),
            cell: (s) => s.latestCount?.count.toLocaleString() ?? '—',
          },
          {
            id: 'counted',
            label: 'Counted',
            cell: (s) => (s.latestCount ? formatTime(s.latestCount.countedAt) : '—'),
          },
          { id: 'made', label: 'Made with', cell: (s) => (s.builder ? 'Builder' : 'SQL') },
        ]}
      />
    </Page>
  );
}
