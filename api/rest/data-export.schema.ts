import { z } from 'zod';
import { compileLinearRegex } from './data/linear-regex.js';
import { rfc3339Schema } from './schemas/rfc3339.schema.js';

/** Data types of the Data Export API, after Turn.io's (https://whatsapp.turn.io/docs/api/data_export_api). */
export const dataExportTypes = ['messages', 'statuses', 'contacts'] as const;
export type DataExportType = (typeof dataExportTypes)[number];

const regexPattern = z
  .string()
  .min(1)
  .max(200)
  .superRefine((pattern, ctx) => {
    const compiled = compileLinearRegex(pattern);
    if (!compiled.ok) ctx.addIssue({ code: 'custom', message: compiled.reason });
  });

/** Parley's own rule, on a column of the flat warehouse rows (format `rows`). */
export const scrubRuleSchema = z
  .discriminatedUnion('action', [
    z.strictObject({
      field: z.string().min(1).max(64),
      action: z.literal('hash'),
    }),
    z.strictObject({
      field: z.string().min(1).max(64),
      action: z.literal('replace'),
      pattern: regexPattern,
      replacement: z.string().max(200).default(''),
    }),
  ])
  .meta({
    id: 'ScrubRule',
    description:
      "Scrubbing of one column in every row (format `rows`): `hash` replaces the value with its SHA-256 (hex); `replace` replaces every match of the RE2 regular expression `pattern` in the value's text (`$1` inserts a group).",
    examples: [{ field: 'text', action: 'replace', pattern: '\\d{6,}', replacement: '[number]' }],
  });
export type ScrubRule = z.infer<typeof scrubRuleSchema>;

/** Turn.io's rule, on a JSON path of the WhatsApp shapes (format `whatsapp`). */
export const pathRuleSchema = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('hash') }),
    z.strictObject({
      type: z.literal('regex'),
      search: regexPattern,
      replace: z.string().max(200).default(''),
    }),
  ])
  .meta({
    id: 'ScrubPathRule',
    description:
      '`hash` replaces the value with its SHA-256 (hex); `regex` replaces every match of the RE2 regular expression `search` with `replace` (`$1` inserts a group).',
  });
export type PathRule = z.infer<typeof pathRuleSchema>;

const jsonPath = z
  .string()
  .regex(/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+){0,7}$/, 'a JSON path such as messages.text.body');
const pathRules = z.record(jsonPath, pathRuleSchema).refine((rules) => Object.keys(rules).length <= 20, {
  message: 'at most 20 rules',
});

/** Turn.io's `scrubbing_rules` object: rules by JSON path, for received and for sent messages. */
export const scrubbingRulesSchema = z
  .strictObject({
    inbound: pathRules.optional().meta({
      description:
        'Rules for received messages, by path into the webhook shape (`messages.text.body`, `messages.from`, `contacts.profile.name`). A contacts export applies the `contacts.` paths to each contact.',
    }),
    outbound: pathRules.optional().meta({
      description:
        'Rules for sent messages, by path into the send-message shape (`text.body`, `from`, `to`). A statuses export applies them to each status (`recipient_id`).',
    }),
  })
  .meta({
    id: 'ScrubbingRules',
    examples: [
      {
        inbound: {
          'messages.text.body': { type: 'regex', search: 'world', replace: 'XXXX' },
          'messages.from': { type: 'hash' },
          'contacts.profile.name': { type: 'hash' },
        },
        outbound: {
          'text.body': { type: 'regex', search: 'world', replace: 'XXXX' },
          from: { type: 'hash' },
        },
      },
    ],
  });
export type ScrubbingRules = z.infer<typeof scrubbingRulesSchema>;

export const dataExportCursorRequestSchema = z
  .strictObject({
    from: rfc3339Schema
      .optional()
      .meta({ description: 'Rows at or after this time (default: the beginning)' }),
    until: rfc3339Schema
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
    scrubbing_rules: z
      .union([scrubbingRulesSchema, z.array(scrubRuleSchema).max(20)])
      .optional()
      .meta({
        description:
          "Turn.io's object of rules by JSON path (answers in the WhatsApp shapes), or Parley's list of rules by column (answers in flat rows).",
      }),
  })
  .meta({
    id: 'DataExportCursorRequest',
    examples: [
      {
        from: '2026-12-03T12:28:32.507736+00:00',
        until: '2026-12-04T12:28:32.507736+00:00',
        ordering: 'asc',
        page_size: 100,
        scrubbing_rules: {
          inbound: { 'messages.from': { type: 'hash' }, 'contacts.profile.name': { type: 'hash' } },
          outbound: { to: { type: 'hash' } },
        },
      },
      { from: '2026-01-01T00:00:00Z', ordering: 'asc', page_size: 500 },
    ],
  });
export type DataExportCursorRequest = z.infer<typeof dataExportCursorRequestSchema>;

export const dataExportFormats = ['whatsapp', 'rows'] as const;
export type DataExportFormat = (typeof dataExportFormats)[number];

export const dataExportCursorQuerySchema = z.strictObject({
  format: z.enum(dataExportFormats).optional().meta({
    description:
      "`whatsapp`: Turn.io's shapes (webhook and send-message shapes); `rows`: the flat warehouse rows. Default: `whatsapp` when the request sends `Accept: application/vnd.v1+json` or a scrubbing_rules object, else `rows`.",
  }),
});

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
      description:
        'Format `whatsapp`: a received message is `{messages: [...], contacts: [...]}` (the webhook shape), a sent one the send-message shape with `from`; statuses and contacts as in docs/data-export.md. Format `rows`: rows of the warehouse table (docs/warehouse.md).',
    }),
    paging: z
      .object({
        next: z.string().nullable().meta({ description: 'Cursor of the next page' }),
      })
      .nullable()
      .meta({
        description:
          'Format `whatsapp`: null after the last page, as Turn.io does. Format `rows`: `next` is null after the last page.',
      }),
  })
  .meta({
    id: 'DataExportPage',
    examples: [
      {
        data: [
          {
            messages: [
              {
                from: '27820000001',
                id: 'wamid.in.1',
                timestamp: '1796300915',
                type: 'text',
                text: { body: 'hello' },
              },
            ],
            contacts: [{ profile: { name: 'Thandi Mokoena' }, wa_id: '27820000001' }],
          },
          {
            messaging_product: 'whatsapp',
            recipient_type: 'individual',
            from: '1555000111',
            to: '27820000001',
            id: 'wamid.out.2',
            timestamp: '1796300917',
            status: 'delivered',
            type: 'text',
            text: { body: 'Welcome!' },
          },
        ],
        paging: null,
      },
      {
        data: [{ message_id: 2, direction: 'outbound', wa_id: '27820000001', text: 'Welcome!' }],
        paging: { next: 'AAAAAAAAAAAAAAAAAAAAAA~1796300917000000~2' },
      },
    ],
  });
