import { z } from 'zod';

/** Data types of the Data Export API, after Turn.io's (https://whatsapp.turn.io/docs/api/data_export). */
export const dataExportTypes = ['messages', 'statuses', 'contacts'] as const;
export type DataExportType = (typeof dataExportTypes)[number];

export const scrubRuleSchema = z
  .discriminatedUnion('action', [
    z.strictObject({
      field: z.string().min(1).max(64),
      action: z.literal('hash'),
    }),
    z.strictObject({
      field: z.string().min(1).max(64),
      action: z.literal('replace'),
      pattern: z
        .string()
        .min(1)
        .max(200)
        .refine((p) => {
          try {
            new RegExp(p, 'g');
            return true;
          } catch {
            return false;
          }
        }, 'not a valid regular expression'),
      replacement: z.string().max(200).default(''),
    }),
  ])
  .meta({
    id: 'ScrubRule',
    description:
      "Scrubbing of one field in every row: `hash` replaces the value with its SHA-256 (hex); `replace` replaces every match of the regular expression `pattern` in the value's text.",
    examples: [{ field: 'text', action: 'replace', pattern: '\\d{6,}', replacement: '[number]' }],
  });
export type ScrubRule = z.infer<typeof scrubRuleSchema>;

export const dataExportCursorRequestSchema = z
  .strictObject({
    from: z.iso
      .datetime()
      .optional()
      .meta({ description: 'Rows at or after this time (default: the beginning)' }),
    until: z.iso
      .datetime()
      .optional()
      .meta({ description: 'Rows before this time (default: when the cursor is made)' }),
    ordering: z
      .enum(['asc', 'desc'])
      .default('asc')
      .meta({ description: 'Oldest first (asc) or newest first (desc)' }),
    page_size: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(100)
      .meta({ description: 'Rows per page, at most 1,000' }),
    scrubbing_rules: z.array(scrubRuleSchema).max(20).default([]),
  })
  .meta({
    id: 'DataExportCursorRequest',
    examples: [{ from: '2026-01-01T00:00:00Z', ordering: 'asc', page_size: 500 }],
  });
export type DataExportCursorRequest = z.infer<typeof dataExportCursorRequestSchema>;

export const dataExportCursorSchema = z
  .object({
    cursor: z.string().meta({ description: 'Pass to GET /v1/data/{type}/cursor/{cursor}' }),
    expires_at: z.iso.datetime(),
  })
  .meta({ id: 'DataExportCursor' });

export const dataExportCursorParamsSchema = z.strictObject({
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{22}(~-?\d{1,20}~\d{1,20})?$/, 'not a cursor of this API')
    .meta({
      description: 'A cursor from POST .../cursor or from paging.next',
      examples: ['AAAAAAAAAAAAAAAAAAAAAA'],
    }),
});

export const dataExportPageSchema = z
  .object({
    data: z.array(z.record(z.string(), z.unknown())).meta({
      description: 'Rows of the warehouse table (see docs/warehouse.md for the columns)',
    }),
    paging: z.object({
      next: z.string().nullable().meta({ description: 'Cursor of the next page; null after the last row' }),
    }),
  })
  .meta({ id: 'DataExportPage' });
