import type { Db } from '../../core/db/database.js';
import { inTransaction } from '../../core/db/in-transaction.js';
import { AppError, type FieldError } from '../../core/errors.js';
import { queueMessage } from '../../core/outbox/queue-message.js';
import type { TemplateAccount } from './meta-template-api.js';
import type { TemplateValues } from './render-template.js';
import { variableKeys } from './template-variables.js';
import { getTemplate, type Template } from './templates-store.js';

export interface SendTemplateInput {
  /** Our contact id, or a WhatsApp id (a contact is created for a new number). */
  contact_id?: string;
  wa_id?: string;
  values: TemplateValues;
  /** A media header's file, sent with each message. */
  header_media?: { link: string };
}

/**
 * Sends an approved template to one person: builds the Cloud API template message (each
 * variable as a parameter, named ones with parameter_name) and queues it through the
 * outbox, which the sender delivers. Refused before anything is queued when the template is
 * not APPROVED or a variable has no value.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates
 */
export async function sendTemplate(
  db: Db,
  account: TemplateAccount,
  id: string,
  input: SendTemplateInput,
  by: string,
) {
  const template = await getTemplate(db, id);
  if (template.status !== 'APPROVED') {
    const reason = `template ${template.name} is ${template.status}; only APPROVED templates can be sent`;
    throw new AppError('conflict', reason, [{ field: 'id', reason }]);
  }
  const components = templateMessageComponents(template, input);
  return inTransaction(db, (tx) =>
    queueMessage(tx, {
      channel: account.channel,
      ...(input.contact_id !== undefined ? { contact_id: input.contact_id } : { wa_id: input.wa_id }),
      source: 'api',
      attribution: undefined,
      message: {
        type: 'template',
        name: template.name,
        language: template.language,
        // The outbox refuses a marketing template to a person who stopped marketing messages.
        category: template.category,
        ...(components.length > 0 && { components }),
      },
    } as Parameters<typeof queueMessage>[1]).then((queued) => ({ ...queued, template_id: template.id, by })),
  );
}

/** The `components` of a template message; throws validation_failed naming each missing value. */
export function templateMessageComponents(
  template: Template,
  input: Pick<SendTemplateInput, 'values' | 'header_media'>,
) {
  const missing: FieldError[] = [];
  const named = template.parameterFormat === 'named';
  const params = (text: string, given: Readonly<Record<string, string>> | undefined, part: string) =>
    variableKeys(text).map((key) => {
      const value = given?.[key];
      if (value === undefined || value === '') {
        missing.push({ field: `values.${part}.${key}`, reason: `give a value for {{${key}}}` });
      }
      return { type: 'text' as const, text: value ?? '', ...(named && { parameter_name: key }) };
    });
  const out: Record<string, unknown>[] = [];
  for (const c of template.components) {
    if (c.type === 'HEADER' && c.format === 'TEXT' && variableKeys(c.text).length > 0) {
      out.push({ type: 'header', parameters: params(c.text, input.values.header, 'header') });
    } else if (
      c.type === 'HEADER' &&
      (c.format === 'IMAGE' || c.format === 'VIDEO' || c.format === 'DOCUMENT')
    ) {
      const kind = c.format.toLowerCase();
      if (!input.header_media)
        missing.push({ field: 'header_media.link', reason: `a ${kind} header needs a file` });
      else
        out.push({ type: 'header', parameters: [{ type: kind, [kind]: { link: input.header_media.link } }] });
    } else if (c.type === 'BODY' && c.text && variableKeys(c.text).length > 0) {
      out.push({ type: 'body', parameters: params(c.text, input.values.body, 'body') });
    } else if (c.type === 'BUTTONS') {
      c.buttons.forEach((b, index) => {
        if (b.type !== 'URL' || variableKeys(b.url).length === 0) return;
        const suffix = input.values.buttons?.[String(index)];
        if (!suffix)
          missing.push({ field: `values.buttons.${index}`, reason: 'give the URL suffix for {{1}}' });
        out.push({
          type: 'button',
          sub_type: 'url',
          index,
          parameters: [{ type: 'text', text: suffix ?? '' }],
        });
      });
    }
  }
  if (missing.length > 0) {
    throw new AppError(
      'validation_failed',
      `missing template values: ${missing.map((m) => m.field).join(', ')}`,
      missing,
    );
  }
  return out;
}
