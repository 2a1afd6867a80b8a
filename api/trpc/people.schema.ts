import { z } from 'zod';
import { idSchema } from './common.schema.js';

/**
 * Inputs of the people, customFields and imports routers (docs/briefs' people contract),
 * importable by the dashboard: zod only. Ids are decimal strings, dates ISO strings.
 */
export const optInSchema = z.enum(['unknown', 'opted_in', 'opted_out']);
export type OptIn = z.infer<typeof optInSchema>;
export const fieldTypeSchema = z.enum(['text', 'number', 'boolean', 'date', 'datetime', 'choice']);
export const customFieldKeySchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'must start with a-z and have only a-z, 0-9 and _ (at most 63)');
export const choiceOptionSchema = z.strictObject({
  key: customFieldKeySchema,
  label: z.string().trim().min(1, 'required').max(200),
});
const labelSchema = z.string().trim().min(1).max(100);

export const peopleListInputSchema = z.strictObject({
  search: z.string().max(200).optional(),
  label: z.string().max(100).optional(),
  optIn: optInSchema.optional(),
  blocked: z.boolean().optional(),
  field: z.strictObject({ key: z.string().min(1).max(63), value: z.string().max(2000) }).optional(),
  afterId: idSchema.optional(),
  limit: z.number().int().min(1).max(500).optional(),
});

export const personUpdateInputSchema = z.strictObject({
  id: idSchema,
  name: z.string().trim().min(1).max(200).nullable().optional(),
  language: z.string().trim().min(2).max(20).nullable().optional(),
  timezone: z.string().trim().min(1).max(64).nullable().optional(),
  optIn: optInSchema.optional(),
  blocked: z.boolean().optional(),
  /** Custom field values by key; null clears one. A bad value fails with field `fields.<key>`. */
  fields: z.record(z.string(), z.unknown()).optional(),
});

export const setLabelsInputSchema = z.strictObject({
  ids: z.array(idSchema).min(1).max(10_000),
  add: z.array(labelSchema).max(100).optional(),
  remove: z.array(labelSchema).max(100).optional(),
});

export const timelineInputSchema = z.strictObject({
  id: idSchema,
  beforeEventId: idSchema.optional(),
  limit: z.number().int().min(1).max(200).optional(),
});

export const customFieldCreateInputSchema = z.strictObject({
  key: customFieldKeySchema,
  name: z.string().trim().min(1, 'required').max(200),
  type: fieldTypeSchema,
  options: z.array(choiceOptionSchema).max(200).optional(),
  description: z.string().max(1000).nullable().optional(),
});

export const customFieldUpdateInputSchema = z.strictObject({
  id: idSchema,
  name: z.string().trim().min(1, 'required').max(200).optional(),
  options: z.array(choiceOptionSchema).max(200).optional(),
  description: z.string().max(1000).nullable().optional(),
});

export const importModeSchema = z.enum(['create', 'update', 'both']);
/** CSV header -> field key ('phone', 'name', 'language', 'timezone', 'opt_in', 'labels' or a custom field key), or null to ignore. */
export const importMappingSchema = z.record(z.string(), z.string().min(1).max(63).nullable());
export const importSettingsInputSchema = z.strictObject({
  id: idSchema,
  mapping: importMappingSchema,
  mode: importModeSchema,
  defaultCountry: z.string().regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code such as ZA'),
});
export const importErrorsInputSchema = z.strictObject({
  id: idSchema,
  afterLine: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
});
