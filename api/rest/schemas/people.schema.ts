import { z } from 'zod';
import { idOf } from './common.schema.js';

/** Custom fields and CSV imports in the REST API (snake_case, like the rest of /v1). */
const fieldKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'must start with a-z and have only a-z, 0-9 and _ (at most 63)')
  .meta({
    description: 'Key used in SQL (contacts.custom_fields), journeys and templates; never changes',
    examples: ['district'],
  });
const choiceOption = z.strictObject({
  key: fieldKey.meta({ examples: ['north'] }),
  label: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .meta({ examples: ['North'] }),
});
const fieldType = z.enum(['text', 'number', 'boolean', 'date', 'datetime', 'choice']);

export const customFieldSchema = z
  .object({
    id: idOf('Custom field', '1'),
    key: z.string(),
    name: z.string(),
    type: fieldType,
    options: z.array(z.object({ key: z.string(), label: z.string() })),
    description: z.string().nullable(),
    used_by: z.array(z.object({ kind: z.literal('segment'), id: z.string(), name: z.string() })),
  })
  .meta({ id: 'CustomField' });
export const customFieldListSchema = z
  .object({ data: z.array(customFieldSchema) })
  .meta({ id: 'CustomFieldList' });
export const customFieldCreateSchema = z
  .strictObject({
    key: fieldKey,
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .meta({ examples: ['District'] }),
    type: fieldType.meta({ examples: ['text'] }),
    options: z.array(choiceOption).max(200).optional(),
    description: z.string().max(1000).nullable().optional(),
  })
  .meta({ id: 'CustomFieldCreate' });
export const customFieldUpdateSchema = z
  .strictObject({
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .meta({ examples: ['Home district'] }),
    options: z.array(choiceOption).max(200).optional(),
    description: z.string().max(1000).nullable().optional(),
  })
  .meta({ id: 'CustomFieldUpdate' });

export const importSchema = z
  .object({
    id: idOf('Import', '1'),
    file_name: z.string().nullable(),
    status: z.enum(['receiving', 'uploaded', 'queued', 'running', 'done', 'failed']),
    total_rows: z.number().int(),
    processed_rows: z.number().int(),
    created_count: z.number().int(),
    updated_count: z.number().int(),
    skipped_count: z.number().int(),
    invalid_count: z.number().int(),
    error: z.string().nullable(),
    created_at: z.iso.datetime(),
    finished_at: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Import' });
export const importUploadSchema = z
  .object({
    id: idOf('Import', '1'),
    status: z.literal('uploaded'),
    headers: z.array(z.string()).meta({ description: "The file's header row" }),
    rows: z.number().int().meta({ description: 'Data rows in the file' }),
    suggestedMapping: z.record(z.string(), z.string().nullable()).meta({
      description: 'CSV header -> field key matched by name (null: not matched); pass it, edited, to start',
    }),
  })
  .meta({ id: 'ImportUpload' });
export const importStartSchema = z
  .strictObject({
    mapping: z.record(z.string(), z.string().min(1).max(63).nullable()).meta({
      description:
        'CSV header -> field key (phone, bsuid, username, name, language, timezone, opt_in, labels or a custom field key) or null. Map phone or bsuid (or both): people are found by BSUID first, then phone number, and a row whose BSUID and phone belong to two people merges them into the older',
      examples: [{ phone: 'phone' }],
    }),
    mode: z.enum(['create', 'update', 'both']).meta({ examples: ['both'] }),
    default_country: z
      .string()
      .regex(/^[A-Za-z]{2}$/)
      .meta({ description: 'Country of numbers written without a country code', examples: ['ZA'] }),
  })
  .meta({ id: 'ImportStart' });
export const importErrorsQuerySchema = z.strictObject({
  after_line: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
export const importErrorListSchema = z
  .object({ data: z.array(z.object({ line: z.number().int(), reason: z.string() })) })
  .meta({ id: 'ImportErrorList' });
