import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../core/db/database.js';
import { databaseUrlFor } from './postgres-url.js';

/**
 * A fresh, migrated database for one test file, cloned from the run's template and
 * dropped after the file's tests. Call at the top level of a test file (it registers afterAll).
 */
export async function createTestDatabase(options: { max?: number } = {}): Promise<DatabaseHandle> {
  const adminUrl = inject('pgAdminUrl');
  const template = inject('pgTemplate');
  const name = `${template}_f${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client(adminUrl);
  await admin.connect();
  try {
    // Cloning fails while another session is connected to the template; retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database "${name}" template "${template}"`);
        break;
      } catch (error) {
        if (attempt >= 20) throw error;
        await new Promise((r) => setTimeout(r, 100 + attempt * 50));
      }
    }
  } finally {
    await admin.end();
  }
  const handle = createDatabase(databaseUrlFor(adminUrl, name), options);
  afterAll(async () => {
    await handle.close();
    const cleanup = new pg.Client(adminUrl);
    await cleanup.connect();
    await cleanup.query(`drop database if exists "${name}" with (force)`).catch(() => {});
    await cleanup.end();
  });
  return handle;
}
