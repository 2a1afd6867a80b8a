import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The folder ownership of DESIGN.md ("Where things live") as data: which top-level folders
 * each folder may import at run time. test/ and bench/ may import anything.
 */
export const allowedImports: Record<string, readonly string[]> = {
  core: [],
  ingest: ['core'],
  engine: ['core', 'warehouse'],
  warehouse: ['core'],
  api: ['core', 'ingest', 'engine', 'warehouse'],
  dashboard: [],
};

export interface ImportEdge {
  file: string;
  line: number;
  from: string;
  to: string;
  specifier: string;
  typeOnly: boolean;
}

const importPattern =
  /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every relative import in `file` that crosses into another top-level folder. */
export function crossFolderImports(root: string, file: string, source: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const fromFolder = relative(root, file).split(sep)[0]!;
  for (const match of source.matchAll(importPattern)) {
    const specifier = match[3] ?? match[4];
    if (!specifier || !specifier.startsWith('.')) continue;
    const target = resolve(dirname(file), specifier);
    const toFolder = relative(root, target).split(sep)[0]!;
    if (toFolder === fromFolder) continue;
    const line = source.slice(0, match.index).split('\n').length + (match[0].startsWith('\n') ? 1 : 0);
    edges.push({
      file: relative(root, file),
      line,
      from: fromFolder,
      to: toFolder,
      specifier,
      typeOnly: Boolean(match[2]),
    });
  }
  return edges;
}

/** Edges that break the rules. The dashboard may import types from api and *.schema.ts files. */
export function forbiddenEdges(edges: ImportEdge[]): ImportEdge[] {
  return edges.filter((edge) => {
    if (!(edge.from in allowedImports)) return false;
    if (edge.file.endsWith('.test.ts')) return false;
    if (edge.from === 'dashboard') {
      if (edge.to === 'api' && edge.typeOnly) return false;
      if (edge.specifier.endsWith('.schema.js') || edge.specifier.endsWith('.schema.ts')) return false;
      return true;
    }
    return !allowedImports[edge.from]!.includes(edge.to);
  });
}

export function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (/\.(ts|tsx|mts)$/.test(name) && !name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

export function scanRepository(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const folder of Object.keys(allowedImports)) {
    let files: string[] = [];
    try {
      files = sourceFiles(join(root, folder));
    } catch {
      continue;
    }
    for (const file of files) edges.push(...crossFolderImports(root, file, readFileSync(file, 'utf8')));
  }
  return edges;
}
