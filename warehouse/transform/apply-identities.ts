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
  ...mergeMovedTables.map(
    (table) => `UPDATE ${table} SET contact_id = g.surviving_contact_id
    FROM _merged g WHERE ${table}.contact_id = g.merged_contact_id`,
  ),
  `UPDATE contacts SET
      first_message_received_at = CASE
        WHEN contacts.first_message_received_at IS NULL THEN m.first_message_received_at
        WHEN m.first_message_received_at IS NULL THEN contacts.first_message_received_at
        ELSE least(contacts.first_message_received_at, m.first_message_received_at) END,
      last_message_received_at = greatest(contacts.last_message_received_at, m.last_message_received_at),
      last_seen_at = greatest(contacts.last_seen_at, m.last_seen_at),
      updated_log_position = greatest(contacts.updated_log_position, g.log_position)
    FROM _merged g JOIN contacts m ON m.contact_id = g.merged_contact_id
    WHERE contacts.contact_id = g.surviving_contact_id`,
  `DELETE FROM contacts WHERE contact_id IN (SELECT merged_contact_id FROM _merged)`,
];
