import { sql } from 'kysely';
import { z } from 'zod';
import type { DbOrTx } from '../../core/db/database.js';
import type { PayloadOf } from '../../core/log/event.schema.js';
import type { ChannelUpdate } from './parse-webhook.js';

/**
 * Meta's `message_template_status_update` webhook value:
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/message_template_status_update
 * `reason` is null for a template scheduled for deletion; the *_info objects come only
 * with some events (rejected with INVALID_FORMAT, locked/unlocked, disabled).
 */
export const templateStatusValueSchema = z.object({
  event: z.string().min(1),
  message_template_id: z.union([z.number().int(), z.string().regex(/^\d+$/)]),
  message_template_name: z.string(),
  message_template_language: z.string(),
  reason: z.string().nullable().optional(),
  message_template_category: z.string().optional(),
  rejection_info: z.record(z.string(), z.unknown()).optional(),
  other_info: z.record(z.string(), z.unknown()).optional(),
  disable_info: z.record(z.string(), z.unknown()).optional(),
});

/** Events that say something about the template without changing whether it can be sent. */
const keepsStatus = new Set(['FLAGGED', 'LOCKED', 'UNLOCKED']);
/** Events that mean the template may be sent again. */
const approvedAgain = new Set(['REINSTATED', 'UNARCHIVED']);

/**
 * Applies template status webhooks to the templates table in the caller's transaction and
 * returns one template.status_changed payload per update that is one (undefined for other
 * updates, which stay channel.update events). A webhook older than the last one applied
 * (Meta retries for days, and deliveries may cross) changes nothing but is still logged.
 */
export async function applyTemplateStatuses(
  tx: DbOrTx,
  updates: readonly ChannelUpdate[],
): Promise<(PayloadOf<'template.status_changed'> | undefined)[]> {
  const out: (PayloadOf<'template.status_changed'> | undefined)[] = [];
  for (const u of updates) {
    const parsed =
      u.field === 'message_template_status_update' ? templateStatusValueSchema.safeParse(u.value) : undefined;
    if (!parsed?.success) {
      out.push(undefined);
      continue;
    }
    const v = parsed.data;
    const metaId = String(v.message_template_id);
    const reason = v.reason && v.reason !== 'NONE' ? v.reason : null;
    const detailEntries = Object.entries({
      rejection_info: v.rejection_info,
      other_info: v.other_info,
      disable_info: v.disable_info,
    }).filter(([, x]) => x !== undefined);
    const detail = detailEntries.length > 0 ? Object.fromEntries(detailEntries) : null;
    const at = u.occurredAt ?? new Date();
    const newStatus = approvedAgain.has(v.event) ? 'APPROVED' : v.event;
    const { rows } = await sql<{ id: string; previous: string; status: string }>`
      with old as (
        select id, status from templates where meta_template_id = ${metaId} for update
      )
      update templates t set
        status = case when ${keepsStatus.has(v.event)} then t.status else ${newStatus} end,
        status_reason = ${reason},
        status_detail = ${detail === null ? null : JSON.stringify(detail)}::jsonb,
        status_at = ${at},
        updated_at = now()
      from old
      where t.id = old.id and (t.status_at is null or t.status_at <= ${at})
      returning t.id::text, old.status as previous, t.status`.execute(tx);
    const row = rows[0];
    const known = row
      ? undefined
      : await tx
          .selectFrom('templates')
          .select(['id', 'status'])
          .where('meta_template_id', '=', metaId)
          .executeTakeFirst();
    out.push({
      template_id: row?.id ?? known?.id ?? null,
      meta_template_id: metaId,
      name: v.message_template_name,
      language: v.message_template_language,
      event: v.event,
      status: row?.status ?? known?.status ?? newStatus,
      previous_status: row?.previous ?? known?.status ?? null,
      reason,
      category: v.message_template_category ?? null,
      detail,
      waba_id: u.entryId,
    });
  }
  return out;
}
