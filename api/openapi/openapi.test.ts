import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { append } from '../../core/log/append.js';
import { registerConsumer, runConsumerBatch } from '../../core/log/consumer.js';
import type { Channel } from '../../ingest/channels.js';
import { FAKE_WABA_ID, startFakeGraphApi } from '../../ingest/fake-graph-api/fake-graph-api.js';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { mirrorDir } from '../../warehouse/bigquery/testing/compare-rows.js';
import { type Mirror, startMirror } from '../../warehouse/duckdb/mirror.js';
import { createApiToken } from '../auth/api-tokens.js';
import { permissions } from '../auth/permissions.js';
import { accountOf } from '../templates/template-account.js';
import { buildTestApiServer } from '../test-api-server.js';
import { createMember } from '../trpc/test-support.js';
import { webhookDeliveryConsumer } from '../webhooks/delivery-consumer.js';
import { subscribableEventTypes } from '../webhooks/subscriptions.js';
import type { OpenApiDocument, OpenApiOperation } from './build-document.js';
import { exampleValue } from './example-value.js';
import { localResolver, valueProblems } from './json-schema-check.js';
import type { JsonSchema } from './to-json-schema.js';
import { validateOpenApi } from './validate-openapi.js';

const database = await createTestDatabase();
const { db } = database;
const whatsapp: Channel = {
  name: 'whatsapp',
  kind: 'whatsapp',
  phoneNumberId: '100000000000009',
  graphUrl: 'http://127.0.0.1:9',
  apiVersion: 'v23.0',
  accessToken: 'test-access-token',
  appSecret: 'test-app-secret',
  verifyToken: 'test-verify-token',
  rateLimitPerSecond: 80,
  sendTimeoutMs: 1000,
  webhookPath: '/webhooks/whatsapp',
};
let app: FastifyInstance;
let doc: OpenApiDocument;
let bearer: string;
// The Data Export API reads the DuckDB mirror.
const warehouseDir = await mirrorDir();
let mirror: Mirror;
// Templates are managed through the (fake) Graph API.
const fakeGraph = await startFakeGraphApi({ appSecret: 'walk-secret' });

