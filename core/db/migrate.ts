import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';

/** Default location of the forward-only SQL migrations. */
export const migrationsDir = new URL('../../sql/migrations/', import.meta.url).pathname;

// Two instances starting together must not both apply a migration: they serialise on
// this session-level advisory lock (an arbitrary constant, the same in every instance).
const MIGRATION_LOCK_KEY = 7_042_025_001;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationStatus {
  applied: { version: number; name: string }[];
  pending: { version: number; name: string }[];
}

export async function loadMigrations(dir = migrationsDir): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match) throw new Error(`migration file name must look like 0001_name.sql: ${file}`);
    const sql = await readFile(join(dir, file), 'utf8');
    const version = Number(match[1]);
    if (migrations.some((m) => m.version === version)) {
      throw new Error(`two migrations share version ${version}`);
    }
    migrations.push({
      version,
      name: match[2]!,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  return migrations;
}

/**
 * Applies every pending migration, each in its own transaction, recorded in
 * schema_migrations. An applied migration whose file changed is an error: migrations are
 * frozen once applied.
 */
export async function migrate(pool: pg.Pool, dir = migrationsDir): Promise<MigrationStatus> {
  const migrations = await loadMigrations(dir);
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(`create table if not exists schema_migrations (
        version integer primary key,
        name text not null,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`);
      const { rows } = await client.query<{ version: number; checksum: string; name: string }>(
        'select version, name, checksum from schema_migrations order by version',
      );
      const appliedByVersion = new Map(rows.map((r) => [r.version, r]));
      for (const migration of migrations) {
        const applied = appliedByVersion.get(migration.version);
        if (applied) {
          if (applied.checksum !== migration.checksum) {
            throw new Error(
              `migration ${migration.version}_${migration.name} changed after it was applied; add a new migration instead`,
            );
          }
          continue;
        }
        await client.query('begin');
        try {
          await client.query(migration.sql);
          await client.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [
            migration.version,
            migration.name,
            migration.checksum,
          ]);
          await client.query('commit');
        } catch (error) {
          await client.query('rollback');
          throw new Error(
            `migration ${migration.version}_${migration.name} failed: ${(error as Error).message}`,
            { cause: error },
          );
        }
      }
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
  return migrationStatus(pool, dir);
}

export async function migrationStatus(pool: pg.Pool, dir = migrationsDir): Promise<MigrationStatus> {
  const migrations = await loadMigrations(dir);
  const exists = await pool.query<{ ok: boolean }>(
    "select to_regclass('schema_migrations') is not null as ok",
  );
  const appliedVersions = new Set<number>();
  if (exists.rows[0]?.ok) {
    const { rows } = await pool.query<{ version: number }>('select version from schema_migrations');
    for (const row of rows) appliedVersions.add(row.version);
  }
  return {
    applied: migrations
      .filter((m) => appliedVersions.has(m.version))
      .map(({ version, name }) => ({ version, name })),
    pending: migrations
      .filter((m) => !appliedVersions.has(m.version))
      .map(({ version, name }) => ({ version, name })),
  };
}
