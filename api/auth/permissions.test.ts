import { initTRPC } from '@trpc/server';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/setup/test-database.js';
import { registerApi } from '../register-api.js';
import { restRoutes } from '../rest/rest-routes.js';
import { appRouter } from '../trpc/router.js';
import { permissionProcedure, router } from '../trpc/trpc.js';
import { type SeenRoute, undeclaredProcedures, undeclaredRoutes } from './access-coverage.js';
import { permissions, rolePermissions, roles } from './permissions.js';

const database = await createTestDatabase();

describe('every tRPC procedure declares its access', () => {
  it('walks all procedures of the app router and finds none undeclared', () => {
    const paths = Object.keys(appRouter._def.procedures);
    expect(paths.length).toBeGreaterThan(30);
    expect(paths).toContain('members.invite');
    expect(paths).toContain('events.onNew');
    expect(undeclaredProcedures(appRouter)).toEqual([]);
  });

  it('reports a procedure built without a declared permission, in a nested router', () => {
    const t = initTRPC.create();
    const tiny = router({
      ok: permissionProcedure('members.manage').query(() => 1),
      nested: router({ sneaky: t.procedure.query(() => 2) }),
    });
    expect(undeclaredProcedures(tiny as never)).toEqual(['nested.sneaky']);
  });

  it('reports a procedure whose declared access is not in the matrix', () => {
    const t = initTRPC.meta<{ access?: string }>().create();
    const tiny = t.router({ typo: t.procedure.meta({ access: 'member.manage' }).query(() => 1) });
    expect(undeclaredProcedures(tiny)).toEqual(['typo']);
  });
});

describe('every REST route under /v1 declares its permission', () => {
  it('sees every route registered by registerApi through onRoute, and none lacks a permission', async () => {
    const app = Fastify();
    const seen: SeenRoute[] = [];
    app.addHook('onRoute', (route) => {
      seen.push({ method: route.method, url: route.url, config: route.config });
    });
    await registerApi(app, {
      database,
      config: { publicUrl: undefined, allowLocalWebhooks: false },
      channels: [],
    });
    await app.ready();
    await app.close();
    // Fastify adds a HEAD route for each GET (with the same config): compare the declared methods.
    const v1 = seen.filter((r) => r.url.startsWith('/v1/') && r.method !== 'HEAD');
    expect(v1.map((r) => `${r.method} ${r.url}`).sort()).toEqual(
      // The streamed downloads (api/rest/data-export-downloads.ts) are registered beside restRoutes.
      [
        ...restRoutes.map((r) => `${r.method} ${r.path.replace(/\{(\w+)\}/g, ':$1')}`),
        'GET /v1/data/:file',
        // The CSV upload and export of people (api/rest/people-file-routes.ts).
        'POST /v1/contacts/imports',
        'GET /v1/contacts/export.csv',
      ].sort(),
    );
    expect(undeclaredRoutes(seen)).toEqual([]);
    expect(seen.find((r) => r.url === '/openapi.json')?.config).toEqual({ permission: 'public' });
  });

  it('reports a /v1 route without a permission and one with an unknown permission', () => {
    expect(
      undeclaredRoutes([
        { method: 'GET', url: '/v1/fine', config: { permission: 'contacts.read' } },
        { method: 'GET', url: '/v1/missing', config: {} },
        { method: ['POST'], url: '/v1/typo', config: { permission: 'contact.read' } },
        { method: 'GET', url: '/health' },
      ]),
    ).toEqual(['GET /v1/missing', 'POST /v1/typo']);
  });
});

describe('the permission matrix', () => {
  it('gives Admin everything and keeps Analyst and Viewer read-only', () => {
    expect([...rolePermissions.admin]).toEqual([...permissions]);
    const writes = permissions.filter((p) => /\.(write|send|manage|use)$/.test(p) && p !== 'notebooks.write');
    expect(writes.filter((p) => rolePermissions.analyst.includes(p))).toEqual([]);
    expect(writes.filter((p) => rolePermissions.viewer.includes(p))).toEqual([]);
    expect(rolePermissions.analyst).toContain('warehouse.query');
    expect(rolePermissions.viewer).not.toContain('warehouse.query');
  });

  it('gives personal data only to Admin, and administration only to Admin', () => {
    const holders = (p: (typeof permissions)[number]) => roles.filter((r) => rolePermissions[r].includes(p));
    expect(holders('pii.read')).toEqual(['admin']);
    expect(holders('contacts.erase')).toEqual(['admin']);
    expect(holders('members.manage')).toEqual(['admin']);
    expect(holders('tokens.manage')).toEqual(['admin']);
    expect(holders('webhooks.manage')).toEqual(['admin']);
    expect(holders('messages.send')).toEqual(['admin', 'builder', 'operator']);
    expect(holders('simulator.use')).toEqual(['admin', 'builder', 'operator']);
  });
});
