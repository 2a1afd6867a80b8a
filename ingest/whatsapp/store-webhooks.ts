import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { DbOrTx } from '../../core/db/database.js';
import { append } from '../../core/log/append.js';
import { scrubPayload } from '../../core/log/erasure/scrub-payload.js';
import type { NewEvent } from '../../core/log/event.schema.js';
import { setMarketingPreference } from '../../core/people/set-marketing-preference.js';
import { firstSight } from '../contacts/first-sight.js';
import { advanceStatuses } from './advance-statuses.js';
import { erasedWamids } from './erased-wamids.js';
import { identityUpdates } from './identity-updates.js';
import { matchStatuses } from './match-statuses.js';
import type { InboundMessage } from './normalise-message.js';
import type { ParsedWebhook } from './parse-webhook.js';
import { applyTemplateStatuses } from './template-status-updates.js';

export interface WebhookToStore {
  parsed: ParsedWebhook;
  /** The body as received, kept whole when a part of it matched no schema. */
  rawBody: string;
}

/** What one webhook added; all zero but `duplicates` for a redelivered webhook. */
export interface StoreWebhookResult {
  messages: number;
  statuses: number;
  updates: number;
  unrecognised: number;
  /** Parts already stored by an earlier delivery of the same webhook. */
  duplicates: number;
}

const counted = {
  'message.received': 'messages',
  'message.status': 'statuses',
  'channel.update': 'updates',
  'template.status_changed': 'updates',
  'webhook.unrecognised': 'unrecognised',
} as const;

/**
 * Stores authenticated webhooks of one channel in the caller's transaction, in a few
 * statements whatever their number and size: contacts (first sight), inbound messages
 * (ON CONFLICT on the wamid detects redeliveries), one append of every event, then the
 * forward-only status update. Idempotency keys make a redelivery append nothing:
 * `msg:<wamid>`, `status:<wamid>:<status>`, and content hashes for updates and
 * unrecognised bodies. The channel's name is the rows' channel and the events' source.
 * Returns what each webhook added, in input order.
 */
