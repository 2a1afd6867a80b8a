import type { PersonDetail, PersonRecord } from '../../engine/people/index.js';
import { derivedTimezone, phoneOf } from '../../engine/people/index.js';
import { maskBsuid, maskName, maskPhone, maskUsername } from '../auth/mask.js';

export interface PersonSummary {
  id: string;
  channel: string;
  /** Phone number; null for a person Meta shares no number of. */
  waId: string | null;
  phone: string | null;
  bsuid: string | null;
  parentBsuid: string | null;
  username: string | null;
  name: string | null;
  language: string | null;
  timezone: string;
  timezoneDerived: boolean;
  optIn: PersonRecord['opt_in'];
  blocked: boolean;
  marketingOptIn: PersonRecord['marketing_opt_in'];
  marketingOptInAt: string | null;
  marketingOptInSource: string | null;
  labels: string[];
  fields: Record<string, unknown>;
  lastMessageReceivedAt: string | null;
  createdAt: string;
  masked: boolean;
}

export interface Person extends PersonSummary {
  firstMessageReceivedAt: string | null;
  lastSeenAt: string | null;
  updatedAt: string;
  erasedAt: string | null;
}

/** The people contract's shape; wa_id, phone, BSUIDs, username and name masked unless `reveal`. */
export function presentPersonSummary(row: PersonRecord, reveal: boolean): PersonSummary {
  const phone = row.wa_id === null ? null : phoneOf(row.wa_id);
  const hide = <T extends string>(value: T | null, mask: (v: T) => string) =>
    value === null || reveal ? value : mask(value);
  return {
    id: row.id,
    channel: row.channel,
    waId: hide(row.wa_id, maskPhone),
    phone: hide(phone, maskPhone),
    bsuid: hide(row.bsuid, maskBsuid),
    parentBsuid: hide(row.parent_bsuid, maskBsuid),
    username: hide(row.username, maskUsername),
    name: hide(row.name, maskName),
    language: row.language,
    timezone: row.timezone ?? (row.wa_id === null ? 'UTC' : derivedTimezone(row.wa_id)),
    timezoneDerived: row.timezone === null,
    optIn: row.opt_in,
    blocked: row.blocked,
    marketingOptIn: row.marketing_opt_in,
    marketingOptInAt: row.marketing_opt_in_at?.toISOString() ?? null,
    marketingOptInSource: row.marketing_opt_in_source,
    labels: row.labels,
    fields: row.fields,
    lastMessageReceivedAt: row.last_inbound_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    masked: !reveal,
  };
}

export function presentPerson(row: PersonDetail, reveal: boolean): Person {
  return {
    ...presentPersonSummary(row, reveal),
    firstMessageReceivedAt: row.first_message_received_at?.toISOString() ?? null,
    lastSeenAt: row.last_seen_at?.toISOString() ?? null,
    updatedAt: row.updated_at.toISOString(),
    erasedAt: row.erased_at?.toISOString() ?? null,
  };
}
