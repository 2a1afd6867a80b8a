import { hashedPrefix } from './identifier-hash.js';

/**
 * What an erasure leaves of an event's payload: only what anonymous counts need (types,
 * times, message ids, statuses, errors, pricing, attribution, journey steps). Written as a
 * list of what to keep, never of what to remove, so a field added to a payload later is
 * erased until someone decides it is safe to keep. A type (or schema_version) not listed
 * here keeps nothing: `{"erased": true}`.
 *
 * The warehouse blanks exactly the columns derived from what is dropped here
 * (warehouse/transform/apply-erasure.ts), so a rebuild from the scrubbed log equals a mirror
 * that saw the data before the erasure: change one only together with the other.
 */
type Keep = true | { [key: string]: Keep };

export const erasedMarker = { erased: true } as const;

/** Payload fields kept per event type (schema_version 1); nested objects keep their listed keys. */
export const keptPayloadFields: Record<string, { [key: string]: Keep }> = {
  'message.received': {
    message_id: true,
    external_id: true,
    message_type: true,
    timestamp: true,
    media: { mime_type: true, voice: true, animated: true },
    // Ids of the reply or button the person chose are ours (set in the message we sent).
    interactive: { type: true, id: true },
    button: { payload: true },
    reaction: { message_id: true },
    context: { message_id: true, forwarded: true, frequently_forwarded: true },
    errors: true,
  },
  'message.queued': {
    message_id: true,
    message_type: true,
    template: { name: true, language: true },
    reply_to: true,
    attribution: true,
    body: {
      messaging_product: true,
      type: true,
      context: { message_id: true },
      interactive: { type: true },
      reaction: { message_id: true },
    },
  },
  'message.sent': { message_id: true, external_id: true, attempts: true },
  'message.status': {
    message_id: true,
    external_id: true,
    status: true,
    timestamp: true,
    errors: true,
    conversation: true,
    pricing: true,
    biz_opaque_callback_data: true,
  },
  'message.marked_read': { external_id: true },
  'contact.created': { channel: true },
  'contact.erased': { by: true, reason: true, events: true, links: true },
  'segment.snapshot': {
    segment_id: true,
    snapshot_id: true,
    count: true,
    sql_hash: true,
    log_position: true,
    by: true,
  },
  'journey.started': { journey_id: true, run_id: true, trigger: true },
  'journey.card_entered': { journey_id: true, run_id: true, card_id: true },
  'journey.completed': { journey_id: true, run_id: true, card_id: true },
  'journey.dropped': { journey_id: true, run_id: true, card_id: true, reason: true },
  'message.routed': { message_id: true, received_event_id: true, owner_kind: true, owner_id: true },
  'conversation.claimed': { claim_id: true, kind: true, owner_id: true },
  'conversation.released': { claim_id: true, kind: true, owner_id: true },
  // Prices are anonymous counts: amount, category and calling code say nothing of who was charged.
  'charge.reserved': {
    message_id: true,
    amount_micros: true,
    currency: true,
    calling_code: true,
    market: true,
  },
  'charge.released': { message_id: true, amount_micros: true, currency: true, reason: true },
  'charge.created': {
    charge_id: true,
    message_id: true,
    amount_micros: true,
    currency: true,
    category: true,
    pricing_model: true,
    rate_card_id: true,
    calling_code: true,
    market: true,
    reserved_micros: true,
  },
  'reminder.send': { reminder_id: true, run_id: true, outcome: true, skip_reason: true, message_id: true },
  'reminder.replied': {
    reminder_id: true,
    run_id: true,
    message_id: true,
    reply_message_id: true,
    journey_id: true,
  },
  // Who did what to the person stays; `details` may quote their data.
  'operator.action': { actor: { kind: true, id: true }, action: true, target: true },
};

/**
 * Profile fields whose values stay in contact.updated: they are needed for anonymous counts
 * (how many opted out, how many are blocked) and say nothing about who the person is. Every
 * other field (name, language, timezone, labels, custom fields) keeps only its key.
 */
export const keptProfileFields: readonly string[] = ['opt_in', 'blocked'];

/**
 * Kept fields that hold a WhatsApp message id (wamid). A wamid encodes the person's phone
 * number, so an erasure replaces each by its keyed hash (identifier-hash.ts), which ingest
 * still matches retried webhooks and late statuses against.
 */
