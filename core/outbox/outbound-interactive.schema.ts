import { z } from 'zod';

/**
 * Interactive messages: reply buttons and lists, with Meta's limits.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages
 * https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-list-messages
 */

const headerText = z.string().min(1).max(60, 'Meta allows at most 60 characters');
const footerText = z.string().min(1).max(60, 'Meta allows at most 60 characters');

/** Reply buttons: 1 to 3 buttons, titles up to 20 characters, ids up to 256, all unique. */
export const buttonsMessageSchema = z
  .object({
    type: z.literal('buttons'),
    header: headerText.optional(),
    body: z.string().min(1).max(1024, 'Meta allows at most 1,024 characters'),
    footer: footerText.optional(),
    buttons: z
      .array(
        z.object({
          id: z.string().min(1).max(256, 'Meta allows at most 256 characters'),
          title: z.string().min(1).max(20, 'Meta allows at most 20 characters'),
        }),
      )
      .min(1, 'give at least one button')
      .max(3, 'Meta allows at most 3 reply buttons'),
  })
  .superRefine((m, ctx) => {
    unique(
      ctx,
      m.buttons,
      (b) => b.id,
      (i) => ['buttons', i, 'id'],
    );
    unique(
      ctx,
      m.buttons,
      (b) => b.title,
      (i) => ['buttons', i, 'title'],
    );
  });

/** List: up to 10 sections and 10 rows in all; a section title is required past one section. */
export const listMessageSchema = z
  .object({
    type: z.literal('list'),
    header: headerText.optional(),
    body: z.string().min(1).max(4096, 'Meta allows at most 4,096 characters'),
    footer: footerText.optional(),
    button: z.string().min(1).max(20, 'Meta allows at most 20 characters'),
    sections: z
      .array(
        z.object({
          title: z.string().min(1).max(24, 'Meta allows at most 24 characters').optional(),
          rows: z
            .array(
              z.object({
                id: z.string().min(1).max(200, 'Meta allows at most 200 characters'),
                title: z.string().min(1).max(24, 'Meta allows at most 24 characters'),
                description: z.string().min(1).max(72, 'Meta allows at most 72 characters').optional(),
              }),
            )
            .min(1, 'give at least one row'),
        }),
      )
      .min(1, 'give at least one section')
      .max(10, 'Meta allows at most 10 sections'),
  })
  .superRefine((m, ctx) => {
    const rows = m.sections.flatMap((s, si) =>
      s.rows.map((r, ri) => ({ ...r, path: ['sections', si, 'rows', ri] })),
    );
    if (rows.length > 10) {
      ctx.addIssue({
        code: 'custom',
        path: ['sections'],
        message: 'Meta allows at most 10 rows in all sections',
      });
    }
    unique(
      ctx,
      rows,
      (r) => r.id,
      (i) => [...rows[i]!.path, 'id'],
    );
    if (m.sections.length > 1) {
      m.sections.forEach((s, i) => {
        if (s.title === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['sections', i, 'title'],
            message: 'required when there are several sections',
          });
        }
      });
    }
  });

function unique<T>(
  ctx: z.RefinementCtx,
  items: readonly T[],
  key: (item: T) => string,
  path: (index: number) => (string | number)[],
) {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k))
      ctx.addIssue({ code: 'custom', path: path(i), message: `duplicate value ${JSON.stringify(k)}` });
    seen.add(k);
  });
}
