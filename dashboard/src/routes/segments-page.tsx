import { A } from '@solidjs/router';
import { createResource, For } from 'solid-js';
import { ListState } from '../components/states.js';
import { formatTime } from '../lib/format.js';
import { trpc } from '../lib/trpc.js';

/** Segments: saved groups of people (SQL over the warehouse), with their latest count. */
export function SegmentsPage() {
  const [segments, { refetch }] = createResource(() => trpc.segments.list.query());
  return (
    <section class="page" aria-labelledby="segments-title">
      <header class="page-head">
        <h1 id="segments-title">Segments</h1>
        <p class="hint">Groups of people for reminders and journeys, counted in the warehouse.</p>
        <A class="button" href="/segments/new">
          New segment
        </A>
      </header>
      <ListState resource={segments} what="segments" empty="No segments yet." retry={refetch}>
        {(list) => (
          <div class="table-wrap">
            <table>
              <caption>Segments</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">People</th>
                  <th scope="col">Counted</th>
                  <th scope="col">Made with</th>
                </tr>
              </thead>
              <tbody>
                <For each={list()}>
                  {(s) => (
                    <tr>
                      <td>
                        <A href={`/segments/${s.id}`}>{s.name}</A>
                      </td>
                      <td class="num">{s.latestCount?.count.toLocaleString() ?? '—'}</td>
                      <td>{s.latestCount ? formatTime(s.latestCount.countedAt) : '—'}</td>
                      <td>{s.builder ? 'Builder' : 'SQL'}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        )}
      </ListState>
    </section>
  );
}
