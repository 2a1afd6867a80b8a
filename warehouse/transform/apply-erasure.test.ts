import { afterEach, expect, it } from 'vitest';
import { scrubIdempotencyKey, scrubPayload } from '../../core/log/erasure/scrub-payload.js';
import { tableChecksums } from '../duckdb/checksums.js';
import type { LogRow } from '../testing/copy-csv.js';
import { memoryWarehouse } from '../testing/memory-warehouse.js';
import { event, queued, received } from './transform-cases.js';
import { erasureHistory } from './transform-cases-erasure.js';

const open: Awaited<ReturnType<typeof memoryWarehouse>>[] = [];
afterEach(async () => {
  for (const warehouse of open.splice(0)) await warehouse.close();
});

async function checksumsOf(batches: LogRow[][]) {
  const warehouse = await memoryWarehouse();
  open.push(warehouse);
  for (const batch of batches) await warehouse.apply(batch);
  return tableChecksums(warehouse.connection);
}

/** The log as core/log/erase-contact.ts leaves it: the person's payloads scrubbed. */
const scrubbed = (rows: LogRow[], contactId: number) =>
  rows.map((row) =>
    row.contact_id === contactId
      ? {
          ...row,
          payload: scrubPayload(row.type, 1, row.payload),
          idempotency_key: scrubIdempotencyKey(String(row.id), row.idempotency_key ?? null),
        }
      : row,
  );

it('a mirror that saw the data before the erasure equals a rebuild from the scrubbed log', async () => {
  // Another person (8) keeps everything.
  const other = [
    event(
      'contact.created',
      0,
      { wa_id: '254700000008', name: 'Ann', channel: 'whatsapp' },
      { contact_id: 8 },
    ),
    { ...received(3, 30, { text: 'not erased' }), contact_id: 8 },
    { ...queued(4, 31), contact_id: 8 },
  ];
  // Ingest's keys: one holds the number, one only a wamid.
  const keys = ['contact:254700000007', null, null, 'msg:wamid.in10'];
  const before = [...erasureHistory, ...other].map((e, i) => ({
    ...e,
    id: i + 1,
    idempotency_key: keys[i] ?? null,
  }));
  const erasure = { ...event('contact.erased', 20, { by: 'user:1' }), id: before.length + 1 };
  const after = [{ ...received(21, 16, { text: 'new person, same id' }), id: before.length + 2 }];

  const sawTheData = await checksumsOf([before, [erasure, ...after]]);
  const rebuilt = await checksumsOf([[...scrubbed(before, 7), erasure, ...after]]);
  expect(rebuilt).toEqual(sawTheData);
  const oneByOne = await checksumsOf([...scrubbed(before, 7), erasure, ...after].map((e) => [e]));
  expect(oneByOne).toEqual(sawTheData);
  // The scrubbed log differs from the original: the test would fail if the blanking missed a column.
  const placeholder = { ...event('other.thing', 20, {}, { contact_id: 99 }), id: erasure.id };
  const unerased = await checksumsOf([before, [placeholder, ...after]]);
  expect(unerased.filter((t, i) => t.checksum !== sawTheData[i]!.checksum).map((t) => t.table)).toEqual([
    'messages',
    'message_statuses',
    'contacts',
    'contact_changes',
    'events_raw',
  ]);
});
