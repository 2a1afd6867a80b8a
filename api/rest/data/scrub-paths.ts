import { createHash } from 'node:crypto';
import type { PathRule, ScrubRule } from '../data-export.schema.js';
import { compileLinearRegex, replaceAllLinear } from './linear-regex.js';

type Scrubber = (text: string) => string;

function scrubberOf(rule: PathRule | ScrubRule): Scrubber {
  if (('type' in rule && rule.type === 'hash') || ('action' in rule && rule.action === 'hash')) {
    return (text) => createHash('sha256').update(text).digest('hex');
  }
  const [pattern, replacement] =
    'type' in rule && rule.type === 'regex'
      ? [rule.search, rule.replace]
      : 'action' in rule && rule.action === 'replace'
        ? [rule.pattern, rule.replacement]
        : ['', ''];
  const compiled = compileLinearRegex(pattern);
  // Patterns were checked when the cursor was opened; one that no longer compiles scrubs all.
  if (!compiled.ok) return () => '';
  return (text) => replaceAllLinear(compiled.regex, text, replacement);
}

const textOf = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * Applies Turn.io-style rules by dotted JSON path: each step goes into an object's key, and
 * through every item of an array on the way (`messages.text.body` reaches the body of each
 * message of a webhook value). Missing or null values are left as they are. Mutates the item.
 */
export function pathScrubber(rules: Record<string, PathRule>): (item: Record<string, unknown>) => void {
  // Compiled once per page, not once per row.
  const compiled = Object.entries(rules).map(([path, rule]) => [path.split('.'), scrubberOf(rule)] as const);
  return (item) => {
    for (const [steps, scrub] of compiled) visit(item, steps, scrub);
  };
}

function visit(node: unknown, steps: readonly string[], scrub: Scrubber): void {
  if (Array.isArray(node)) {
    for (const child of node) visit(child, steps, scrub);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  const [step, ...rest] = steps;
  if (step === undefined || !(step in record)) return;
  if (rest.length > 0) return visit(record[step], rest, scrub);
  const value = record[step];
  if (value === null || value === undefined) return;
  record[step] = Array.isArray(value) ? value.map((v) => (v == null ? v : scrub(textOf(v)))) : scrub(textOf(value));
}

/** Parley's rules by column of a flat warehouse row (format `rows`). Mutates the row. */
export function columnScrubber(rules: readonly ScrubRule[]): (row: Record<string, unknown>) => void {
  const compiled = rules.map((rule) => [rule.field, scrubberOf(rule)] as const);
  return (row) => {
    for (const [field, scrub] of compiled) {
      const value = row[field];
      if (value !== null && value !== undefined) row[field] = scrub(textOf(value));
    }
  };
}

/** The rules of one side whose path starts with `prefix.`, with the prefix taken off. */
export function rulesUnder(rules: Record<string, PathRule> | undefined, prefix: string): Record<string, PathRule> {
  const out: Record<string, PathRule> = {};
  for (const [path, rule] of Object.entries(rules ?? {})) {
    if (path.startsWith(`${prefix}.`)) out[path.slice(prefix.length + 1)] = rule;
  }
  return out;
}
