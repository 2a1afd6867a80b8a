import type { DuckDBConnection } from '@duckdb/node-api';
import { applyChargesSql } from './apply-charges.js';
import { applyContactActivitySql, applyContactsSql } from './apply-contacts.js';
import { applyConversationsSql } from './apply-conversations.js';
import { applyErasureSql, erasureLinksSql } from './apply-erasure.js';
import { applyIdentitiesSql, applyMarketingSql, applyMergesSql } from './apply-identities.js';
import { applyJourneyEventsSql, journeyEventTypes } from './apply-journey-events.js';
import { applyMessagesSql } from './apply-messages.js';
import { applyReminderSendsSql } from './apply-reminder-sends.js';
import { applyStatusesSql } from './apply-statuses.js';
import { applyTemplateEventsSql, templateEventTypes } from './apply-template-events.js';
import { extractEventsSql } from './extract-events.js';

/**
 * The transform: from the staged batch `_batch` and the warehouse's
 * current rows to row inserts and updates of every table. It is a deterministic function of
 * (batch, current state): the mirror, a rebuild and verify run these same statements, and
 * every fold is written so that any split of the log into batches gives identical rows
 * (warehouse/duckdb/rebuild.test.ts checks it on random histories).
 *
 * It runs in SQL rather than JavaScript because parsing payloads in JS was measured to halve the
 * read rate: JSON travels as text and DuckDB extracts typed columns.
 * Events of types it does not know, or of another schema_version, only reach events_raw.
 */
export interface TransformStatement {
  sql: string;
  /** Skipped when the batch holds none of these event types (saves time on small live batches). */
  when?: readonly string[];
  /**
   * A query giving the smallest and largest id the statement touches. `:lo` and `:hi` in `sql`
   * become those numbers, so DuckDB skips every row group of messages or conversations outside
   * them (ids grow with the log, so a live batch touches the last row groups): the cost of a
   * batch stays independent of the table's size. NULL when there are none.
   */
  bounds?: string;
}

const boundsOf = (column: string, from: string) => `SELECT min(${column}), max(${column}) FROM ${from}`;

const received = 'message.received';
const queued = 'message.queued';
const sent = 'message.sent';
const status = 'message.status';
const erased = 'contact.erased';

const [contactsInsert, changesInsert, contactsUpdate] = applyContactsSql;
const [messagesInbound, messagesOutbound, messagesSent, messagesMarked] = applyMessagesSql;
const [statusCandidates, statusLinked, statusMerge, statusUpdate, statusInsert] = applyStatusesSql;
const conversationsUpdate = applyConversationsSql.at(-1)!;

export const transformStatements: readonly TransformStatement[] = [
  {
    sql: `INSERT INTO events_raw BY NAME
    SELECT event_id, log_position, type, schema_version, occurred_at, recorded_at, contact_id, channel, source,
      idempotency_key, payload::JSON AS payload
    FROM _batch`,
  },
  // Typed views always run: later statements of this batch must never see the previous one's.
  ...extractEventsSql.map((sql) => ({ sql })),
  { sql: contactsInsert!, when: ['contact.created'] },
  { sql: changesInsert!, when: ['contact.updated'] },
  { sql: contactsUpdate!, when: ['contact.updated'] },
  { sql: applyIdentitiesSql, when: ['contact.identity_added', 'contact.identity_changed'] },
  { sql: applyMarketingSql, when: ['contact.marketing_preference'] },
  ...applyConversationsSql.slice(0, -1).map((sql) => ({ sql, when: [received, queued] })),
  {
    sql: conversationsUpdate,
    when: [received, queued],
    bounds: boundsOf('conversation_id', '_windows'),
  },
  { sql: messagesInbound!, when: [received] },
  { sql: messagesOutbound!, when: [queued] },
  { sql: messagesSent!, when: [sent], bounds: boundsOf('message_id', '_sent') },
  { sql: messagesMarked!, when: ['message.marked_read'] },
  { sql: erasureLinksSql, when: [erased] },
  { sql: statusCandidates!, when: [status, sent, erased] },
  { sql: statusLinked!, when: [erased] },
  {
    sql: statusMerge!,
    when: [status, sent, erased],
    bounds: boundsOf('message_id', '_status_candidates'),
  },
  {
    sql: statusUpdate!,
    when: [status, sent, erased],
    bounds: boundsOf('message_id', '_status_merge'),
  },
  { sql: statusInsert!, when: [status] },
  ...applyContactActivitySql.map((sql) => ({
    sql,
    when: [received, status],
    // Only a read status without its contact needs the message's row (ingest matches most).
    bounds: boundsOf('message_id', `_status WHERE status = 'read' AND contact_id IS NULL`),
  })),
  { sql: applyJourneyEventsSql, when: journeyEventTypes },
  { sql: applyChargesSql, when: ['charge.created'] },
  { sql: applyTemplateEventsSql, when: templateEventTypes },
  { sql: applyReminderSendsSql, when: ['reminder.send'] },
  // After this batch's messages, statuses, charges and reminder sends: rows of a merged person
  // move to the survivor.
  ...applyMergesSql.map((sql) => ({ sql, when: ['contact.merged'] })),
  // Last: it blanks what the statements above derived from events before the erasure.
  ...applyErasureSql.map((sql) => ({ sql, when: ['contact.erased'] })),
];

/** Runs the transform on `connection`, inside the caller's transaction. */
export async function transformBatch(connection: DuckDBConnection): Promise<void> {
  const present = await connection.runAndReadAll('SELECT DISTINCT type FROM _batch WHERE schema_version = 1');
  const types = new Set(present.getRows().map((row) => String(row[0])));
  for (const statement of transformStatements) {
    if (statement.when && !statement.when.some((type) => types.has(type))) continue;
    try {
      await connection.run(await withBounds(connection, statement));
    } catch (error) {
      const first = statement.sql.trim().split('\n')[0];
      throw new Error(`warehouse transform failed at "${first}": ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
}

export async function withBounds(
  connection: DuckDBConnection,
  statement: TransformStatement,
): Promise<string> {
  if (!statement.bounds) return statement.sql;
  const [lo, hi] = (await connection.runAndReadAll(statement.bounds)).getRows()[0] ?? [];
  // Ids are BIGINTs read back as bigint: their decimal text is a safe literal.
  const literal = (value: unknown) => (typeof value === 'bigint' ? value.toString() : 'NULL');
  return statement.sql.replaceAll(':lo', literal(lo)).replaceAll(':hi', literal(hi));
}
