/**
 * Typed views of the batch, one temp table per event type (schema_version 1), each payload
 * parsed once by json_transform (JSON travels as text and DuckDB extracting typed columns
 * is about twice as fast as parsing it in JS). Payload shapes: core/log/events/*.schema.ts. json_transform yields NULL for
 * a missing or mistyped field instead of failing, so an odd payload never stops the mirror.
 */
const receivedShape = {
  message_id: 'BIGINT',
  external_id: 'VARCHAR',
  wa_id: 'VARCHAR',
  message_type: 'VARCHAR',
  timestamp: 'TIMESTAMPTZ',
  text: 'VARCHAR',
  media: { id: 'VARCHAR', mime_type: 'VARCHAR', caption: 'VARCHAR', filename: 'VARCHAR' },
  interactive: { type: 'VARCHAR', id: 'VARCHAR', title: 'VARCHAR' },
  button: { payload: 'VARCHAR', text: 'VARCHAR' },
  location: { latitude: 'DOUBLE', longitude: 'DOUBLE' },
  reaction: { message_id: 'VARCHAR', emoji: 'VARCHAR' },
  context: { message_id: 'VARCHAR', forwarded: 'BOOLEAN' },
};

const graphMedia = { id: 'VARCHAR', link: 'VARCHAR', caption: 'VARCHAR', filename: 'VARCHAR' };
const queuedShape = {
  message_id: 'BIGINT',
  wa_id: 'VARCHAR',
  message_type: 'VARCHAR',
  text: 'VARCHAR',
  template: { name: 'VARCHAR', language: 'VARCHAR' },
  reply_to: 'VARCHAR',
  attribution: {
    journey_id: 'VARCHAR',
    reminder_id: 'VARCHAR',
    operator_id: 'VARCHAR',
    api_token_id: 'VARCHAR',
    automation: 'VARCHAR',
  },
  // The Graph API request body: https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
  body: {
    context: { message_id: 'VARCHAR' },
    interactive: { type: 'VARCHAR' },
    image: graphMedia,
    video: graphMedia,
    audio: graphMedia,
    document: graphMedia,
    sticker: graphMedia,
    reaction: { message_id: 'VARCHAR', emoji: 'VARCHAR' },
    location: { latitude: 'DOUBLE', longitude: 'DOUBLE' },
  },
};

const statusShape = {
  message_id: 'BIGINT',
  external_id: 'VARCHAR',
  status: 'VARCHAR',
  timestamp: 'TIMESTAMPTZ',
  recipient_id: 'VARCHAR',
  errors: [{ code: 'BIGINT', title: 'VARCHAR', message: 'VARCHAR', details: 'VARCHAR' }],
  conversation: { id: 'VARCHAR', origin_type: 'VARCHAR', expiration_timestamp: 'TIMESTAMPTZ' },
  pricing: { billable: 'BOOLEAN', pricing_model: 'VARCHAR', category: 'VARCHAR', type: 'VARCHAR' },
  biz_opaque_callback_data: 'VARCHAR',
};

function typed(table: string, type: string, shape: unknown, columns: string): string {
  return `CREATE OR REPLACE TEMP TABLE ${table} AS
    SELECT log_position, event_id, occurred_at, recorded_at, contact_id, channel, ${columns}
    FROM (SELECT *, json_transform(payload, '${JSON.stringify(shape)}') AS p
          FROM _batch WHERE type = '${type}' AND schema_version = 1)`;
}

export const extractEventsSql: readonly string[] = [
  typed(
    '_received',
    'message.received',
    receivedShape,
    `p.message_id, p.external_id, p.wa_id, p.message_type, coalesce(p.timestamp, occurred_at) AS received_at,
     p.text, p.media, p.interactive, p.button, p.location, p.reaction, p.context`,
  ),
  typed(
    '_queued',
    'message.queued',
    queuedShape,
    `p.message_id, p.wa_id, p.message_type, p.text, p.template, coalesce(p.reply_to, p.body.context.message_id) AS reply_to,
     p.attribution, p.body.interactive.type AS interactive_type, p.body.reaction, p.body.location,
     CASE p.message_type WHEN 'image' THEN p.body.image WHEN 'video' THEN p.body.video WHEN 'audio' THEN p.body.audio
       WHEN 'document' THEN p.body.document WHEN 'sticker' THEN p.body.sticker END AS media`,
  ),
  typed(
    '_sent',
    'message.sent',
    { message_id: 'BIGINT', external_id: 'VARCHAR', attempts: 'INTEGER' },
    'p.message_id, p.external_id, p.attempts',
  ),
  typed(
    '_status',
    'message.status',
    statusShape,
    `p.message_id, p.external_id, p.status, coalesce(p.timestamp, occurred_at) AS status_at, p.recipient_id,
     p.errors[1] AS error, p.conversation, p.pricing, p.biz_opaque_callback_data`,
  ),
  typed('_marked', 'message.marked_read', { external_id: 'VARCHAR' }, 'p.external_id'),
  typed(
    '_created',
    'contact.created',
    {
      wa_id: 'VARCHAR',
      bsuid: 'VARCHAR',
      parent_bsuid: 'VARCHAR',
      username: 'VARCHAR',
      name: 'VARCHAR',
      channel: 'VARCHAR',
    },
    'p.wa_id, p.bsuid, p.parent_bsuid, p.username, p.name, coalesce(channel, p.channel) AS contact_channel',
  ),
  // An identifier added or replaced: its new value (`value` of identity_added, `to` of identity_changed).
  `CREATE OR REPLACE TEMP TABLE _identities AS
    SELECT log_position, contact_id, payload->>'kind' AS kind,
      coalesce(payload->>'value', payload->>'to') AS value, occurred_at
    FROM _batch
    WHERE type IN ('contact.identity_added', 'contact.identity_changed') AND schema_version = 1
      AND contact_id IS NOT NULL`,
  typed(
    '_merged',
    'contact.merged',
    { surviving_contact_id: 'BIGINT', merged_contact_id: 'BIGINT' },
    'p.surviving_contact_id, p.merged_contact_id',
  ),
  typed(
    '_marketing',
    'contact.marketing_preference',
    { marketing_opt_in: 'VARCHAR', at: 'TIMESTAMPTZ', source: 'VARCHAR' },
    'p.marketing_opt_in, p.at, p.source',
  ),
  // One row per changed field; a field's value is JSON, SQL NULL when it is JSON null.
  `CREATE OR REPLACE TEMP TABLE _changes AS
    SELECT log_position, event_id, occurred_at, contact_id, channel, changed_by, e.key AS field,
      nullif(json_extract(e.value, '$.from')::VARCHAR, 'null')::JSON AS old_value,
      nullif(json_extract(e.value, '$.to')::VARCHAR, 'null')::JSON AS new_value
    FROM (SELECT *, payload->>'by' AS changed_by,
            unnest(map_entries(json_transform(payload->'changes', '"MAP(VARCHAR, JSON)"'))) AS e
          FROM _batch WHERE type = 'contact.updated' AND schema_version = 1)`,
];