export const wamidPaths: Record<string, readonly (readonly string[])[]> = {
  'message.received': [['external_id'], ['context', 'message_id'], ['reaction', 'message_id']],
  'message.queued': [['reply_to'], ['body', 'context', 'message_id'], ['body', 'reaction', 'message_id']],
  'message.sent': [['external_id']],
  'message.status': [['external_id']],
  'message.marked_read': [['external_id']],
};

/** Replaces a wamid by its hash (hashIdentifier bound to the erasure secret and kind `wamid`). */
export type HashWamid = (wamid: string) => string;

/**
 * The payload of one event of an erased person, as it stays in the log. Without `hashWamid`
 * wamids are dropped (nothing may keep them as they are).
 */
export function scrubPayload(
  type: string,
  schemaVersion: number,
  payload: unknown,
  hashWamid?: HashWamid,
): Record<string, unknown> {
  if (schemaVersion !== 1 || !isObject(payload)) return { ...erasedMarker };
  if (type === 'contact.updated') return scrubContactUpdated(payload);
  const keep = keptPayloadFields[type];
  if (!keep) return { ...erasedMarker };
  const kept = pick(payload, keep);
  for (const path of wamidPaths[type] ?? []) replaceAt(kept, path, hashWamid);
  return kept;
}

function replaceAt(
  value: Record<string, unknown>,
  path: readonly string[],
  hashWamid: HashWamid | undefined,
) {
  const [head, ...rest] = path;
  if (head === undefined || !(head in value)) return;
  const field = value[head];
  if (rest.length > 0) {
    if (isObject(field)) replaceAt(field, rest, hashWamid);
    return;
  }
  if (typeof field !== 'string' || field.startsWith(hashedPrefix)) return;
  if (hashWamid) value[head] = hashWamid(field);
  else delete value[head];
}

function scrubContactUpdated(payload: Record<string, unknown>): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  if (isObject(payload.changes)) {
    for (const [field, change] of Object.entries(payload.changes)) {
      changes[field] =
        keptProfileFields.includes(field) && isObject(change) ? pick(change, { from: true, to: true }) : {};
    }
  }
  return { changes, ...(payload.by === undefined ? {} : { by: payload.by }) };
}

function pick(value: Record<string, unknown>, keep: { [key: string]: Keep }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, rule] of Object.entries(keep)) {
    if (!(key in value)) continue;
    const field = value[key];
    if (rule === true) out[key] = field;
    else if (isObject(field)) out[key] = pick(field, rule);
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Idempotency keys that hold only ids and keep deduplicating late retries after an erasure.
 * `msg:<wamid>` and `status:<wamid>:<status>` keep deduplicating with the wamid replaced by
 * its hash (ingest computes the same hash for an erased person's retried webhook). Any other
 * key of the person's events (e.g. ingest's `contact:<wa_id>`) becomes `erased:<event id>`:
 * it may hold their number, and keeping it would also swallow the contact.created of a new
 * contact with that number.
 */
export const keptIdempotencyPrefixes = [
  'sent:',
  'send-failed:',
  'marked-read:',
  'update:',
  'unrecognised:',
] as const;

export function scrubIdempotencyKey(
  eventId: string,
  key: string | null,
  hashWamid?: HashWamid,
): string | null {
  if (key === null || keptIdempotencyPrefixes.some((prefix) => key.startsWith(prefix))) return key;
  if (hashWamid && key.startsWith('msg:')) {
    const wamid = key.slice('msg:'.length);
    return wamid.startsWith(hashedPrefix) ? key : `msg:${hashWamid(wamid)}`;
  }
  const status = /^status:(.+):([a-z_]+)$/.exec(key);
  if (hashWamid && status) {
    const [, wamid, value] = status;
    return wamid!.startsWith(hashedPrefix) ? key : `status:${hashWamid(wamid!)}:${value}`;
  }
  return `erased:${eventId}`;
}

/**
 * The mirrors' rule over `idempotency_key` and `event_id` (DuckDB and BigQuery alike): keys
 * holding a wamid (or its hash) become `erased:<event id>` too. A mirror cannot compute the
 * hash (the secret stays in Postgres), and applying this to the log's value, whether the
 * mirror read it before or after the erasure rewrote it, gives the same result.
 */
export const scrubIdempotencyKeySql = `CASE WHEN idempotency_key IS NULL OR ${keptIdempotencyPrefixes
  .map((prefix) => `starts_with(idempotency_key, '${prefix}')`)
  .join(' OR ')} THEN idempotency_key ELSE concat('erased:', CAST(event_id AS STRING)) END`;
