import type { PersonDetail, PersonRecord } from '../../engine/people/person-record.js';
import { derivedTimezone, phoneOf } from '../../engine/people/phone.js';
import { maskName, maskPhone } from '../auth/mask.js';

export interface PersonSummary {
  id: string;
  channel: string;
  waId: string;
  phone: string;
  name: string | null;
  language: string | null;
  timezone: string;
  timezoneDerived: boolean;
  optIn: PersonRecord['opt_in'];
  blocked: boolean;
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

/** The people contract's shape; wa_id, phone and name masked unless `reveal`. */
export function presentPersonSummary(row: PersonRecord, reveal: boolean): PersonSummary {
  const phone = phoneOf(row.wa_id);
  return {
    id: row.id,
    channel: row.channel,
    waId: reveal ? row.wa_id : maskPhone(row.wa_id),
    phone: reveal ? phone : maskPhone(phone),
    name: row.name === null || reveal ? row.name : maskName(row.name),
    language: row.language,
    timezone: row.timezone ?? derivedTimezone(row.wa_id),
    timezoneDerived: row.timezone === null,
    optIn: row.opt_in,
    blocked: row.blocked,
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