export async function storeWebhooks(
  tx: DbOrTx,
  channel: string,
  webhooks: readonly WebhookToStore[],
): Promise<StoreWebhookResult[]> {
  const common = { source: channel, channel };
  const incoming = webhooks.flatMap((w, owner) => w.parsed.messages.map((m) => ({ m, owner })));
  const statuses = webhooks.flatMap((w) => w.parsed.statuses);
  const statusOwners = webhooks.flatMap((w, owner) => w.parsed.statuses.map(() => owner));
  const erased = await erasedWamids(tx, channel, [
    ...incoming.map(({ m }) => m.externalId),
    ...statuses.map((s) => s.externalId),
  ]);
  // A retried webhook of an erased person's message: already stored (under its hash).
  const messages = incoming.filter(({ m }) => !erased.erased.has(m.externalId));
  const updates = identityUpdates(webhooks.flatMap((w) => w.parsed.updates));
  // One resolution for the whole batch: its locks are taken in one sorted statement.
  const sight = await firstSight(tx, {
    channel,
    source: channel,
    by: 'whatsapp',
    sightings: [
      ...messages.map(({ m }) => ({
        // A number change reports the old number as the sender: the person is found by it.
        waId: m.newPhone ?? m.waId,
        previousPhone: m.newPhone ? m.waId : null,
        bsuid: m.bsuid,
        parentBsuid: m.parentBsuid,
        username: m.username,
        name: m.profileName,
        seenAt: m.occurredAt,
        inboundAt: m.opensWindow ? m.occurredAt : null,
        previousBsuid: m.previousBsuid,
        ...(m.identityChange && { reason: m.identityChange }),
      })),
      ...statuses.map((st) => ({
        waId: st.recipient?.phone ?? null,
        bsuid: st.recipient?.bsuid ?? null,
        parentBsuid: st.recipient?.parentBsuid ?? null,
        name: null,
        seenAt: st.occurredAt,
        inboundAt: null,
        findOnly: true,
      })),
      ...updates.identities.map((u) => ({
        waId: u.phone,
        bsuid: u.bsuid,
        parentBsuid: u.parentBsuid,
        previousBsuid: u.previousBsuid,
        name: null,
        seenAt: u.occurredAt,
        inboundAt: null,
        reason: 'user_id_update',
        findOnly: true,
      })),
      // A preference of someone unknown still makes a person: an opt-out must not be lost.
      ...updates.preferences.map((u) => ({
        waId: u.phone,
        bsuid: u.bsuid,
        parentBsuid: u.parentBsuid,
        name: u.name,
        seenAt: u.occurredAt,
        inboundAt: null,
      })),
    ],
  });
  const messageContactIds = sight.contactIds.slice(0, messages.length);
  const statusContactIds = sight.contactIds.slice(messages.length, messages.length + statuses.length);
  const preferenceContactIds = sight.contactIds.slice(
    messages.length + statuses.length + updates.identities.length,
  );
  const messageIds = await insertMessages(
    tx,
    channel,
    messages.map(({ m }) => m),
    messageContactIds,
  );
  // After resolution: a merge above has already moved the messages these statuses are about.
  const matches = await matchStatuses(tx, channel, statuses, erased);
  const preferenceEvents: NewEvent[] = [];
  for (const [i, u] of updates.preferences.entries()) {
    const contactId = preferenceContactIds[i];
    if (!contactId) continue;
    preferenceEvents.push(
      ...(await setMarketingPreference(tx, {
        channel,
        eventSource: channel,
        preference: { contactId, optIn: u.optIn, at: u.occurredAt, source: 'whatsapp', detail: u.detail },
      })),
    );
  }

  // Contact events belong to no single webhook: they are not counted per webhook.
  const events: NewEvent[] = [...sight.events, ...preferenceEvents];
  const owners: (number | null)[] = events.map(() => null);
  const add = (owner: number, event: NewEvent) => {
    events.push(event);
    owners.push(owner);
  };
  const results = webhooks.map(() => ({
    messages: 0,
    statuses: 0,
    updates: 0,
    unrecognised: 0,
    duplicates: 0,
  }));
  for (const { m, owner } of incoming) if (erased.erased.has(m.externalId)) results[owner]!.duplicates += 1;
  messages.forEach(({ m, owner }, i) => {
    const id = messageIds[i];
    if (!id) {
      results[owner]!.duplicates += 1;
      return;
    }
    add(owner, {
      ...common,
      type: 'message.received',
      contact_id: messageContactIds[i] ?? null,
      occurred_at: m.occurredAt,
      idempotency_key: `msg:${m.externalId}`,
      payload: { ...m.payload, message_id: id },
    });
  });
  statuses.forEach((s, i) => {
    const match = matches[i];
    // A late status of an erased person's message carries their number (recipient_id) and
    // the wamid that encodes it: it is logged as the erasure left their earlier events
    // (core/log/erasure), under the same hashed key, so a retry of it is still a duplicate.
    const hashed = match?.contactErased ? erased.hashOf(s.externalId) : null;
    add(statusOwners[i]!, {
      ...common,
      type: 'message.status',
      contact_id: match?.contactId ?? statusContactIds[i] ?? null,
      occurred_at: s.occurredAt,
      idempotency_key: `status:${hashed ?? s.externalId}:${s.status}`,
      payload: hashed
        ? // Keeps status and timestamp and the hashed external_id: still a valid status payload.
          {
            ...(scrubPayload('message.status', 1, s.payload, () => hashed) as typeof s.payload),
            message_id: match!.messageId,
          }
        : { ...s.payload, message_id: match?.messageId ?? null },
    });
  });
  const templateStatuses = await applyTemplateStatuses(
    tx,
    webhooks.flatMap((w) => w.parsed.updates),
  );
  let update = 0;
  webhooks.forEach(({ parsed, rawBody }, owner) => {
    for (const u of parsed.updates) {
      const idempotencyKey = `update:${sha256(JSON.stringify([u.entryId, u.occurredAt?.getTime(), u.field, u.value]))}`;
      const templateStatus = templateStatuses[update++];
      if (templateStatus) {
        add(owner, {
          ...common,
          type: 'template.status_changed',
          occurred_at: u.occurredAt,
          idempotency_key: idempotencyKey,
          payload: templateStatus,
        });
        continue;
      }
      add(owner, {
        ...common,
        type: 'channel.update',
        occurred_at: u.occurredAt,
        idempotency_key: idempotencyKey,
        payload: { field: u.field, value: u.value, entry_id: u.entryId },
      });
    }
    if (parsed.unmatched.length > 0) {
      add(owner, {
        ...common,
        type: 'webhook.unrecognised',
        idempotency_key: `unrecognised:${sha256(rawBody)}`,
        payload: {
          reason: `no schema matched ${parsed.unmatched.join(', ')}`,
          raw_body: rawBody,
          issues: parsed.issues,
        },
      });
    }
  });

  const appended = await append(tx, events);
  await advanceStatuses(tx, statuses, matches);

  events.forEach((event, i) => {
    const owner = owners[i];
    if (owner == null) return;
    if (appended.ids[i] === null) results[owner]!.duplicates += 1;
    else results[owner]![counted[event.type as keyof typeof counted]] += 1;
  });
  return results;
}

/**
 * Inserts inbound messages in one statement; a wamid already stored (a redelivery, or a
 * repeat within the batch) gets no row. Returns our id per message, null for repeats.
 */
async function insertMessages(
  tx: DbOrTx,
  channel: string,
  messages: readonly InboundMessage[],
  contactIds: readonly (string | null)[],
): Promise<(string | null)[]> {
  if (messages.length === 0) return [];
  const { rows } = await sql<{ id: string; external_id: string }>`
    insert into messages (channel, contact_id, direction, kind, external_id, status, status_at)
    select ${channel}, m.contact_id, 'inbound', m.kind, m.external_id, 'received', m.status_at
    from unnest(
      ${messages.map((_, i) => contactIds[i] ?? null)}::bigint[], ${messages.map((m) => m.type)}::text[],
      ${messages.map((m) => m.externalId)}::text[], ${messages.map((m) => m.occurredAt.toISOString())}::timestamptz[]
    ) with ordinality as m(contact_id, kind, external_id, status_at, ord)
    order by m.ord
    on conflict (channel, external_id) do nothing
    returning id::text, external_id`.execute(tx);
  const idByExternalId = new Map(rows.map((r) => [r.external_id, r.id]));
  return messages.map((m) => {
    const id = idByExternalId.get(m.externalId) ?? null;
    idByExternalId.delete(m.externalId);
    return id;
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
