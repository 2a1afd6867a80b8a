import type { JsonSchema } from './to-json-schema.js';

/**
 * A small JSON Schema 2020-12 checker for the keywords our document uses, for the tests
 * that walk the OpenAPI document, written here rather than adding a dependency for tests. Two parts: `schemaProblems`
 * checks that a schema is well-formed (every keyword known, of the right JSON type), and
 * `valueProblems` checks a value against it. Unknown keywords are problems, so nothing
 * passes by being ignored.
 */

const annotations = new Set([
  'description',
  'examples',
  'default',
  'title',
  'format',
  '$schema',
  'deprecated',
  'readOnly',
  'writeOnly',
]);
const keywordTypes: Record<string, (v: unknown) => boolean> = {
  type: (v) => isTypeName(v) || (Array.isArray(v) && v.length > 0 && v.every(isTypeName)),
  properties: (v) => isObject(v),
  required: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'),
  additionalProperties: (v) => typeof v === 'boolean' || isObject(v),
  propertyNames: isObject,
  items: (v) => isObject(v) || typeof v === 'boolean',
  prefixItems: Array.isArray,
  enum: Array.isArray,
  const: () => true,
  oneOf: (v) => Array.isArray(v) && v.length > 0,
  anyOf: (v) => Array.isArray(v) && v.length > 0,
  allOf: (v) => Array.isArray(v) && v.length > 0,
  not: isObject,
  $ref: (v) => typeof v === 'string',
  $defs: isObject,
  $id: (v) => typeof v === 'string',
  minLength: isCount,
  maxLength: isCount,
  minItems: isCount,
  maxItems: isCount,
  minProperties: isCount,
  maxProperties: isCount,
  pattern: (v) => typeof v === 'string' && compiles(v),
  minimum: isNumber,
  maximum: isNumber,
  exclusiveMinimum: isNumber,
  exclusiveMaximum: isNumber,
  multipleOf: (v) => isNumber(v) && v > 0,
  uniqueItems: (v) => typeof v === 'boolean',
};
const subschemaMaps = ['properties', '$defs'];
const subschemaLists = ['oneOf', 'anyOf', 'allOf', 'prefixItems'];
const subschemaSingles = ['items', 'additionalProperties', 'propertyNames', 'not'];

/** Problems with the schema itself, with JSON-pointer-like paths; `resolve` follows $refs. */
export function schemaProblems(schema: unknown, path: string, resolve: (ref: string) => unknown): string[] {
  if (typeof schema === 'boolean') return [];
  if (!isObject(schema)) return [`${path}: a schema must be an object or a boolean`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-') || annotations.has(key)) continue;
    const check = keywordTypes[key];
    if (!check) problems.push(`${path}: unknown keyword ${key}`);
    else if (!check(value)) problems.push(`${path}: invalid ${key} ${JSON.stringify(value)}`);
  }
  if (typeof schema.$ref === 'string' && resolve(schema.$ref) === undefined)
    problems.push(`${path}: $ref ${schema.$ref} does not resolve`);
  for (const key of subschemaMaps) {
    if (isObject(schema[key])) {
      for (const [name, sub] of Object.entries(schema[key] as object))
        problems.push(...schemaProblems(sub, `${path}/${key}/${name}`, resolve));
    }
  }
  for (const key of subschemaLists) {
    if (!Array.isArray(schema[key])) continue;
    for (const [i, sub] of (schema[key] as unknown[]).entries()) {
      problems.push(...schemaProblems(sub, `${path}/${key}/${i}`, resolve));
    }
  }
  for (const key of subschemaSingles) {
    if (schema[key] !== undefined) problems.push(...schemaProblems(schema[key], `${path}/${key}`, resolve));
  }
  return problems;
}

/** Where `value` breaks `schema` (empty when it conforms). */
export function valueProblems(
  schema: unknown,
  value: unknown,
  path: string,
  resolve: (ref: string) => unknown,
): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: no value is allowed`];
  const s = schema as JsonSchema;
  const problems: string[] = [];
  const fail = (why: string) => problems.push(`${path}: ${why}`);
  if (typeof s.$ref === 'string') problems.push(...valueProblems(resolve(s.$ref), value, path, resolve));
  if (s.type !== undefined) {
    const types = [s.type].flat() as string[];
    if (!types.some((t) => hasType(value, t)))
      fail(`expected ${types.join(' or ')}, got ${JSON.stringify(value)}`);
  }
  if (s.const !== undefined && JSON.stringify(s.const) !== JSON.stringify(value))
    fail(`expected ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value)))
    fail(`not one of ${JSON.stringify(s.enum)}`);
  if (typeof value === 'string') {
    if (typeof s.minLength === 'number' && [...value].length < s.minLength)
      fail(`shorter than ${s.minLength}`);
    if (typeof s.maxLength === 'number' && [...value].length > s.maxLength)
      fail(`longer than ${s.maxLength}`);
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value))
      fail(`does not match ${s.pattern}`);
    if (s.format === 'date-time' && Number.isNaN(Date.parse(value))) fail('not a date-time');
  }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) fail(`below ${s.minimum}`);
    if (typeof s.maximum === 'number' && value > s.maximum) fail(`above ${s.maximum}`);
    if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum)
      fail(`not above ${s.exclusiveMinimum}`);
    if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum)
      fail(`not below ${s.exclusiveMaximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) fail(`fewer than ${s.minItems} items`);
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) fail(`more than ${s.maxItems} items`);
    if (s.items !== undefined) {
      for (const [i, item] of value.entries())
        problems.push(...valueProblems(s.items, item, `${path}/${i}`, resolve));
    }
  }
  if (isObject(value)) {
    const props = (s.properties ?? {}) as Record<string, unknown>;
    for (const name of (s.required as string[] | undefined) ?? [])
      if (!(name in value)) fail(`missing required ${name}`);
    for (const [name, item] of Object.entries(value)) {
      if (name in props) problems.push(...valueProblems(props[name], item, `${path}/${name}`, resolve));
      else if (s.additionalProperties === false) fail(`unexpected property ${name}`);
      else if (isObject(s.additionalProperties))
        problems.push(...valueProblems(s.additionalProperties, item, `${path}/${name}`, resolve));
    }
  }
  for (const part of (s.allOf as unknown[] | undefined) ?? [])
    problems.push(...valueProblems(part, value, path, resolve));
  if (Array.isArray(s.anyOf) && !s.anyOf.some((v) => valueProblems(v, value, path, resolve).length === 0))
    fail('matches no anyOf branch');
  if (Array.isArray(s.oneOf)) {
    const matching = s.oneOf.filter((v) => valueProblems(v, value, path, resolve).length === 0).length;
    if (matching !== 1) fail(`matches ${matching} oneOf branches, not exactly 1`);
  }
  return problems;
}

/** A resolver for local refs (`#/components/schemas/X`) in `root`. */
export function localResolver(root: unknown): (ref: string) => unknown {
  return (ref) => {
    if (!ref.startsWith('#/')) return undefined;
    let node: unknown = root;
    for (const part of ref.slice(2).split('/')) {
      if (!isObject(node)) return undefined;
      node = node[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    return node;
  };
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    default:
      return false;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
function isTypeName(v: unknown): boolean {
  return (
    typeof v === 'string' && ['null', 'boolean', 'object', 'array', 'number', 'integer', 'string'].includes(v)
  );
}
function isCount(v: unknown): boolean {
  return Number.isInteger(v) && (v as number) >= 0;
}
function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}