beforeAll(async () => {
  mirror = await startMirror({ databaseUrl: database.url, dataDir: warehouseDir.path });
  app = await buildTestApiServer(database, {
    channels: [whatsapp],
    lookup: async () => [{ address: '93.184.215.14', family: 4 }],
    warehouse: mirror,
    templateAccount: accountOf({ ...whatsapp, graphUrl: fakeGraph.url }, FAKE_WABA_ID),
  });
  const admin = await createMember(db, 'admin');
  bearer = (await createApiToken(db, admin.actor, { name: 'walk', scopes: permissions })).token;
  doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
});
afterAll(async () => {
  await app.close();
  await fakeGraph.stop();
  await mirror.stop();
  await warehouseDir.remove();
});

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(validateOpenApi(doc)).toEqual([]);
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/v1/billing/balance',
      '/v1/billing/rate-card',
      '/v1/billing/spend',
      '/v1/billing/top-ups',
      '/v1/channels',
      '/v1/contacts',
      '/v1/contacts/export.csv',
      '/v1/contacts/imports',
      '/v1/contacts/imports/{id}',
      '/v1/contacts/imports/{id}/errors',
      '/v1/contacts/imports/{id}/start',
      '/v1/contacts/{id}',
      '/v1/custom-fields',
      '/v1/custom-fields/{id}',
      '/v1/data/contacts/cursor',
      '/v1/data/contacts/cursor/{cursor}',
      '/v1/data/messages/cursor',
      '/v1/data/messages/cursor/{cursor}',
      '/v1/data/statuses/cursor',
      '/v1/data/statuses/cursor/{cursor}',
      '/v1/data/{table}.{format}',
      '/v1/messages',
      '/v1/messages/{id}',
      '/v1/reminders',
      '/v1/reminders/estimate',
      '/v1/reminders/{id}',
      '/v1/reminders/{id}/cancel',
      '/v1/reminders/{id}/pause',
      '/v1/reminders/{id}/recipients',
      '/v1/reminders/{id}/resume',
      '/v1/reminders/{id}/runs',
      '/v1/reminders/{id}/schedule',
      '/v1/reminders/{id}/stats',
      '/v1/segments',
      '/v1/segments/{id}',
      '/v1/segments/{id}/count',
      '/v1/segments/{id}/snapshots',
      '/v1/templates',
      '/v1/templates/{id}',
      '/v1/templates/{id}/send',
      '/v1/warehouse/status',
      '/v1/webhooks',
      '/v1/webhooks/{id}',
      '/v1/webhooks/{id}/deliveries',
      '/v1/webhooks/{id}/deliveries/{deliveryId}/replay',
    ]);
  });

  it('describes each webhook event an integrator can subscribe to, with the identity fields', () => {
    const webhooks = doc.webhooks as Record<
      string,
      { post: { requestBody: { content: Record<string, { schema: Schema }> } } }
    >;
    type Schema = { properties: Record<string, Schema>; required?: string[]; anyOf?: Schema[] };
    expect(Object.keys(webhooks).sort()).toEqual([...subscribableEventTypes].sort());
    const payloadOf = (type: string) =>
      webhooks[type]!.post.requestBody.content['application/json']!.schema.properties.payload!;
    const fields = (schema: Schema) => ({
      properties: Object.keys(schema.properties).sort(),
      required: [...(schema.required ?? [])].sort(),
    });
    // wa_id is optional where Meta may send none: people with a username come by BSUID only.
    expect(fields(payloadOf('message.received'))).toMatchObject({
      properties: expect.arrayContaining(['wa_id', 'user_id', 'parent_user_id', 'username']),
      required: expect.not.arrayContaining(['wa_id', 'user_id', 'parent_user_id', 'username']),
    });
    expect(fields(payloadOf('message.status'))).toMatchObject({
      properties: expect.arrayContaining(['recipient_id', 'recipient_user_id', 'recipient_parent_user_id']),
      required: expect.not.arrayContaining(['recipient_id', 'recipient_user_id']),
    });
    expect(fields(payloadOf('contact.created'))).toEqual({
      properties: ['bsuid', 'channel', 'name', 'parent_bsuid', 'username', 'wa_id'],
      required: ['channel'],
    });
    expect(fields(payloadOf('contact.merged')).properties).toEqual([
      'by',
      'merged_contact_id',
      'surviving_contact_id',
    ]);
    expect(fields(payloadOf('charge.created')).required).toEqual([
      'amount_micros',
      'calling_code',
      'category',
      'charge_id',
      'currency',
      'market',
      'message_id',
      'pricing_model',
      'rate_card_id',
      'reserved_micros',
    ]);
  });

  it('the validator finds broken documents', () => {
    // biome-ignore lint/suspicious/noExplicitAny: breaking a JSON document on purpose, path by path
    const broken = structuredClone(doc) as unknown as Record<string, any>;
    broken.openapi = '3.0.3';
    delete broken.paths['/v1/channels'].get.responses;
    broken.paths['/v1/contacts/{id}'].get.parameters = [];
    broken.paths['/v1/messages'].post.requestBody.content['application/json'].schema = {
      $ref: '#/components/schemas/Nope',
    };
    broken.components.schemas.Contact.properties.id = { type: 'text' };
    broken.components.schemas.Channel.properties.name = { type: 'string', maxLenght: 3 };
    expect(validateOpenApi(broken).sort()).toEqual(
      [
        'openapi must be 3.1.x, is 3.0.3',
        'GET /v1/channels: no responses',
        'GET /v1/contacts/{id}: path parameters [] do not match the template ["id"]',
        'POST /v1/messages/requestBody/content/application/json/schema: $ref #/components/schemas/Nope does not resolve',
        '#/paths//v1/messages/post/requestBody/content/application/json/schema: $ref #/components/schemas/Nope does not resolve',
        '#/components/schemas/Contact/properties/id: invalid type "text"',
        '#/components/schemas/Channel/properties/name: unknown keyword maxLenght',
      ].sort(),
    );
  });

  it('is rendered as a self-contained reference page at /docs/api', async () => {
    const page = await app.inject({ method: 'GET', url: '/docs/api' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).not.toMatch(/<script|<link|<img|<iframe|src=|@import|url\(/i);
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        expect(page.body).toContain(`id="op-${op.operationId}"`);
        expect(page.body).toContain(`${method.toUpperCase()}</span> <code>${path}</code>`);
      }
    }
    for (const name of Object.keys(doc.components.schemas))
      expect(page.body).toContain(`id="schema-${name}"`);
  });
});

