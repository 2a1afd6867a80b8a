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
  /** The importing file, relative to the repository root with `/` separators. */
  file: string;
  line: number;
  from: string;
  to: string;
  specifier: string;
  /** The imported file, relative to the root, as written (`engine/people/index.js`). */
  target: string;
  typeOnly: boolean;
}

const importPattern =
  /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

const posix = (path: string) => path.split(sep).join('/');

/** Every relative import in `file`, whichever folder it points into. */
export function relativeImports(root: string, file: string, source: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const from = posix(relative(root, file));
  for (const match of source.matchAll(importPattern)) {
    const specifier = match[3] ?? match[4];
    if (!specifier?.startsWith('.')) continue;
    const target = posix(relative(root, resolve(dirname(file), specifier)));
    const line = source.slice(0, match.index).split('\n').length + (match[0].startsWith('\n') ? 1 : 0);
    edges.push({
      file: from,
      line,
      from: from.split('/')[0]!,
      to: target.split('/')[0]!,
      specifier,
      target,
      typeOnly: Boolean(match[2]),
    });
  }
  return edges;
}

/** Every relative import in `file` that crosses into another top-level folder. */
export function crossFolderImports(root: string, file: string, source: string): ImportEdge[] {
  return relativeImports(root, file, source).filter((edge) => edge.from !== edge.to);
}

/** Edges that break the rules. The dashboard may import types from api and *.schema.ts files. */
export function forbiddenEdges(edges: ImportEdge[]): ImportEdge[] {
  return edges.filter((edge) => {
    if (edge.from === edge.to) return false;
    if (!(edge.from in allowedImports)) return false;
    if (edge.file.endsWith('.test.ts')) return false;
    if (edge.from === 'dashboard') {
      if (edge.to === 'api' && edge.typeOnly) return false;
      if (isSchemaFile(edge.target)) return false;
      return true;
    }
    return !allowedImports[edge.from]!.includes(edge.to);
  });
}

/** Shared zod schemas (`*.schema.ts`), which import nothing but zod and each other. */
export function isSchemaFile(path: string): boolean {
  return /\.schema\.(js|ts)$/.test(path);
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

/** Every relative import of every source file under `folders` (default: the owned folders). */
export function scanRepository(
  root: string,
  folders: readonly string[] = Object.keys(allowedImports),
): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const folder of folders) {
    let files: string[] = [];
    try {
      files = sourceFiles(join(root, folder));
    } catch {
      continue;
    }
    for (const file of files) edges.push(...relativeImports(root, file, readFileSync(file, 'utf8')));
  }
  return edges;
}
