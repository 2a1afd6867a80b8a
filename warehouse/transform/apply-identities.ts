/**
 * Identities, marketing preferences and merges of people (docs/identities.md).
 * - contact.identity_added / identity_changed set wa_id, bsuid, parent_bsuid or username:
 *   per person and kind, the last event in log order wins.
 * - contact.marketing_preference sets marketing_opt_in, its time and source (last wins).
 * - contact.merged moves the merged person's messages, statuses, charges and reminder sends to
 *   the survivor, so that what a person cost and which reminders reached them add up under one
 *   id, as their messages do (their conversations keep the id they were opened with: windows
 *   are per id), folds their activity into the survivor's, and removes their contacts row, so that a person's
 *   messages count once, under the survivor. It runs after the batch's messages, statuses,
 *   charges and reminder sends are inserted, so that rows of the merged person from earlier in
 *   the same batch move too.
 * Every fold gives the same rows for any split of the log into batches.
 */
export const applyIdentitiesSql = `UPDATE contacts SET
      wa_id = CASE WHEN i.has_phone THEN i.phone ELSE contacts.wa_id END,
      bsuid = CASE WHEN i.has_bsuid THEN i.bsuid ELSE contacts.bsuid END,
      parent_bsuid = CASE WHEN i.has_parent THEN i.parent ELSE contacts.parent_bsuid END,
      username = CASE WHEN i.has_username THEN i.username ELSE contacts.username END,
      updated_at = greatest(contacts.updated_at, i.changed_at),
      updated_log_position = greatest(contacts.updated_log_position, i.log_position)
    FROM (
      SELECT contact_id,
        bool_or(kind = 'phone') AS has_phone, max(value) FILTER (WHERE kind = 'phone') AS phone,
        bool_or(kind = 'bsuid') AS has_bsuid, max(value) FILTER (WHERE kind = 'bsuid') AS bsuid,
        bool_or(kind = 'parent_bsuid') AS has_parent, max(value) FILTER (WHERE kind = 'parent_bsuid') AS parent,
        bool_or(kind = 'username') AS has_username, max(value) FILTER (WHERE kind = 'username') AS username,
        max(occurred_at) AS changed_at, max(log_position) AS log_position
      FROM (SELECT * FROM _identities
            QUALIFY row_number() OVER (PARTITION BY contact_id, kind ORDER BY log_position DESC) = 1)
      GROUP BY contact_id
    ) i
    WHERE contacts.contact_id = i.contact_id`;

export const applyMarketingSql = `UPDATE contacts SET
      marketing_opt_in = m.marketing_opt_in,
      marketing_opt_in_at = m.at,
      marketing_opt_in_source = m.source,
      updated_at = greatest(contacts.updated_at, m.occurred_at),
      updated_log_position = greatest(contacts.updated_log_position, m.log_position)
    FROM (SELECT * FROM _marketing WHERE contact_id IS NOT NULL
          QUALIFY row_number() OVER (PARTITION BY contact_id ORDER BY log_position DESC) = 1) m
    WHERE contacts.contact_id = m.contact_id`;

/**
 * The tables whose rows follow a merged person to the survivor (contact_id rewritten); the
 * BigQuery export and the Parquet lake apply the same moves to rows they loaded before.
 */
export const mergeMovedTables = ['messages', 'message_statuses', 'charges', 'reminder_sends'] as const;

export const applyMergesSql: readonly string[] = [
  // Where each person merged in this batch ends up: following later merges of their survivor
  // in the same batch (A into B, then B into C: A's rows go to C), as two batches would.
  `CREATE OR REPLACE TEMP TABLE _merge_into AS
    WITH RECURSIVE chain(merged_contact_id, surviving_contact_id, log_position, hops) AS (
      SELECT merged_contact_id, surviving_contact_id, log_position, 0 FROM _merged
      UNION ALL
      SELECT c.merged_contact_id, g.surviving_contact_id, g.log_position, c.hops + 1
      FROM chain c JOIN _merged g ON g.merged_contact_id = c.surviving_contact_id AND g.log_position > c.log_position
    )
    SELECT merged_contact_id, arg_max(surviving_contact_id, hops) AS surviving_contact_id,
      max(log_position) AS log_position
    FROM chain GROUP BY merged_contact_id`,
  ...mergeMovedTables.map(
    (table) => `UPDATE ${table} SET contact_id = g.surviving_contact_id
    FROM _merge_into g WHERE ${table}.contact_id = g.merged_contact_id`,
  ),
  // One row per survivor: everyone merged into them in this batch, folded at once.
  `UPDATE contacts SET
      first_message_received_at = CASE
        WHEN contacts.first_message_received_at IS NULL THEN m.first_message_received_at
        WHEN m.first_message_received_at IS NULL THEN contacts.first_message_received_at
        ELSE least(contacts.first_message_received_at, m.first_message_received_at) END,
      last_message_received_at = greatest(contacts.last_message_received_at, m.last_message_received_at),
      last_seen_at = greatest(contacts.last_seen_at, m.last_seen_at),
      updated_log_position = greatest(contacts.updated_log_position, m.log_position)
    FROM (SELECT g.surviving_contact_id, min(c.first_message_received_at) AS first_message_received_at,
            max(c.last_message_received_at) AS last_message_received_at, max(c.last_seen_at) AS last_seen_at,
            max(g.log_position) AS log_position
          FROM _merge_into g JOIN contacts c ON c.contact_id = g.merged_contact_id
          GROUP BY g.surviving_contact_id) m
    WHERE contacts.contact_id = m.surviving_contact_id`,
  `DELETE FROM contacts WHERE contact_id IN (SELECT merged_contact_id FROM _merge_into)`,
];
