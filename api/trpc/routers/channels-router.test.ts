import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/setup/test-database.js';
import { callerFor, createMember, testServices } from '../test-support.js';

const { db } = await createTestDatabase();

describe('channels.list', () => {
  it('shows the WhatsApp configuration status and the simulator, never a secret', async () => {
    const viewer = await createMember(db, 'viewer');
    const services = testServices(db, {
      channels: [
        {
          name: 'simulator',
          kind: 'simulator',
          phoneNumberId: '100000000000001',
          graphUrl: 'http://127.0.0.1:4010',
          apiVersion: 'v23.0',
          accessToken: 'secret-access-token',
          appSecret: 'secret-app-secret',
          verifyToken: 'secret-verify-token',
          rateLimitPerSecond: 80,
          sendTimeoutMs: 15000,
          webhookPath: '/webhooks/simulator',
        },
      ],
    });
    const list = await callerFor(services, viewer.actor).caller.channels.list();
    expect(list).toEqual([
      {
        name: 'whatsapp',
        kind: 'whatsapp',
        configured: false,
        phone_number_id: null,
        graph_url: null,
        api_version: null,
        rate_limit_per_second: null,
        webhook_path: null,
        missing: [
          'WHATSAPP_APP_SECRET',
          'WHATSAPP_VERIFY_TOKEN',
          'WHATSAPP_ACCESS_TOKEN',
          'WHATSAPP_PHONE_NUMBER_ID',
        ],
      },
      {
        name: 'simulator',
        kind: 'simulator',
        configured: true,
        phone_number_id: '100000000000001',
        graph_url: 'http://127.0.0.1:4010',
        api_version: 'v23.0',
        rate_limit_per_second: 80,
        webhook_path: '/webhooks/simulator',
        missing: [],
      },
    ]);
    expect(JSON.stringify(list)).not.toContain('secret-');
    await expect(callerFor(services, null).caller.channels.list()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });
});
