import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/**
 * Converts a zod schema to JSON Schema 2020-12 for the OpenAPI document. Schemas with a
 * meta `id` become shared components (`#/components/schemas/<id>`); request schemas get
 * `additionalProperties: false` on every object, because the API refuses unknown fields
 * everywhere (api/rest/parse-input.ts), also in schemas that strip them.
 */
export function toJsonSchema(
  schema: z.ZodType,
  io: 'input' | 'output',
  components: Record<string, JsonSchema>,
): JsonSchema {
  const converted = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'throw',
  }) as JsonSchema;
  const { $schema: _, $defs, ...root } = converted;
  const rewrite = (node: unknown): unknown => rewriteRefs(io === 'input' ? closeObjects(node) : node);
  for (const [name, definition] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
    const value = rewrite(definition) as JsonSchema;
    const existing = components[name];
    if (existing && JSON.stringify(existing) !== JSON.stringify(value)) {
      throw new Error(`schema ${name} differs between uses (request vs response?); give them different ids`);
    }
    components[name] = value;
  }
  return rewrite(root) as JsonSchema;
}

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === '$ref' && typeof value === 'string'
        ? value.replace(/^#\/\$defs\//, '#/components/schemas/')
        : key === 'examples' || key === 'const' || key === 'enum' || key === 'default'
          ? value
          : rewriteRefs(value);
  }
  return out;
}

/** Adds additionalProperties: false to object schemas, except the parts of an allOf (they would exclude each other). */
function closeObjects(node: unknown, insideAllOf = false): unknown {
  if (Array.isArray(node)) return node.map((n) => closeObjects(n, insideAllOf));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === 'examples' || key === 'const' || key === 'enum' || key === 'default'
        ? value
        : key === 'allOf'
          ? (value as unknown[]).map((part) => closeObjects(part, true))
          : closeObjects(value);
  }
  if (out.type === 'object' && out.properties && !('additionalProperties' in out) && !insideAllOf) {
    out.additionalProperties = false;
  }
  return out;
}
