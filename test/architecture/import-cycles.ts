import { dirname } from 'node:path';
import { isEntryFile } from './engine-entries.js';
import type { ImportEdge } from './import-boundaries.js';

/**
 * Folders that import each other, directly or around a longer loop (engine/people/imports
 * importing engine/people while engine/people imports it back). Such folders are one module
 * in disguise: neither can be understood, moved or tested without the other. An engine's
 * entry file stands above its folder (it re-exports the sub-folders), so it is a node of
 * its own. Type-only imports count: the loop is in the design even when erased at run time.
 */
export function folderCycles(edges: readonly ImportEdge[]): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const edge of edges) {
    if (isTest(edge.file)) continue;
    const from = folderNode(edge.file);
    const to = folderNode(edge.target);
    if (from !== to) link(graph, from, to);
  }
  return stronglyConnected(graph);
}

/**
 * Files that import each other at run time. ES modules allow such loops, but a module then
 * runs before the one it imports has finished, and a `const` read too early throws.
 */
export function fileCycles(edges: readonly ImportEdge[]): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const edge of edges) {
    if (edge.typeOnly || isTest(edge.file)) continue;
    link(graph, withoutExtension(edge.file), withoutExtension(edge.target));
  }
  return stronglyConnected(graph);
}

function folderNode(path: string): string {
  return isEntryFile(path) ? withoutExtension(path) : dirname(path);
}

function withoutExtension(path: string): string {
  return path.replace(/\.(js|ts|tsx|mts|jsx)$/, '');
}

function isTest(path: string): boolean {
  return path.startsWith('test/') || /\.test\.tsx?$/.test(path);
}

function link(graph: Map<string, Set<string>>, from: string, to: string): void {
  if (!graph.has(from)) graph.set(from, new Set());
  if (!graph.has(to)) graph.set(to, new Set());
  graph.get(from)!.add(to);
}

/** Tarjan's algorithm: the groups of two or more nodes that all reach each other, sorted. */
function stronglyConnected(graph: Map<string, Set<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return groups.sort((a, b) => a[0]!.localeCompare(b[0]!));
}
