import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { migrate, migrationStatus } from './migrate.js';

const { url } = await createTestDatabase();

async function migrationsFolder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-migrations-'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

describe('migrate', () => {
  it('applies the project migrations once; a second run applies nothing', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const status = await migrate(pool);
    expect(status.pending).toEqual([]);
    expect(status.applied.slice(0, 2)).toEqual([
      { version: 1, name: 'create_events' },
      { version: 2, name: 'create_contacts_messages_outbox' },
    ]);
    const again = await migrate(pool);
    expect(again).toEqual(status);
    await pool.end();
  });

  it('runs each migration in its own transaction: a failing one leaves no trace and stops the run', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1, options: '-c search_path=m1' });
    await pool.query('create schema m1');
    const dir = await migrationsFolder({
      '0001_ok.sql': 'create table a (x int);',
      '0002_broken.sql': 'create table b (x int); select no_such_function();',
      '0003_later.sql': 'create table c (x int);',
    });
    await expect(migrate(pool, dir)).rejects.toThrow(
      /^migration 2_broken failed: function no_such_function\(\) does not exist$/,
    );
    const tables = await pool.query<{ t: string }>(
      "select table_name as t from information_schema.tables where table_schema = 'm1' order by 1",
    );
    expect(tables.rows.map((r) => r.t)).toEqual(['a', 'schema_migrations']);
    expect(await migrationStatus(pool, dir)).toEqual({
      applied: [{ version: 1, name: 'ok' }],
      pending: [
        { version: 2, name: 'broken' },
        { version: 3, name: 'later' },
      ],
    });
    await pool.end();
  });

  it('refuses a migration file that changed after it was applied', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1, options: '-c search_path=m2' });
    await pool.query('create schema m2');
    const dir = await migrationsFolder({ '0001_first.sql': 'create table a (x int);' });
    await migrate(pool, dir);
    await writeFile(join(dir, '0001_first.sql'), 'create table a (x bigint);');
    await expect(migrate(pool, dir)).rejects.toThrow(
      'migration 1_first changed after it was applied; add a new migration instead',
    );
    await pool.end();
  });

  it('two instances migrating at the same time apply each migration exactly once', async () => {
    const dir = await migrationsFolder({
      '0001_slow.sql': 'create table slow (x int); select pg_sleep(0.2);',
      '0002_next.sql': 'create table next (x int);',
    });
    const pools = [0, 1].map(
      () => new pg.Pool({ connectionString: url, max: 1, options: '-c search_path=m3' }),
    );
    await pools[0]!.query('create schema m3');
    const results = await Promise.all(pools.map((p) => migrate(p, dir)));
    expect(results[0]).toEqual(results[1]);
    const applied = await pools[0]!.query<{ version: number }>(
      'select version from schema_migrations order by version',
    );
    expect(applied.rows.map((r) => r.version)).toEqual([1, 2]);
    await Promise.all(pools.map((p) => p.end()));
  });

  it('rejects a badly named migration file', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    const dir = await migrationsFolder({ 'create-things.sql': 'select 1;' });
    await expect(migrate(pool, dir)).rejects.toThrow(
      'migration file name must look like 0001_name.sql: create-things.sql',
    );
    await pool.end();
  });

  it('applies a lower number that arrives after a higher one was applied (branches merged in any order)', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1, options: '-c search_path=m9' });
    await pool.query('create schema m9');
    const dir = await migrationsFolder({
      '0001_first.sql': 'create table a (x int);',
      '0021_jobs_branch.sql': 'create table c (x int);',
    });
    await migrate(pool, dir);
    await writeFile(join(dir, '0014_other_branch.sql'), 'create table b (x int);');
    expect(await migrate(pool, dir)).toEqual({
      applied: [
        { version: 1, name: 'first' },
        { version: 14, name: 'other_branch' },
        { version: 21, name: 'jobs_branch' },
      ],
      pending: [],
    });
    await pool.end();
  });
});
