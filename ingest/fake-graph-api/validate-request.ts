import { outboundMessageTypes } from '../../core/log/events/message.schema.js';

/**
 * Rough validation of a `/messages` request body, enough to catch what Meta refuses with
 * code 100 "Invalid parameter": neither `to` nor `recipient`, a missing `type`, a `type` without its object, or
 * the object's required fields. Returns the detail text of the first problem, or null.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
 */
export type MessagesRequest =
  | {
      kind: 'message';
      /** The phone number (`to`) or, when there is none, the BSUID (`recipient`) it goes to. */
      to: string;
      addressedBy: 'phone' | 'bsuid';
      type: string;
      body: Record<string, unknown>;
    }
  | { kind: 'mark_read'; messageId: string; body: Record<string, unknown> };

const messageTypes = new Set<string>(outboundMessageTypes);

export function validateRequest(
  body: unknown,
): { ok: true; request: MessagesRequest } | { ok: false; details: string } {
  if (!isObject(body)) return fail('The request body must be a JSON object.');
  if (body.messaging_product !== 'whatsapp') return fail('The parameter messaging_product is required.');
  if (body.status === 'read') {
    if (typeof body.message_id !== 'string' || body.message_id === '') {
      return fail('The parameter message_id is required.');
    }
    return { ok: true, request: { kind: 'mark_read', messageId: body.message_id, body } };
  }
  // Meta takes `to` (a phone number) or `recipient` (a BSUID or parent BSUID); with both, `to`
  // wins. https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids
  const hasTo = typeof body.to === 'string' && body.to !== '';
  const hasRecipient = typeof body.recipient === 'string' && body.recipient !== '';
  if (!hasTo && !hasRecipient) return fail('The parameter to or recipient is required.');
  if (!hasTo && !/^[A-Z]{2}\.[0-9A-Za-z]+$/.test(body.recipient as string))
    return fail('Param recipient must be a business-scoped user id (CC.digits).');
  const address = hasTo
    ? { to: body.to as string, addressedBy: 'phone' as const }
    : { to: body.recipient as string, addressedBy: 'bsuid' as const };
  if (typeof body.type !== 'string' || body.type === '') return fail('The parameter type is required.');
  if (!messageTypes.has(body.type))
    return fail(`Param type must be one of {${[...messageTypes].join(', ')}}.`);
  const content = body[body.type];
  if (!isObject(content) && !(body.type === 'contacts' && Array.isArray(content))) {
    return fail(`Param ${body.type} is required for type ${body.type}.`);
  }
  const problem = contentProblem(body.type, content);
  if (problem) return fail(problem);
  if (typeof body.biz_opaque_callback_data === 'string' && body.biz_opaque_callback_data.length > 512) {
    return fail('Param biz_opaque_callback_data must be at most 512 characters long.');
  }
  return { ok: true, request: { kind: 'message', ...address, type: body.type, body } };
}

function contentProblem(type: string, content: unknown): string | null {
  const c = content as Record<string, unknown>;
  switch (type) {
    case 'text':
      return typeof c.body === 'string' && c.body !== '' ? null : "Param text['body'] is required.";
    case 'image':
    case 'audio':
    case 'video':
    case 'document':
    case 'sticker':
      return typeof c.id === 'string' || typeof c.link === 'string'
        ? null
        : `Param ${type} must have an id or a link.`;
    case 'interactive': {
      const action = c.action as Record<string, unknown> | undefined;
      if (c.type !== 'button' && c.type !== 'list')
        return "Param interactive['type'] must be button or list.";
      if (!isObject(c.body) || typeof c.body.text !== 'string')
        return "Param interactive['body']['text'] is required.";
      if (!isObject(action)) return "Param interactive['action'] is required.";
      if (c.type === 'button' && !Array.isArray(action.buttons))
        return "Param interactive['action']['buttons'] is required.";
      if (c.type === 'list' && !Array.isArray(action.sections))
        return "Param interactive['action']['sections'] is required.";
      return null;
    }
    case 'template':
      if (typeof c.name !== 'string') return "Param template['name'] is required.";
      return isObject(c.language) && typeof c.language.code === 'string'
        ? null
        : "Param template['language']['code'] is required.";
    case 'reaction':
      return typeof c.message_id === 'string' ? null : "Param reaction['message_id'] is required.";
    case 'location':
      return typeof c.latitude === 'number' && typeof c.longitude === 'number'
        ? null
        : "Params location['latitude'] and location['longitude'] are required.";
    case 'contacts':
      return Array.isArray(content) && content.length > 0
        ? null
        : 'Param contacts must be a non-empty array.';
    default:
      return null;
  }
}

function fail(details: string) {
  return { ok: false as const, details };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