describe('every documented route answers as documented', () => {
  const resolve = () => localResolver(doc);

  /** Operations in an order where each finds what it needs: creations first, deletions last. */
  function operations() {
    const rank = (method: string, path: string) =>
      method === 'post' && !path.includes('{')
        ? 0
        : method === 'get'
          ? 1
          : method === 'patch'
            ? 2
            : method === 'post'
              ? 3
              : 4;
    // A reminder's actions only make sense in its lifecycle's order (a cancelled one cannot pause).
    const lifecycle = ['/schedule', '/pause', '/resume', '/cancel'];
    const step = (path: string) => lifecycle.findIndex((suffix) => path.endsWith(suffix));
    return Object.entries(doc.paths)
      .flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })))
      .sort(
        (a, b) =>
          rank(a.method, a.path) - rank(b.method, b.path) ||
          step(a.path) - step(b.path) ||
          a.path.localeCompare(b.path),
      );
  }

  /**
   * The operation's URL, a path parameter being the first value of its enum or else the id
   * a call of its parent path gave; and its body: an example from the JSON schema, or the
   * documented example of a file body with its media type.
   */
  function request(path: string, op: OpenApiOperation, known: Map<string, string>) {
    const url = path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const choices = op.parameters?.find((p) => p.in === 'path' && p.name === name)?.schema.enum;
      if (Array.isArray(choices)) return String(choices[0]);
      const prefix = path.slice(0, path.indexOf(`/{${name}}`));
      const value = known.get(prefix);
      if (!value) throw new Error(`${op.operationId}: nothing known for {${name}} (${prefix})`);
      return value;
    });
    return { url, ...requestBody(op) };
  }

  function requestBody(op: OpenApiOperation): { body?: unknown; contentType?: string } {
    if (!op.requestBody) return {};
    const json = op.requestBody.content['application/json'];
    if (json) return { body: exampleValue(json.schema, resolve()) };
    const [contentType, media] = Object.entries(op.requestBody.content)[0]!;
    return { body: media.example, contentType };
  }

  it('calls each operation with an example built from its schema and checks status and response schema', async () => {
    // State the examples refer to: the `to` of the send example has an open 24-hour window.
    await db
      .insertInto('contacts')
      .values({ channel: 'whatsapp', wa_id: '27820000001', name: 'Sipho', last_inbound_at: new Date() })
      .execute();
    const known = new Map<string, string>();
    const consumer = webhookDeliveryConsumer();
    await registerConsumer(db, consumer.name);
    let eventsAppended = false;
    const called: string[] = [];

    for (const { path, method, op } of operations()) {
      if (!eventsAppended && method !== 'post') {
        // After the creations: an event the created webhook subscribes to, turned into a delivery.
        await append(db, [
          {
            type: 'message.status',
            source: 'whatsapp',
            channel: 'whatsapp',
            payload: { external_id: 'wamid.walk', status: 'sent', timestamp: new Date().toISOString() },
          },
        ]);
        for (let i = 0; i < 100 && (await runConsumerBatch(db, consumer)).kind !== 'idle'; i++) {
          await new Promise((r) => setTimeout(r, 20));
        }
        // The reads of the warehouse (downloads, data cursors) see what the creations logged.
        await mirror.drain();
        eventsAppended = true;
      }
      // Meta's review (played here on the row): only an approved template can be sent.
      if (op.operationId === 'sendTemplate')
        await db.updateTable('templates').set({ status: 'APPROVED' }).execute();
      const { url, body, contentType } = request(path, op, known);
      const response = await app.inject({
        method: method.toUpperCase() as 'GET',
        url,
        headers: { authorization: `Bearer ${bearer}`, ...(contentType && { 'content-type': contentType }) },
        ...(body !== undefined && { payload: body as object }),
      });
      const [status, documented] = Object.entries(op.responses).find(([s]) => s.startsWith('2'))!;
      expect(
        `${op.operationId} ${response.statusCode} ${response.statusCode === Number(status) ? '' : response.body}`,
      ).toBe(`${op.operationId} ${status} `);
      const content = 'content' in documented ? (documented.content ?? {}) : {};
      const schema = content['application/json']?.schema;
      const files = Object.keys(content).filter((type) => type !== 'application/json');
      if (files.length > 0) {
        // A file: one of the documented media types, and a first line (a header or a row).
        expect(files).toContain(String(response.headers['content-type']).split(';')[0]);
        expect(response.body.split('\n')[0]!.length).toBeGreaterThan(0);
      } else if (schema) {
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        const json = response.json();
        expect(valueProblems(schema, json, op.operationId, resolve())).toEqual([]);
        if (method === 'post' && !path.includes('{'))
          known.set(path, (json as { id?: string; cursor?: string }).id ?? json.cursor);
        if (method === 'get' && Array.isArray(json.data) && json.data.length > 0)
          known.set(path, json.data[0].id);
      } else {
        expect(response.body).toBe('');
      }
      called.push(op.operationId);
    }
    expect(called).toHaveLength(60);
  });

  it('answers 401 with the error shape to every operation called without a token', async () => {
    const errorSchema: JsonSchema = { $ref: '#/components/schemas/Error' };
    for (const { path, method, op } of operations()) {
      const url = path.replace(/\{\w+\}/g, '1');
      const { body, contentType } = requestBody(op);
      const response = await app.inject({
        method: method.toUpperCase() as 'GET',
        url,
        ...(contentType && { headers: { 'content-type': contentType } }),
        ...(body !== undefined && { payload: body as object }),
      });
      expect(`${op.operationId} ${response.statusCode}`).toBe(`${op.operationId} 401`);
      expect(valueProblems(errorSchema, response.json(), op.operationId, resolve())).toEqual([]);
      expect(response.json().error.code).toBe('unauthorized');
    }
  });
});
