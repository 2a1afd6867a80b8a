import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryViolations } from './engine-entries.js';
import { relativeImports, scanRepository } from './import-boundaries.js';

const root = join(import.meta.dirname, '..', '..');
const report = (file: string, source: string) =>
  entryViolations(relativeImports(root, join(root, file), source)).map((e) => `${e.file} -> ${e.target}`);

describe('engines are called through their entry file (DESIGN.md, "Engines")', () => {
  it('no file outside an engine imports one of its inner files', () => {
    const edges = scanRepository(root, [
      'core',
      'ingest',
      'engine',
      'warehouse',
      'api',
      'dashboard',
      'bench',
    ]);
    expect(entryViolations(edges).map((e) => `${e.file}:${e.line} imports ${e.specifier}`)).toEqual([]);
  });

  it.each([
    [
      'api/rest/x.ts',
      "import { listPeople } from '../../engine/people/list-people.js';",
      'engine/people/list-people.js',
    ],
    [
      'api/x.ts',
      "import type { Segment } from '../engine/segments/segments-store.js';",
      'engine/segments/segments-store.js',
    ],
    ['api/x.ts', "export { a } from '../engine/people/imports/index.js';", 'engine/people/imports/index.js'],
    ['api/x.ts', "const m = await import('../engine/billing/money.js');", 'engine/billing/money.js'],
    ['engine/reminders/x.ts', "import { phoneOf } from '../people/phone.js';", 'engine/people/phone.js'],
    [
      'bench/x.ts',
      "import { compileBuilder } from '../engine/segments/compile-builder.js';",
      'engine/segments/compile-builder.js',
    ],
    [
      'api/x.schema.ts',
      "import { a } from '../engine/billing/rate-card-csv.js';",
      'engine/billing/rate-card-csv.js',
    ],
    [
      'api/x.ts',
      "import { builderSchema } from '../engine/segments/segment-builder.schema.js';",
      'engine/segments/segment-builder.schema.js',
    ],
    [
      'api/x.ts',
      "import { a } from '../engine/segments/testing/segment-population.js';",
      'engine/segments/testing/segment-population.js',
    ],
  ])('reports a forbidden import: %s %s', (file, source, target) => {
    expect(report(file, source)).toEqual([`${file} -> ${target}`]);
  });

  it.each([
    ['api/x.ts', "import { listPeople } from '../engine/people/index.js';"],
    ['engine/reminders/x.ts', "import { billingBalance } from '../billing/index.js';"],
    ['engine/people/x.ts', "import { phoneOf } from './phone.js';"],
    ['engine/people/imports/x.ts', "import { phoneOf } from '../phone.js';"],
    [
      'dashboard/src/x.ts',
      "import { builderSchema } from '../../engine/segments/segment-builder.schema.js';",
    ],
    ['api/x.schema.ts', "import { reminderInputSchema } from '../engine/reminders/reminder.schema.js';"],
    ['api/x.test.ts', "import { phoneOf } from '../engine/people/phone.js';"],
    ['test/e2e/x.ts', "import { a } from '../../engine/segments/testing/segment-population.js';"],
    ['api/x.ts', "import { a } from '../warehouse/duckdb/mirror.js';"],
  ])('allows: %s %s', (file, source) => {
    expect(report(file, source)).toEqual([]);
  });
});
