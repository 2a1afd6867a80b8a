import { z } from 'zod';
import { builderSchema } from '../../engine/segments/segment-builder.schema.js';
import { idSchema } from './common.schema.js';

/** Inputs of the segments router, importable by the dashboard (zod only). */
export const segmentDefinitionSchema = z.union([
  z.strictObject({ builder: builderSchema }),
  z.strictObject({ sql: z.string().trim().min(1, 'write a SELECT').max(100_000) }),
]);

/** segments.preview: a definition, and `reveal` to see names and numbers (needs pii.read). */
export const segmentPreviewSchema = z.union([
  z.strictObject({ builder: builderSchema, reveal: z.boolean().optional() }),
  z.strictObject({
    sql: z.string().trim().min(1, 'write a SELECT').max(100_000),
    reveal: z.boolean().optional(),
  }),
]);

export const segmentNameSchema = z.string().trim().min(1, 'give the segment a name').max(200);

export const segmentCreateSchema = z.strictObject({
  name: segmentNameSchema,
  description: z.string().max(2000).nullable().optional(),
  definition: segmentDefinitionSchema,
});

export const segmentUpdateSchema = z.strictObject({
  id: idSchema,
  name: segmentNameSchema.optional(),
  description: z.string().max(2000).nullable().optional(),
  definition: segmentDefinitionSchema.optional(),
});

export const segmentQueryTextSchema = z.strictObject({ text: z.string().max(5000) });
