import { replaceNul } from '../../core/db/replace-nul.js';
import { type InboundMessage, normaliseMessage, type PayloadIssue } from './normalise-message.js';
import { type InboundStatus, normaliseStatus } from './normalise-status.js';
import {
  messagesValueSchema,
  otherFieldValueSchema,
  webhookPayloadSchema,
} from './webhook-payload.schema.js';

/** An account-level change (template status, quality rating, account update...). */
export interface ChannelUpdate {
  field: string;
  value: Record<string, unknown>;
  entryId: string;
  occurredAt: Date | undefined;
}

export interface ParsedWebhook {
  messages: InboundMessage[];
  statuses: InboundStatus[];
  updates: ChannelUpdate[];
  /** Paths of the parts that matched no schema (`(body)` for the whole body); stored raw, never dropped. */
  unmatched: string[];
  /** Why, with full dotted paths. */
  issues: { path: string; message: string }[];
}

/**
 * Splits a webhook body (already authenticated and JSON-parsed) into messages, statuses and
 * account-level updates. Each part is validated on its own: a message that matches no
 * schema is reported in `issues` and does not stop the others.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components
 */
export function parseWebhook(received: unknown): ParsedWebhook {
  // NUL in any text (a message, a name) would make Postgres refuse the whole write.
  const body = replaceNul(received);
  const parsed: ParsedWebhook = { messages: [], statuses: [], updates: [], unmatched: [], issues: [] };
  const report = (prefix: PropertyKey[], issues: readonly PayloadIssue[]) => {
    parsed.unmatched.push(prefix.length === 0 ? '(body)' : prefix.join('.'));
    for (const issue of issues) {
      parsed.issues.push({ path: [...prefix, ...issue.path].map(String).join('.'), message: issue.message });
    }
  };

  const envelope = webhookPayloadSchema.safeParse(body);
  if (!envelope.success) {
    report([], envelope.error.issues);
    return parsed;
  }
  for (const [e, entry] of envelope.data.entry.entries()) {
    for (const [c, change] of entry.changes.entries()) {
      const at = ['entry', e, 'changes', c, 'value'];
      const update = { field: change.field, entryId: entry.id, occurredAt: entry.time };
      if (change.field !== 'messages') {
        const value = otherFieldValueSchema.safeParse(change.value);
        if (value.success) parsed.updates.push({ ...update, value: value.data });
        else report(at, value.error.issues);
        continue;
      }
      const value = messagesValueSchema.safeParse(change.value);
      if (!value.success) {
        report(at, value.error.issues);
        continue;
      }
      const { messages = [], statuses = [] } = value.data;
      // Only errors or metadata: nothing to deliver, kept as an update of the channel.
      if (messages.length === 0 && statuses.length === 0) {
        parsed.updates.push({ ...update, value: change.value as Record<string, unknown> });
      }
      for (const [i, raw] of messages.entries()) {
        const result = normaliseMessage(raw, value.data);
        if (result.ok) parsed.messages.push(result.message);
        else report([...at, 'messages', i], result.issues);
      }
      for (const [i, raw] of statuses.entries()) {
        const result = normaliseStatus(raw);
        if (result.ok) parsed.statuses.push(result.status);
        else report([...at, 'statuses', i], result.issues);
      }
    }
  }
  return parsed;
}
