import { afterAll, describe, expect, it } from 'vitest';
import { createReminderRunner } from '../../../engine/reminders/index.js';
import { createTestDatabase } from '../../../test/setup/test-database.js';
import { createApiToken } from '../../auth/api-tokens.js';
import { buildTestApiServer } from '../../test-api-server.js';
import { createMember } from '../../trpc/test-support.js';

// A reminder's runs and per-run stats through REST, as an integrator follows a recurring reminder.
const database = await createTestDatabase();
const { db } = database;
const app = await buildTestApiServer(database);
afterAll(() => app.close());
const admin = await createMember(db, 'admin');
const auth = `Bearer ${(await createApiToken(db, admin.actor, { name: 'reminders', scopes: ['reminders.read', 'reminders.write'] })).token}`;
const call = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
  app.inject({
    method,
    url,
    headers: { authorization: auth },
    ...(payload !== undefined && { payload: payload as object }),
  });

describe('reminder runs over REST', () => {
  it('lists a reminder’s runs with their counts and gives one run’s stats; another reminder’s run is 404', async () => {
    const ids: string[] = [];
    for (const [waId, blocked] of [
      ['27820000301', false],
      ['27820000302', true],
    ] as const) {
      const row = await db
        .insertInto('contacts')
        .values({ channel: 'whatsapp', wa_id: waId, blocked })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(row.id);
    }
    const created = await call('POST', '/v1/reminders', {
      name: 'Visit',
      template: { name: 'clinic_visit', language: 'en', category: 'utility' },
      audience: { contact_ids: ids },
      schedule: { kind: 'now' },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect((await call('POST', `/v1/reminders/${id}/schedule`)).statusCode).toBe(200);
    const runner = createReminderRunner({ db, messagingLimit: null });
    await runner.tick();
    await runner.tick();

    const runs = await call('GET', `/v1/reminders/${id}/runs`);
    expect(runs.statusCode).toBe(200);
    const [run] = runs.json().data;
    expect(run).toMatchObject({
      state: 'completed',
      targeted: 2,
      pending: 0,
      skipped: 1,
      queued: 1,
      sent: 0,
      delivered: 0,
      failed: 0,
      cost_micros: 0,
    });
    expect(runs.json().data).toHaveLength(1);
    const stats = await call('GET', `/v1/reminders/${id}/stats?run_id=${run.id}`);
    expect(stats.json()).toMatchObject({
      run_id: run.id,
      targeted: 2,
      skipped: 1,
      skipped_by_reason: { blocked: 1 },
    });
    const unknown = await call('GET', `/v1/reminders/${id}/stats?run_id=${Number(run.id) + 1000}`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatchObject({ code: 'not_found' });
    const bad = await call('GET', `/v1/reminders/${id}/stats?run_id=first`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual([{ field: 'run_id', reason: 'must be a run id' }]);
  });
});
