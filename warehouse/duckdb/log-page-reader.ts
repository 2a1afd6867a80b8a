import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { logReadOrder, logReadRule } from '../../core/log/read-rule.js';
import { copyColumns, csvDelimiter } from '../transform/stage-batch.js';

/** A position in the log, (xid, id) of the last event read (DESIGN.md, "Data flow"). */
export interface LogKey {
  xid: string;
  id: string;
}

export interface PageOptions {
  limit: number;
  /** Never past this key (verify reads the log up to the mirror's cursor). */
  until?: LogKey;
}

/** A page streamed into a file (readToFile). */
export interface LogPageFile {
  file: string;
  bytes: number;
  events: number;
  last: LogKey | null;
}

export interface LogPage {
  /** The rows as CSV, in (xid, id) order, columns as `copyColumns`. */
  csv: Buffer;
  /** Key of the last row, or null for an empty page. */
  last: LogKey | null;
  /** Rows in the page (COPY's own count). */
  events: number;
}

const digits = /^\d{1,20}$/;

const copyExpressions: Partial<Record<(typeof copyColumns)[number], string>> = {
  page_row: 'row_number() OVER (ORDER BY e.xid, e.id)',
  event_id: 'e.id',
};

/**
 * Reads the log for the mirror with `COPY (query) TO STDOUT`: Postgres writes the page as
 * CSV and the mirror hands the bytes to DuckDB's CSV reader untouched, so no row is parsed
 * in JavaScript (moving the payload as text is much faster than parsing it in JS). The query
 * follows the log's read rule (core/log/read-rule.ts) after `after`, and never goes past
 * `until` (verify reads the log up to the mirror's cursor).
 *
 * COPY takes no bind parameters, so keys are inlined after checking they are only digits.
 */
export class LogPageReader {
  private client: pg.Client | undefined;

  constructor(private readonly databaseUrl: string) {}

  /** Reads one page into memory. */
  async read(after: LogKey, options: PageOptions): Promise<LogPage> {
    const chunks: Buffer[] = [];
    const events = await this.copyPage(after, options, async (stream) => {
      for await (const chunk of stream) chunks.push(chunk as Buffer);
    });
    const csv = Buffer.concat(chunks);
    return { csv, last: lastKey(csv), events };
  }

  /**
   * Streams one page into `file`, so a catch-up page of hundreds of MB never sits in this
   * process's memory; only the page's tail is kept, for its last key.
   */
  async readToFile(after: LogKey, options: PageOptions, file: string): Promise<LogPageFile> {
    let tail: Buffer = Buffer.alloc(0);
    let bytes = 0;
    const events = await this.copyPage(after, options, async (stream) => {
      const keepTail = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          bytes += chunk.length;
          // Two fields of at most 20 digits and their delimiters end the last line. A whole
          // chunk is kept as it is (a view, no copy); only a short one is joined to the tail.
          tail = chunk.length >= 256 ? chunk : Buffer.concat([tail, chunk]).subarray(-256);
          done(null, chunk);
        },
      });
      await pipeline(stream, keepTail, createWriteStream(file));
    });
    return { file, bytes, events, last: lastKey(tail) };
  }

  private async copyPage(
    after: LogKey,
    options: PageOptions,
    consume: (stream: NodeJS.ReadableStream) => Promise<void>,
  ): Promise<number> {
    const client = await this.connect();
    const bound = options.until
      ? `AND (e.xid, e.id) <= (${key(options.until.xid)}::xid8, ${key(options.until.id)}::bigint)`
      : '';
    const columns = copyColumns.map((c) => copyExpressions[c] ?? `e.${c}`).join(', ');
    const query = `COPY (SELECT ${columns} FROM events e
      WHERE ${logReadRule(after, 'e')} ${bound}
      ORDER BY ${logReadOrder('e')} LIMIT ${Math.max(1, Math.floor(options.limit))})
      TO STDOUT WITH (FORMAT csv, DELIMITER E'\\x1f', QUOTE E'\\x01')`;
    const stream = client.query(copyTo(query));
    try {
      await consume(stream);
    } catch (error) {
      await this.close();
      throw error;
    }
    return stream.rowCount;
  }

  /** Whether committed events exist after `after`, below the horizon or not (is the mirror waiting?). */
  async hasEventsAfter(after: LogKey): Promise<boolean> {
    const client = await this.connect();
    const result = await client.query(
      'SELECT EXISTS (SELECT 1 FROM events WHERE (xid, id) > ($1::xid8, $2::bigint)) AS behind',
      [after.xid, after.id],
    );
    return result.rows[0]?.behind === true;
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on('error', () => {
      if (this.client === client) this.client = undefined;
    });
    await client.connect();
    // Timestamps in UTC ISO form ('2026-11-25 10:00:00.123+00'), which DuckDB reads as TIMESTAMPTZ.
    await client.query(`SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'`);
    this.client = client;
    return client;
  }
}

function key(value: string): string {
  if (!digits.test(value)) throw new Error(`invalid log key ${JSON.stringify(value)}`);
  return `'${value}'`;
}

const delimiter = csvDelimiter.charCodeAt(0);

/** The last two fields of the last line are the row's xid and id: plain digits, never quoted. */
export function lastKey(csv: Buffer): LogKey | null {
  if (csv.length === 0) return null;
  let end = csv.length;
  if (csv[end - 1] === 0x0a) end--;
  if (csv[end - 1] === 0x0d) end--;
  const idStart = csv.lastIndexOf(delimiter, end - 1) + 1;
  const xidStart = csv.lastIndexOf(delimiter, idStart - 2) + 1;
  const id = csv.toString('latin1', idStart, end);
  const xid = csv.toString('latin1', xidStart, idStart - 1);
  if (!digits.test(id) || !digits.test(xid)) throw new Error(`unexpected end of a log page: ${xid},${id}`);
  return { xid, id };
}
