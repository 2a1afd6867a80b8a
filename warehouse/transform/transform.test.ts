import { afterEach, describe, expect, it } from 'vitest';
import { tableChecksums } from '../duckdb/checksums.js';
import type { LogRow } from '../testing/copy-csv.js';
import { memoryWarehouse } from '../testing/memory-warehouse.js';
import { chargeCases } from './transform-cases-charges.js';
import { contactCases } from './transform-cases-contacts.js';
import { erasureCases } from './transform-cases-erasure.js';
import { identityCases } from './transform-cases-identities.js';
import { journeyCases } from './transform-cases-journeys.js';
import { messageCases } from './transform-cases-messages.js';
import { templateCases } from './transform-cases-templates.js';

const transformCases = [
  ...messageCases,
  ...contactCases,
  ...identityCases,
  ...journeyCases,
  ...chargeCases,
  ...templateCases,
  ...erasureCases,
];

/**
 * Table-driven tests of the transform: each case appends fixture events (one per event type
 * and edge) and states the exact rows expected. Every case is also replayed one event per
 * batch, which must give identical tables (checksums): batch boundaries never matter.
 */
const open: Awaited<ReturnType<typeof memoryWarehouse>>[] = [];
afterEach(async () => {
  for (const warehouse of open.splice(0)) await warehouse.close();
});

async function warehouseWith(batches: LogRow[][]) {
  const warehouse = await memoryWarehouse();
  open.push(warehouse);
  for (const batch of batches) if (batch.length > 0) await warehouse.apply(batch);
  return warehouse;
}

describe('transform', () => {
  for (const testCase of transformCases) {
    it(testCase.name, async () => {
      // Event ids 1, 2, 3... within each case, as the expectations state them.
      const events = testCase.events.map((e, i) => ({ ...e, id: i + 1 }));
      const warehouse = await warehouseWith([events]);
      for (const expectation of testCase.expect) {
        expect(await warehouse.rows(expectation.sql), expectation.sql).toEqual(expectation.rows);
      }
      const oneByOne = await warehouseWith(events.map((event) => [event]));
      expect(await tableChecksums(oneByOne.connection)).toEqual(await tableChecksums(warehouse.connection));
    });
  }

  it('never fails on payloads of the wrong shape, and keeps them in events_raw', async () => {
    const odd = [
      'message.received',
      'message.queued',
      'message.sent',
      'message.status',
      'message.marked_read',
      'contact.created',
      'contact.updated',
    ];
    const events: LogRow[] = odd.flatMap((type, i) => [
      {
        id: 2 * i + 1,
        type,
        occurred_at: '2026-11-25T10:00:00Z',
        contact_id: 1,
        payload: { message_id: 'x', changes: [1], status: 5 },
      },
      { id: 2 * i + 2, type, occurred_at: '2026-11-25T10:00:00Z', contact_id: 1, payload: '"just a string"' },
    ]);
    const warehouse = await warehouseWith([events]);
    const counts = await warehouse.rows(`SELECT
      (SELECT count(*) FROM events_raw) AS raw, (SELECT count(*) FROM messages) AS messages,
      (SELECT count(*) FROM message_statuses) AS statuses, (SELECT count(*) FROM contact_changes) AS changes,
      (SELECT count(*) FROM contacts) AS contacts`);
    // A status of 5 is read as the text '5'; contact.created without a wa_id still creates the
    // contact (its id is in the envelope), once; everything else is skipped.
    expect(counts).toEqual([{ raw: '14', messages: '0', statuses: '1', changes: '0', contacts: '1' }]);
  });
});
