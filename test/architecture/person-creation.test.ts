import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
// Postgres application code; warehouse/ writes DuckDB's own `contacts` table, bench/ seeds data.
const folders = ['core', 'ingest', 'engine', 'api'];
/** The one way a person comes to exist (docs/identities.md). */
const allowed = ['core/people/resolve-people.ts', 'core/people/insert-people.ts'];

/** Writes that insert into contacts: Kysely's insertInto('contacts') or SQL text. */
function insertsIntoContacts(source: string): boolean {
  return /insertInto\(\s*['"`]contacts['"`]\s*\)/.test(source) || /insert\s+into\s+contacts\b/i.test(source);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('people come to exist in one place', () => {
  it('nothing but core/people inserts into contacts', () => {
    const offenders = folders
      .flatMap((folder) => sourceFiles(join(root, folder)))
      .filter((file) => insertsIntoContacts(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file))
      .filter((file) => !allowed.includes(file));
    expect(offenders).toEqual([]);
  });

  it.each([
    ["await tx.insertInto('contacts').values({ channel, wa_id })", true],
    ['await sql`INSERT INTO contacts (channel, wa_id) values (1, 2)`', true],
    ["await tx.insertInto('contact_imports').values({})", false],
    ['select * from contacts', false],
  ])('recognises %s', (source, inserts) => {
    expect(insertsIntoContacts(source)).toBe(inserts);
  });
});
