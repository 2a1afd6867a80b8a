import type { JsonSchema } from './to-json-schema.js';

/**
 * A valid example value for a JSON Schema, for the test that calls every documented route:
 * the schema's own `examples` first, else the first branch of a union, required properties
 * (and optional ones that carry examples), and type-based values. A pattern without an
 * example is an error: the document should show one.
 */
export function exampleValue(schema: JsonSchema, resolve: (ref: string) => unknown, path = '#'): unknown {
  if (Array.isArray(schema.examples) && schema.examples.length > 0)
    return structuredClone(schema.examples[0]);
  if (typeof schema.$ref === 'string') return exampleValue(resolve(schema.$ref) as JsonSchema, resolve, path);
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const variants = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (variants) return exampleValue(variants[0]!, resolve, path);
  if (Array.isArray(schema.allOf)) {
    return Object.assign(
      {},
      ...(schema.allOf as JsonSchema[]).map((part) => exampleValue(part, resolve, path)),
    );
  }
  const type = [schema.type].flat().find((t) => t !== 'null');
  switch (type) {
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const required = new Set((schema.required as string[] | undefined) ?? []);
      const out: Record<string, unknown> = {};
      for (const [name, prop] of Object.entries(props)) {
        if (required.has(name) || Array.isArray(prop.examples))
          out[name] = exampleValue(prop, resolve, `${path}/${name}`);
      }
      return out;
    }
    case 'array': {
      const item = exampleValue((schema.items ?? {}) as JsonSchema, resolve, `${path}/0`);
      return Array.from({ length: Math.max(1, Number(schema.minItems ?? 1)) }, () => structuredClone(item));
    }
    case 'string': {
      if (schema.format === 'date-time') return new Date().toISOString();
      if (schema.format === 'uri') return 'https://example.org/';
      if (schema.format === 'email') return 'someone@example.org';
      if (schema.pattern)
        throw new Error(`${path}: a string with pattern ${String(schema.pattern)} needs examples`);
      return 'example'.padEnd(Number(schema.minLength ?? 0), 'x');
    }
    case 'integer':
    case 'number':
      return (
        Number(schema.minimum ?? schema.exclusiveMinimum ?? 0) +
          (schema.exclusiveMinimum !== undefined ? 1 : 0) || 1
      );
    case 'boolean':
      return true;
    default:
      throw new Error(`${path}: cannot make an example for ${JSON.stringify(schema)}`);
  }
}
