import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crossFolderImports, forbiddenEdges, scanRepository } from './import-boundaries.js';

const root = join(import.meta.dirname, '..', '..');

describe('import boundaries (DESIGN.md, "Where things live")', () => {
  it('no folder imports one it may not', () => {
    const forbidden = forbiddenEdges(scanRepository(root)).map(
      (e) => `${e.file}:${e.line} (${e.from} -> ${e.to}) imports ${e.specifier}`,
    );
    expect(forbidden).toEqual([]);
  });

  it.each([
    ['core/x.ts', "import { a } from '../ingest/y.js';", 'core -> ingest'],
    ['ingest/x.ts', "import { a } from '../engine/y.js';", 'ingest -> engine'],
    ['warehouse/x.ts', "export { a } from '../api/y.js';", 'warehouse -> api'],
    ['warehouse/x.ts', "const m = await import('../engine/y.js');", 'warehouse -> engine'],
    ['engine/x.ts', "import type { A } from '../api/y.js';", 'engine -> api'],
    ['dashboard/src/x.ts', "import { appRouter } from '../../api/trpc/router.js';", 'dashboard -> api'],
  ])('catches a forbidden edge: %s %s', (file, source, edge) => {
    const edges = crossFolderImports(root, join(root, file), source);
    expect(forbiddenEdges(edges).map((e) => `${e.from} -> ${e.to}`)).toEqual([edge]);
  });

  it.each([
    ['api/x.ts', "import { a } from '../engine/y.js';"],
    ['engine/x.ts', "import { a } from '../warehouse/y.js';"],
    ['dashboard/src/x.ts', "import type { AppRouter } from '../../api/trpc/router.js';"],
    ['dashboard/src/x.ts', "import { contactSchema } from '../../api/rest/contact.schema.js';"],
  ])('allows a permitted edge: %s %s', (file, source) => {
    expect(forbiddenEdges(crossFolderImports(root, join(root, file), source))).toEqual([]);
  });
});
