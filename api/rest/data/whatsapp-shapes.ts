/**
 * Warehouse rows in the shapes Turn.io's Data Export API answers with, which are WhatsApp's:
 * a received message as the webhook's value (`{messages: [...], contacts: [...]}`,
 * https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components), a sent one as
 * the body of a send-message request plus its sender (`from`), a status as the webhook's
 * status object, a contact as `{wa_id, profile: {name}}` with Parley's profile in `details`.
 */
type Row = Record<string, unknown>;

/** Unix seconds as a decimal string, as WhatsApp writes `timestamp`. */
function unixSeconds(iso: unknown): string | undefined {
  if (typeof iso !== 'string') return undefined;
  return String(Math.floor(Date.parse(iso) / 1000));
}

function compact(object: Row): Row {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== null && v !== undefined));
}

const mediaTypes = new Set(['image', 'audio', 'video', 'document', 'sticker']);

/** The type-named content object (`text: {body}`, `image: {id, caption}`...) of a message row. */
function content(row: Row, direction: 'inbound' | 'outbound'): Row {
  const type = String(row.message_type ?? 'unknown');
  if (type === 'text') return { text: { body: row.text ?? '' } };
  if (mediaTypes.has(type)) {
    const media = compact({
      [direction === 'outbound' && /^https?:/.test(String(row.media_id)) ? 'link' : 'id']: row.media_id,
      mime_type: row.media_mime_type,
      caption: row.media_caption,
      filename: row.media_filename,
    });
    return { [type]: media };
  }
  if (type === 'template')
    return { template: compact({ name: row.template_name, language: { code: row.template_language } }) };
  if (type === 'interactive' && direction === 'inbound') {
    const kind = String(row.interactive_type ?? 'button_reply');
    return { interactive: { type: kind, [kind]: compact({ id: row.interactive_reply_id, title: row.interactive_reply_title }) } };
  }
  if (type === 'interactive') return { interactive: compact({ type: row.interactive_type, body: { text: row.text } }) };
  if (type === 'button') return { button: compact({ payload: row.button_payload, text: row.button_text }) };
  if (type === 'location')
    return { location: compact({ latitude: row.location_latitude, longitude: row.location_longitude }) };
  if (type === 'reaction')
    return { reaction: compact({ message_id: row.reaction_to_external_id, emoji: row.reaction_emoji }) };
  return row.text == null ? {} : { text: { body: row.text } };
}

/** A message row (joined with the person's `contact_name`) in Turn.io's shape. */
export function messageShape(row: Row, senderOf: (channel: unknown) => string | null): Row {
  const type = String(row.message_type ?? 'unknown');
  if (row.direction === 'inbound') {
    const context = compact({
      id: row.context_external_id,
      forwarded: row.forwarded === true ? true : undefined,
    });
    const message = compact({
      from: row.wa_id,
      id: row.external_id,
      timestamp: unixSeconds(row.received_at ?? row.created_at),
      type,
      ...content(row, 'inbound'),
      context: Object.keys(context).length > 0 ? context : undefined,
    });
    return {
      messages: [message],
      contacts: [{ profile: { name: row.contact_name ?? null }, wa_id: row.wa_id }],
    };
  }
  return compact({
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    from: senderOf(row.channel),
    to: row.wa_id,
    id: row.external_id,
    timestamp: unixSeconds(row.sent_at ?? row.created_at),
    status: row.status,
    type,
    ...content(row, 'outbound'),
    context: row.context_external_id ? { message_id: row.context_external_id } : undefined,
  });
}

/** A message_statuses row as WhatsApp's status object. */
export function statusShape(row: Row): Row {
  const conversation = row.conversation_id
    ? compact({
        id: row.conversation_id,
        origin: row.conversation_origin ? { type: row.conversation_origin } : undefined,
        expiration_timestamp: unixSeconds(row.conversation_expires_at),
      })
    : undefined;
  const pricing = row.pricing_model
    ? compact({
        billable: row.pricing_billable,
        pricing_model: row.pricing_model,
        category: row.pricing_category,
        type: row.pricing_type,
      })
    : undefined;
  const errors =
    row.error_code == null && row.error_title == null
      ? undefined
      : [compact({ code: row.error_code, title: row.error_title, message: row.error_details })];
  return compact({
    id: row.external_id,
    recipient_id: row.recipient_wa_id,
    status: row.status,
    timestamp: unixSeconds(row.status_at),
    conversation,
    pricing,
    errors,
    biz_opaque_callback_data: row.biz_opaque_callback_data,
  });
}

/** A contacts row as WhatsApp's contact object (wa_id, profile.name) with the profile in `details`. */
export function contactShape(row: Row): Row {
  return {
    wa_id: row.wa_id,
    profile: { name: row.name },
    // Identity fields (BSUID `user_id`, `username`) join here when the warehouse carries them.
    // The name is only in profile.name, so one scrubbing rule covers it.
    details: {
      language: row.language,
      timezone: row.timezone,
      opted_in: row.opt_in === 'opted_in',
      opt_in: row.opt_in,
      blocked: row.blocked,
      labels: row.labels,
      fields: row.custom_fields,
      first_message_received_at: row.first_message_received_at,
      last_message_received_at: row.last_message_received_at,
      last_seen_at: row.last_seen_at,
    },
    id: String(row.contact_id),
    inserted_at: row.created_at,
    updated_at: row.updated_at,
  };
}
