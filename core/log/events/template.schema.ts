import { z } from 'zod';
import { defineEvent, idString } from './envelope.js';

/**
 * WhatsApp message templates (engine/templates): what we submitted to Meta and each status
 * Meta reported. Components are stored as submitted (Meta's creation syntax):
 * https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates
 */
export const templateCategorySchema = z.enum(['MARKETING', 'UTILITY', 'AUTHENTICATION']);

const templateFields = {
  template_id: idString,
  name: z.string().min(1),
  language: z.string().min(1),
  category: templateCategorySchema,
  parameter_format: z.enum(['positional', 'named']),
  components: z.array(z.record(z.string(), z.unknown())),
  meta_template_id: z.string().min(1),
  status: z.string().min(1),
  by: z.string().min(1),
};

export const templateCreatedPayloadSchema = z.object(templateFields);
export const templateUpdatedPayloadSchema = z.object(templateFields);
export const templateDeletedPayloadSchema = z.object({
  template_id: idString,
  name: z.string().min(1),
  language: z.string().min(1),
  meta_template_id: z.string().min(1),
  by: z.string().min(1),
});

/**
 * One `message_template_status_update` webhook, as Meta sent it, with the template it
 * matched (null when the template was made outside Parley) and the status it moved from.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/message_template_status_update
 */
export const templateStatusChangedPayloadSchema = z.object({
  template_id: idString.nullable(),
  meta_template_id: z.string().min(1),
  name: z.string(),
  language: z.string(),
  /** Meta's `event`: APPROVED, REJECTED, PENDING, PAUSED, DISABLED, FLAGGED, ... */
  event: z.string().min(1),
  /** The status the template has now (REINSTATED and UNARCHIVED mean APPROVED again). */
  status: z.string().min(1),
  previous_status: z.string().nullable(),
  /** Meta's `reason` (e.g. INVALID_FORMAT, INCORRECT_CATEGORY), null for NONE or absent. */
  reason: z.string().nullable(),
  category: z.string().nullable(),
  /** rejection_info, other_info and disable_info when Meta sent them. */
  detail: z.record(z.string(), z.unknown()).nullable(),
  waba_id: z.string().min(1),
});

export const templateEvents = [
  defineEvent('template.created', templateCreatedPayloadSchema),
  defineEvent('template.updated', templateUpdatedPayloadSchema),
  defineEvent('template.deleted', templateDeletedPayloadSchema),
  defineEvent('template.status_changed', templateStatusChangedPayloadSchema),
] as const;
