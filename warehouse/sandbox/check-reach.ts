import { positionAt, SqlError } from './sql-error.js';

/** Table functions user SQL may call: generators only (files are refused by DuckDB itself). */
const allowedTableFunctions = new Set(['range', 'generate_series', 'unnest']);

/**
 * Scalar functions whose result size is set by an argument. DuckDB allocates the strings and
 * lists they build outside its memory limit, and a running scalar function does not see an
 * interrupt (measured: `sum(length(repeat('x', 100000000 + range))) FROM range(100)` reached
 * 10 GB and ran 83 s after the interrupt), so their sizes must be known before the query runs.
 */
const sizedFunctions = new Set([
  'repeat',
  'lpad',
  'rpad',
  'printf',
  'format',
  'bar',
  'range',
  'generate_series',
  'list_resize',
  'array_resize',
]);
/** The largest size (characters or list items) such a function may build. */
export const maxBuiltSize = 100_000;

type Node = Record<string, unknown>;

/**
 * Checks the parsed statement (json_serialize_sql's tree) before it runs:
 * - every table is named without a schema or catalogue, so a query can only reach the views of
 *   the catalogue it was given (masked-catalogue.ts), never the attached warehouse (functions
 *   may be qualified: DuckDB's parser qualifies some itself, and none of them reads a table);
 * - table functions are the generators only (no `query()`, `duckdb_*()`, `read_*()`);
 * - no recursive CTE (one that doubles a string each round outgrows any memory limit);
 * - size-building functions take constant sizes of at most `maxBuiltSize`.
 */
export function checkReach(sql: string, statement: unknown): void {
  walk(sql, statement, false);
}

function walk(sql: string, value: unknown, tableFunction: boolean): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(sql, item, false);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const node = value as Node;
  const refuse = (message: string): never => {
    const at = typeof node.query_location === 'number' && node.query_location < sql.length;
    throw new SqlError(message, at ? positionAt(sql, node.query_location as number) : null);
  };
  if (nonEmpty(node.catalog_name) || nonEmpty(node.schema_name)) {
    refuse(
      `name tables without a schema or catalogue (${String(node.table_name ?? '')}): only the warehouse tables can be read`,
    );
  }
  if (node.type === 'RECURSIVE_CTE_NODE')
    refuse('recursive CTEs (WITH RECURSIVE) are not allowed in the SQL sandbox');
  if (node.type === 'TABLE_FUNCTION') {
    const fn = node.function as Node | undefined;
    const name = String(fn?.function_name ?? '').toLowerCase();
    if (!allowedTableFunctions.has(name))
      refuse(`the table function ${name}() is not allowed in the SQL sandbox`);
    for (const [key, child] of Object.entries(node)) walk(sql, child, key === 'function');
    return;
  }
  if (node.class === 'FUNCTION' && !tableFunction) checkSize(node, refuse);
  for (const child of Object.values(node)) walk(sql, child, false);
}

function checkSize(node: Node, refuse: (message: string) => never) {
  const name = String(node.function_name ?? '').toLowerCase();
  if (!sizedFunctions.has(name)) return;
  const args = Array.isArray(node.children) ? (node.children as Node[]) : [];
  const tooBig = `${name}() may build at most ${maxBuiltSize.toLocaleString('en')} characters or items in the SQL sandbox, with constant sizes`;
  if (name === 'printf' || name === 'format') {
    const pattern = constantValue(args[0]);
    if (typeof pattern !== 'string') refuse(tooBig);
    const widths = [...String(pattern).matchAll(/(\d+)/g)].map((m) => Number(m[1]));
    if (widths.some((w) => w > maxBuiltSize)) refuse(tooBig);
    return;
  }
  // The sizes: every argument but the text or list being padded or repeated (all for range).
  const sizes = name === 'range' || name === 'generate_series' ? args : args.slice(1);
  const values = sizes.map(constantValue);
  if (values.some((v) => typeof v !== 'number' && typeof v !== 'string')) refuse(tooBig);
  const numbers = values
    .filter((v) => typeof v === 'number' || /^-?\d+(\.\d+)?$/.test(String(v)))
    .map(Number);
  if (name === 'range' || name === 'generate_series') {
    const [a = 0, b = 0] = numbers.length === 1 ? [0, numbers[0]] : numbers;
    if (Math.abs(b - a) > maxBuiltSize) refuse(tooBig);
  } else if (numbers.some((n) => Math.abs(n) > maxBuiltSize)) refuse(tooBig);
  if (name === 'repeat' || name === 'lpad' || name === 'rpad') {
    const text = constantValue(args[0]);
    if (typeof text !== 'string') refuse(`${name}() takes a constant text in the SQL sandbox`);
  }
}

function constantValue(node: Node | undefined): unknown {
  if (node?.class !== 'CONSTANT') return undefined;
  const value = node.value as { is_null?: boolean; value?: unknown } | undefined;
  return value?.is_null ? undefined : value?.value;
}

function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' && value !== '';
}
