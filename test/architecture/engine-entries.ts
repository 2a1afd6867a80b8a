import { type ImportEdge, isSchemaFile } from './import-boundaries.js';

/**
 * DESIGN.md ("Engines"): each folder of engine/ has one entry file, `index.ts`, that is its
 * API boundary. Code outside an engine (api/, another engine, bench/...) imports it only
 * through that file, so an engine can move or split its inner files without touching callers.
 * Two exceptions keep the shared schemas usable where the entry file cannot go: the dashboard
 * imports an engine's `*.schema.ts` directly (the entry file would pull server code into the
 * browser bundle), and one schema file may import another (schemas import only zod and each
 * other). Tests may reach inner files: they test what the entry file hides.
 */
export function entryViolations(edges: readonly ImportEdge[]): ImportEdge[] {
  return edges.filter((edge) => {
    const engine = engineOf(edge.target);
    if (engine === undefined || engineOf(edge.file) === engine) return false;
    if (isTestFile(edge.file)) return false;
    if (isEntryFile(edge.target)) return false;
    if (isSchemaFile(edge.target) && (edge.from === 'dashboard' || isSchemaFile(edge.file))) return false;
    return true;
  });
}

/** The engine folder a path lies in (`engine/people/imports/x.js` is in `people`). */
export function engineOf(path: string): string | undefined {
  const parts = path.split('/');
  return parts[0] === 'engine' && parts.length > 2 ? parts[1] : undefined;
}

/** `engine/<name>/index.ts`, imported as `index.js`. */
export function isEntryFile(path: string): boolean {
  return /^engine\/[^/]+\/index\.(js|ts)$/.test(path);
}

function isTestFile(path: string): boolean {
  return path.startsWith('test/') || /\.test\.tsx?$/.test(path);
}
