import { copyColumns, csvDelimiter, csvQuote } from '../transform/stage-batch.js';

/** A log row as the mirror reads it; `payload` is an object or JSON text. */
export interface LogRow {
  id: bigint | number | string;
  xid?: bigint | number | string;
  type: string;
  schema_version?: number;
  occurred_at: Date | string;
  recorded_at?: Date | string;
  contact_id?: bigint | number | string | null;
  channel?: string | null;
  source?: string;
  idempotency_key?: string | null;
  payload: unknown;
}

/**
 * Encodes log rows as the mirror's COPY query makes Postgres write them (stage-batch.ts:
 * NULL unquoted-empty, strings quoted with the quote character doubled inside), so tests
 * feed the transform through the mirror's own staging path.
 */
export function toCopyCsv(rows: readonly LogRow[]): string {
  return rows
    .map((row, index) => {
      const values: Record<(typeof copyColumns)[number], unknown> = {
        page_row: index + 1,
        type: row.type,
        schema_version: row.schema_version ?? 1,
        occurred_at: iso(row.occurred_at),
        recorded_at: iso(row.recorded_at ?? row.occurred_at),
        contact_id: row.contact_id ?? null,
        channel: row.channel ?? null,
        source: row.source ?? 'test',
        idempotency_key: row.idempotency_key ?? null,
        payload: typeof row.payload === 'string' ? row.payload : JSON.stringify(row.payload),
        xid: row.xid ?? 1,
        event_id: row.id,
      };
      return `${copyColumns.map((c) => field(values[c])).join(csvDelimiter)}\n`;
    })
    .join('');
}

function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : value;
}

function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return `${csvQuote}${String(value).replaceAll(csvQuote, csvQuote + csvQuote)}${csvQuote}`;
}
