/**
 * The operating notes of docs/warehouse.md (the data dictionary is generated around them,
 * so the whole page stays one generated file).
 */
export const warehouseGuide = `## How the mirror works

- One process (the platform) owns \`<data dir>/warehouse.duckdb\` and runs the mirror
  (\`startMirror\` in warehouse/duckdb/mirror.ts). It reads the Postgres log after its own cursor,
  which it stores in the DuckDB table \`_mirror_cursor\` in the same DuckDB transaction as the
  rows of each batch: a crash at any point neither loses nor doubles a row. It follows the
  log's (xid, id) horizon rule (DESIGN.md), wakes on \`NOTIFY parley_events\` and polls every 5 s.
- Pages of the log travel as CSV straight from Postgres (\`COPY ... TO STDOUT\`) into DuckDB's
  CSV reader; the transform (warehouse/transform) is SQL run by DuckDB on each page.
- \`/health\` shows the mirror's cursor, lag in events and seconds, last batch, last checkpoint
  and last error (\`mirror.status()\`); \`GET /v1/warehouse/status\` (permission \`insights.read\`) and
  the tRPC procedure \`warehouse.status\` show the same, with the BigQuery export's last exported
  event, lag, last error and next attempt when it is configured.
- A warehouse file built by other table definitions or another transform is rebuilt from the log
  when the mirror opens it (the version is stored in \`_mirror_meta\`).

## Reading the warehouse

- \`mirror.query(sql, params)\`: for SQL written in Parley's code (segments, insights, exports).
  One SELECT on a connection of the writer's own DuckDB instance: it sees every committed batch
  and never blocks the writer (DuckDB's MVCC).
- \`mirror.sandbox(sql, { canReadPii, timeoutMs, rowLimit })\` (warehouse/sandbox): the one entry for
  SQL that people write (segments now, notebooks later). \`canReadPii\` is required: the caller's
  \`pii.read\` permission. It runs in a separate in-memory DuckDB instance that attaches the file
  read-only, with external access disabled and its configuration locked: it cannot write, read files
  or change settings. Freshness: a sandboxed view includes every batch committed before it was
  opened (attaching replays the write-ahead log) and is reused for at most \`readerMaxAgeMs\`
  (default 1 s) after a newer commit. Before each checkpoint the mirror waits for running sandboxed
  queries (at most 5 s, then interrupts them) and closes their views, because a checkpoint may
  reuse file blocks an old view still reads. DuckDB's parser must find exactly one SELECT, errors
  carry the line and column, and results the log position and time of the view. Segments run here
  ([segments.md](segments.md)).

## Personal data in user SQL

Each sandboxed instance holds two catalogues of views over the attached file: \`full\` (the tables as
they are) and \`masked\`. SQL of someone without \`pii.read\` runs with \`masked\` as its only schema; with
\`pii.read\` it gets \`full\`. The column \`personal\` of the tables below says how each personal column
reads in \`masked\`, decided by the \`pii\` marker of the table definitions (warehouse/tables), so a new
table or column follows the same rule:

- **hashed**: \`anon_\` and 16 hex digits of SHA-256 over a secret key and the value (phone numbers,
  BSUIDs, usernames, media ids). Equal values hash alike, so joins and distinct counts still work,
  but a guess cannot be hashed and compared: the key is random per process (hashes change when
  Parley restarts; do not save them in a segment).
- **initials**: names keep their initials (\`Thandi Mokoena\` reads \`T*** M***\`), as the dashboard shows them.
- **redacted**: free text (message texts, captions, file names, error details, callback data) reads
  \`[redacted]\` (null stays null); a location reads null.
- **custom fields**: the JSON object keeps the values of custom fields of every type but \`text\`
  (choices, numbers, dates, booleans), so segments on them work; text fields read \`"[redacted]"\`.
- **changed values**: \`contact_changes\` keeps values of \`language\`, \`timezone\`, \`opt_in\`, \`blocked\`,
  \`labels\` and non-text custom fields; other values read \`"[redacted]"\`.
- **payload**: \`events_raw.payload\` reads \`{}\` (type, times, contact and channel stay).
- Labels are not personal: the team assigns them, the person never types them.

The rule holds for whatever the SQL does (counts, \`error()\`, casts), because the query never reads
the real values. Tables must be named plainly (\`contacts\`, not \`warehouse.contacts\` or
\`memory.full.contacts\`), and only the generator table functions (\`range\`, \`generate_series\`,
\`unnest\`) may be called, so the attached file and the \`full\` views stay out of reach.

Errors never echo data values, for every caller: errors raised before the query reads data
(Parser, Binder, Catalog, Permission) are kept whole; in others every quoted string and every number
of three or more digits that the SQL itself does not contain reads \`…\`, and an Invalid Input Error
(what \`error()\` raises) keeps only its class.

## Limits on user SQL

User SQL runs in the platform's process, next to webhooks and the sender: other processes cannot
open the warehouse file while the mirror writes it (DuckDB locks it), so a separate reader process is
not possible. It is bounded instead:

- each sandboxed instance runs on one thread, with a memory limit (\`sandboxMemoryLimit\`, 1 GB) and at
  most 1 GB of spill files in \`<data dir>/sandbox-tmp\`;
- at most two queries run at once (\`sandboxConcurrency\`); another waits up to 2 s, then gets HTTP 429 /
  tRPC TOO_MANY_REQUESTS "the SQL sandbox is busy";
- a statement timeout (10 s by default) interrupts a query;
- DuckDB builds the strings and lists of \`repeat\`, \`lpad\`, \`rpad\`, \`printf\`, \`format\`, \`bar\`, scalar
  \`range\` / \`generate_series\` and \`list_resize\` outside its memory limit, and an interrupt does not stop a
  scalar function mid-way (\`repeat('x', 100000000 + range)\` over 100 rows reached 10 GB); so these
  need constant sizes of at most 100,000, \`repeat\` a constant text, and recursive CTEs (which can
  double a string each round) are refused;
- a tRPC batch carries at most 20 calls.

- Other processes cannot open the file while the platform runs (DuckDB locks it); use the
  commands below, or the Parquet lake.

## Commands

\`npm run warehouse -- <command>\` reads \`DATABASE_URL\` and \`PARLEY_DATA_DIR\` (core/config.ts). Without
\`DATABASE_URL\` it connects to the platform's embedded Postgres when that is running (port from
\`<data dir>/postgres/postmaster.pid\`), or starts it for the duration of the command.

- \`docs\`: regenerates this page from warehouse/tables (a test fails when it is stale).
- \`rebuild\`: builds \`warehouse.rebuild-<time>.duckdb\` from the whole log, then swaps it in with an
  atomic rename. If the platform is running, the CLI leaves a request in \`<data dir>/warehouse-control/\`
  and the running mirror does the swap between two batches (closing its readers first), then catches
  up from the rebuilt file's cursor. Otherwise the CLI swaps the file itself while holding its lock.
- \`verify\`: transforms the log again in a fresh in-memory DuckDB up to the warehouse's cursor and
  compares, table by table, row counts and a checksum over every column (sum of row hashes). It prints
  each table and exits 1 on any difference. While the platform runs, the mirror computes its side.
  With BigQuery configured (\`BIGQUERY_PROJECT\`, \`BIGQUERY_DATASET\`) it then compares each BigQuery
  table, up to that table's export cursor, with the same rows of the mirror: row count and a sum of
  md5 hashes of one text per row (timestamps as epoch microseconds, JSON as compact text, other values
  cast to text). BigQuery sends that text for every exported row, so this reads (and bills) every
  exported column once. Current-state tables (\`contacts\`, \`messages\`, \`conversations\`) are compared
  through their latest row per key, only once their export has reached the mirror's cursor; before
  that they print "not compared". A FLOAT64 can print differently in the two engines (location
  coordinates): a difference there alone is worth a look at the rows before anything else.
- \`export-parquet DIR\`: the Parquet lake, see [parquet.md](parquet.md).
`;
