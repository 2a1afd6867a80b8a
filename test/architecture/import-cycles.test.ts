import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ImportEdge, relativeImports, scanRepository } from './import-boundaries.js';
import { fileCycles, folderCycles } from './import-cycles.js';

const root = join(import.meta.dirname, '..', '..');
const owned = ['core', 'ingest', 'engine', 'warehouse', 'api', 'dashboard', 'bench'];

/** Synthetic files, each `[path, source]`, turned into their import edges. */
const edgesOf = (files: [string, string][]): ImportEdge[] =>
  files.flatMap(([file, source]) => relativeImports(root, join(root, file), source));

describe('import cycles', () => {
  it('no two files import each other at run time, directly or around a loop', () => {
    expect(fileCycles(scanRepository(root, owned))).toEqual([]);
  });

  // api/ and warehouse/ still have sub-folders that import each other (their README says
  // which); engine/, core/, ingest/ and the dashboard have none and must keep it so.
  it.each(['engine', 'core', 'ingest', 'dashboard'])('no sub-folders of %s/ import each other', (folder) => {
    expect(folderCycles(scanRepository(root, [folder]))).toEqual([]);
  });

  it.each([
    [
      'a sub-folder and its parent',
      [
        ['engine/people/x.ts', "import { a } from './imports/y.js';"],
        ['engine/people/imports/y.ts', "import { b } from '../z.js';"],
      ],
      [['engine/people', 'engine/people/imports']],
    ],
    [
      'three folders around a loop, through a type-only import',
      [
        ['api/rest/x.ts', "import { a } from '../trpc/y.js';"],
        ['api/trpc/y.ts', "import type { B } from '../auth/z.js';"],
        ['api/auth/z.ts', "import { c } from '../rest/w.js';"],
      ],
      [['api/auth', 'api/rest', 'api/trpc']],
    ],
    [
      'two engines importing each other through their entry files',
      [
        ['engine/a/x.ts', "import { b } from '../b/index.js';"],
        ['engine/b/index.ts', "export { y } from './y.js';"],
        ['engine/b/y.ts', "import { a } from '../a/index.js';"],
        ['engine/a/index.ts', "export { x } from './x.js';"],
      ],
      [['engine/a', 'engine/a/index', 'engine/b', 'engine/b/index']],
    ],
  ])('reports folders that import each other: %s', (_name, files, cycles) => {
    expect(folderCycles(edgesOf(files as [string, string][]))).toEqual(cycles);
  });

  it.each([
    [
      'an entry file re-exporting its sub-folder, which imports the rest of the engine',
      [
        ['engine/people/index.ts', "export { a } from './imports/y.js';"],
        ['engine/people/imports/y.ts', "import { b } from '../z.js';"],
      ],
    ],
    [
      'a test importing back',
      [
        ['engine/people/z.ts', "import { y } from './imports/y.js';"],
        ['engine/people/imports/y.test.ts', "import { z } from '../z.js';"],
      ],
    ],
  ])('does not report: %s', (_name, files) => {
    expect(folderCycles(edgesOf(files as [string, string][]))).toEqual([]);
  });

  it.each([
    [
      'two files',
      [
        ['core/a.ts', "import { b } from './b.js';"],
        ['core/b.ts', "import { a } from './a.js';"],
      ],
      [['core/a', 'core/b']],
    ],
    [
      'three files',
      [
        ['core/a.ts', "import { b } from './b.js';"],
        ['core/b.ts', "export { c } from './c.js';"],
        ['core/c.ts', "import { a } from './a.js';"],
      ],
      [['core/a', 'core/b', 'core/c']],
    ],
    [
      'nothing when one import is type-only',
      [
        ['core/a.ts', "import { b } from './b.js';"],
        ['core/b.ts', "import type { A } from './a.js';"],
      ],
      [],
    ],
  ])('reports files that import each other at run time: %s', (_name, files, cycles) => {
    expect(fileCycles(edgesOf(files as [string, string][]))).toEqual(cycles);
  });
});
