// `npm run bench -- segments [people] [messages] [runs]`: five typical segments counted through
// the SQL sandbox over a warehouse of 1M people and 20M messages. Target: p50 < 300 ms each.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Builder, Condition } from '../engine/segments/index.js';
import { type CustomFieldType, compileBuilder, countSegment } from '../engine/segments/index.js';
import { ReaderPool } from '../warehouse/duckdb/reader-pool.js';
import { createWarehouseSchema } from '../warehouse/duckdb/warehouse-schema.js';
import { runSandboxed } from '../warehouse/sandbox/run-sandboxed.js';
import { fillSegmentsWarehouse } from './_segments-warehouse.js';
import { percentile, printTable } from './_support.js';

const fields = new Map<string, CustomFieldType>([
  ['district', 'choice'],
  ['age', 'number'],
  ['consent', 'boolean'],
]);
const one = (condition: Condition): Builder => ({ kind: 'group', op: 'and', conditions: [condition] });
const segments: [string, Builder][] = [
  ['field equality (district = d3)', one({ kind: 'field', key: 'district', op: 'eq', value: 'd3' })],
  ['label (has vip)', one({ kind: 'label', op: 'has', label: 'vip' })],
  ['active in the last 7 days', one({ kind: 'last_message', period: { type: 'last_days', days: 7 } })],
  ['replied to reminder r3', one({ kind: 'replied_to_reminder', reminderId: 'r3' })],
  [
    'completed journey 1 but not 2',
    {
      kind: 'group',
      op: 'and',
      conditions: [
        { kind: 'journey', event: 'completed', journeyId: '1' },
        { kind: 'not', condition: { kind: 'journey', event: 'completed', journeyId: '2' } },
      ],
    },
  ],
];

export default async function segmentsBench(args: string[]) {
  const people = Number(args[0] ?? 1_000_000);
  const messages = Number(args[1] ?? 20_000_000);
  const runs = Number(args[2] ?? 21);
  const dir = await mkdtemp(join(tmpdir(), 'parley-bench-segments-'));
  const path = join(dir, 'warehouse.duckdb');
  try {
    let started = performance.now();
    const instance = await DuckDBInstance.create(path);
    const db = await instance.connect();
    await createWarehouseSchema(db);
    await fillSegmentsWarehouse(db, { people, messages, now: new Date() });
    await db.run('CHECKPOINT');
    const sizes = (
      await db.runAndReadAll(
        `SELECT (SELECT count(*) FROM contacts), (SELECT count(*) FROM messages), (SELECT count(*) FROM journey_events)`,
      )
    ).getRows()[0]!;
    db.closeSync();
    instance.closeSync();
    const generated = (performance.now() - started) / 1000;

    const readers = new ReaderPool(
      () => path,
      () => 0,
      { maxAgeMs: 3_600_000, memoryLimit: '4GB' },
    );
    const warehouse = {
      sandbox: (sql: string, options: Parameters<typeof runSandboxed>[2]) =>
        runSandboxed(readers, sql, options),
      canReadPii: true,
      status: async () => {
        throw new Error('not used');
      },
    };
    const rows: [string, string][] = [
      [
        'warehouse',
        `${sizes[0]} people, ${sizes[1]} messages, ${sizes[2]} journey events (built in ${generated.toFixed(1)} s)`,
      ],
      ['runs per segment', `${runs} (after one warm-up)`],
    ];
    for (const [name, builder] of segments) {
      const { sql } = compileBuilder(builder, fields);
      // The first run reads the file's blocks from disk: a warm-up with a generous timeout.
      const first = await countSegment(warehouse, sql, 120_000);
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        started = performance.now();
        await countSegment(warehouse, sql, 60_000);
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      const p50 = percentile(times, 0.5);
      rows.push([
        name,
        `count ${first.count}: p50 ${p50.toFixed(0)} ms, p95 ${percentile(times, 0.95).toFixed(0)} ms ${p50 < 300 ? '(target < 300 ms: met)' : '(target < 300 ms: MISSED)'}`,
      ]);
    }
    await readers.closeAll();
    printTable('segments: counts through the SQL sandbox', rows);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
