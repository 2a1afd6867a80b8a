import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrationsDir } from './migrate.js';

// The numbering rule (docs/architecture.md, "Migrations"): numbers are unique and never
// reused; a branch takes the numbers the lead reserved for it, so branches merged in any order
// never collide, and the runner applies whatever is pending in number order, even below an
// applied number. A migration that has reached main is frozen: its checksum is recorded in
// sql/migrations/released.sha256 and the file may never change or disappear.

async function released(): Promise<{ file: string; checksum: string }[]> {
  const text = await readFile(join(migrationsDir, 'released.sha256'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [file, checksum] = line.split(' ') as [string, string];
      return { file, checksum };
    });
}

describe('the migration numbering rule', () => {
  it('every released migration is still there, unchanged, and released numbers only increase', async () => {
    const files = await loadMigrations();
    const byFile = new Map(files.map((m) => [`${String(m.version).padStart(4, '0')}_${m.name}.sql`, m]));
    const list = await released();
    for (const { file, checksum } of list) {
      expect(byFile.has(file), `${file} was released and must not be removed or renamed`).toBe(true);
      expect(byFile.get(file)!.checksum, `${file} was released and must not change: add a migration`).toBe(
        checksum,
      );
    }
    const numbers = list.map((r) => Number(r.file.slice(0, 4)));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('the released list records the files exactly (sha256 of the file)', async () => {
    for (const { file, checksum } of await released()) {
      const text = await readFile(join(migrationsDir, file));
      expect(createHash('sha256').update(text).digest('hex')).toBe(checksum);
    }
  });
});
