import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/setup/test-database.js';

const { db } = await createTestDatabase();

/** Table name -> column names, read from the hand-written Kysely types in schema.ts. */
function typedColumns(): Map<string, string[]> {
  const source = readFileSync(join(import.meta.dirname, 'schema.ts'), 'utf8');
  const interfaces = new Map<string, string[]>();
  for (const match of source.matchAll(/export interface (\w+) \{([^}]*)\}/g)) {
    const fields = [...match[2]!.matchAll(/^\s+(\w+)\??:/gm)].map((m) => m[1]!);
    interfaces.set(match[1]!, fields);
  }
  const database = interfaces.get('Database') ?? [];
  const mapping = /export interface Database \{([^}]*)\}/.exec(source)![1]!;
  const tables = new Map<string, string[]>();
  for (const [, table, type] of mapping.matchAll(/^\s+(\w+): (\w+);/gm)) {
    tables.set(table!, interfaces.get(type!) ?? []);
  }
  expect(tables.size).toBe(database.length);
  return tables;
}

describe('core/db/schema.ts', () => {
  it('declares exactly the columns of every migrated table', async () => {
    const tables = typedColumns();
    const result = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = 'public' order by table_name, ordinal_position`.execute(db);
    const migrated = new Map<string, string[]>();
    for (const row of result.rows) {
      migrated.set(row.table_name, [...(migrated.get(row.table_name) ?? []), row.column_name]);
    }
    const typed = Object.fromEntries([...tables].map(([t, cols]) => [t, [...cols].sort()]));
    const actual = Object.fromEntries([...migrated].map(([t, cols]) => [t, [...cols].sort()]));
    expect(typed).toEqual(actual);
  });
});
