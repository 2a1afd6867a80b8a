import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import { checkReach } from './check-reach.js';
import { positionAt, SqlError } from './sql-error.js';

/** What json_serialize_sql returns (only the fields read here). */
const serializedSchema = z.object({
  error: z.boolean(),
  error_message: z.string().optional(),
  position: z.coerce.number().optional(),
  statements: z.array(z.unknown()).optional(),
});

/**
 * Refuses anything but exactly one SELECT, using DuckDB's own parser: `json_serialize_sql`
 * only serialises SELECT statements and reports parse errors with an offset, and it returns
 * every statement of the text, so `select 1; select 2` is caught too. A regex would be fooled
 * by comments, quoting and DuckDB's FROM-first syntax. The parsed tree is then checked for
 * what the statement may reach and build (check-reach.ts).
 */
export async function checkSingleSelect(connection: DuckDBConnection, sql: string): Promise<void> {
  if (sql.trim() === '') throw new SqlError('the query is empty');
  const reader = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
  const result = serializedSchema.parse(JSON.parse(String(reader.getRows()[0]?.[0] ?? '{}')));
  if (result.error) {
    if (result.error_message?.startsWith('Only SELECT statements')) {
      throw new SqlError('only a single SELECT statement is allowed (no writes, DDL, PRAGMA, SET, COPY...)');
    }
    const position = result.position === undefined ? null : positionAt(sql, result.position);
    throw new SqlError(`Parser Error: ${result.error_message ?? 'syntax error'}`, position);
  }
  const count = result.statements?.length ?? 0;
  if (count !== 1) {
    throw new SqlError(`exactly one SELECT statement is allowed, found ${count}`);
  }
  checkReach(sql, result.statements?.[0]);
}
