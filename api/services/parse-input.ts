import type { z } from 'zod';
import { AppError, type FieldError } from '../../core/errors.js';

/**
 * Parses untrusted input with a zod schema and refuses unknown fields anywhere in it, with
 * one field error per problem. Schemas shared with the outbox strip unknown keys instead of
 * refusing them, so after a successful parse any key of the input that the output lacks
 * was unknown: a typo such as `mesage` must not be silently dropped.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'request'): z.output<S> {
  const result = schema.safeParse(input);
  const fields = result.success
    ? unknownFields(input, result.data)
    : fieldErrorsFromIssues(result.error.issues);
  if (fields.length > 0) {
    throw new AppError(
      'validation_failed',
      `invalid ${what}: ${fields.map((f) => `${f.field}: ${f.reason}`).join('; ')}`,
      fields,
    );
  }
  return (result as { data: z.output<S> }).data;
}

/** zod issues as field errors; an unrecognised-keys issue becomes one error per key. */
export function fieldErrorsFromIssues(
  issues: readonly {
    code?: string;
    path: readonly PropertyKey[];
    message: string;
    keys?: readonly string[];
  }[],
): FieldError[] {
  return issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      return issue.keys.map((key) => ({ field: [...path, key].join('.'), reason: 'unknown field' }));
    }
    return [{ field: path.join('.') || '(root)', reason: issue.message }];
  });
}

function unknownFields(input: unknown, output: unknown, path: string[] = []): FieldError[] {
  if (Array.isArray(input) && Array.isArray(output)) {
    return input.flatMap((item, i) => unknownFields(item, output[i], [...path, String(i)]));
  }
  if (!isPlainObject(input) || !isPlainObject(output)) return [];
  return Object.keys(input).flatMap((key) =>
    key in output
      ? unknownFields(input[key], output[key], [...path, key])
      : [{ field: [...path, key].join('.'), reason: 'unknown field' }],
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}
