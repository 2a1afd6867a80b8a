import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from '../../core/db/embedded-postgres.js';
import { migrate } from '../../core/db/migrate.js';
import { databaseUrlFor, serverIsReachable } from './postgres-url.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of a database on the test server from which per-file databases are created. */
    pgAdminUrl: string;
    /** Name of the migrated template database. */
    pgTemplate: string;
  }
}

/**
 * Provides one Postgres for the whole run: TEST_DATABASE_URL or DATABASE_URL when set,
 * else the machine's server at 127.0.0.1:5432, else an embedded Postgres. Migrates a
 * template database once; each test file clones it (test/setup/test-database.ts).
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedPostgresHandle | undefined;
  let adminUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || '';
  if (!adminUrl) {
    const local = 'postgresql://postgres@127.0.0.1:5432/postgres';
    if (await serverIsReachable(local)) adminUrl = local;
    else {
      const dir = join(process.cwd(), 'test-output', 'embedded-postgres');
      await mkdir(dir, { recursive: true });
      embedded = await startEmbeddedPostgres({ dataDir: dir });
      adminUrl = embedded.url;
    }
  }
  const template = `parley_template_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client(adminUrl);
  await admin.connect();
  await admin.query(`create database "${template}"`);
  const pool = new pg.Pool({ connectionString: databaseUrlFor(adminUrl, template), max: 1 });
  await migrate(pool);
  await pool.end();

  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', template);

  return async () => {
    const leftovers = await admin.query<{ datname: string }>(
      `select datname from pg_database where datname = $1 or datname like $2`,
      [template, `${template}_f%`],
    );
    for (const { datname } of leftovers.rows) {
      await admin.query(`drop database if exists "${datname}" with (force)`).catch(() => {});
    }
    await admin.end();
    await embedded?.stop();
  };
}
