import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startPlatform } from '../../api/platform.js';
import { loadConfig } from '../../core/config.js';
import { loadMigrations, migrate } from '../../core/db/migrate.js';
import { databaseUrlFor } from '../setup/postgres-url.js';

// A database created at an older commit of main (a committed dump, so no git history is
// needed) is migrated to the head and the platform starts on it. docs/architecture.md,
// "Migrations", says when to add a newer dump.

describe('upgrading a database made at an older commit of main', () => {
  const adminUrl = inject('pgAdminUrl');
  const name = `parley_old_${randomBytes(4).toString('hex')}`;
  const url = databaseUrlFor(adminUrl, name);
  let dataDir = '';
  afterAll(async () => {
    const admin = new pg.Client(adminUrl);
    await admin.connect();
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('migrates it to the head, keeps its data, and the app starts on it', async () => {
    const admin = new pg.Client(adminUrl);
    await admin.connect();
    await admin.query(`create database "${name}"`);
    await admin.end();
    // A dump of commit bca26e5 (migrations 0001-0008, before 0009 and 0011 existed), with a
    // person, their first message and a consumer that had not caught up yet.
    const dump = await readFile(
      join(import.meta.dirname, '../fixtures/old-schema/bca26e5-migrations-0001-0008.sql'),
      'utf8',
    );
    // Its own connection: the dump empties search_path for the session that loads it.
    const loader = new pg.Client(url);
    await loader.connect();
    await loader.query(dump);
    await loader.end();

    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const status = await migrate(pool);
    const versions = status.applied.map((m) => m.version);
    expect(status.pending).toEqual([]);
    expect(versions).toEqual((await loadMigrations()).map((m) => m.version));
    const kept = await pool.query('select wa_id, name, labels from contacts');
    expect(kept.rows).toEqual([{ wa_id: '27820000001', name: 'Thandi Mokoena', labels: ['clinic-a'] }]);
    await pool.end();

    dataDir = await mkdtemp(join(tmpdir(), 'parley-old-schema-'));
    const platform = await startPlatform(
      loadConfig({ DATABASE_URL: url, PARLEY_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' }),
      { log: () => {} },
    );
    try {
      const health = await platform.app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(200);
      // The consumers catch up on the old log; the message is a week old, so its 24-hour
      // window has closed and the default reply rightly queues nothing.
      await platform.consumers.drain();
      const cursor = await platform.database.pool.query<{ event_id: string; last_error: string | null }>(
        "select event_id, last_error from consumer_cursors where name = 'automation.default-reply'",
      );
      // Routing gave the old message its owner (the default reply) and the reply consumer read
      // everything up to the head of the log.
      const routed = await platform.database.pool.query<{ owner: string; head: string }>(
        "select payload->>'owner_id' as owner, (select max(id)::text from events) as head from events where type = 'message.routed'",
      );
      expect(routed.rows.map((r) => r.owner)).toEqual(['default-reply']);
      expect(cursor.rows).toEqual([{ event_id: routed.rows[0]!.head, last_error: null }]);
      const replies = await platform.database.pool.query<{ n: string }>(
        "select count(*) as n from events where type = 'message.queued'",
      );
      expect(replies.rows[0]?.n).toBe('0');
    } finally {
      await platform.stop();
    }
  });
});
