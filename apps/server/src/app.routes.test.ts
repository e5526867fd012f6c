import { randomUUID } from 'node:crypto';
import { PERMISSIONS } from '@opennrm/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { createTestApp, type TestApp } from './test/harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

/** The only API routes anyone may call without signing in. Adding one is a deliberate change here. */
const PUBLIC_API = new Set(['/api/auth/session', '/api/auth/login', '/api/openapi.json']);
const isDocs = (url: string) => url === '/api/docs' || url.startsWith('/api/docs/');

const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, randomUUID()).replace(/\*$/, 'x');

describe('route table', () => {
  it('lists every route with a declared permission from the matrix or an explicit public reason', () => {
    expect(t.app.routeTable.length).toBeGreaterThan(15);
    for (const r of t.app.routeTable) {
      const where = `${r.method} ${r.url}`;
      expect(r.access, where).toBeDefined();
      if ('public' in r.access) {
        expect(r.access.public, where).toBe(true);
        expect(r.access.reason.length, where).toBeGreaterThan(3);
      } else {
        expect(PERMISSIONS, where).toContain(r.access.permission);
      }
    }
  });

  it('has no public API route beyond the declared sign-in, session, description and docs routes', () => {
    const publicApi = t.app.routeTable.filter((r) => r.url.startsWith('/api') && 'public' in r.access);
    for (const r of publicApi) expect(PUBLIC_API.has(r.url) || isDocs(r.url), `${r.method} ${r.url}`).toBe(true);
  });

  it('refuses to build an app with a route that declares no access', async () => {
    await expect(
      buildApp(t.deps, {
        logger: false,
        extraRoutes: async (app) => {
          app.get('/api/undeclared', async () => ({ secret: true }));
        },
      }),
    ).rejects.toThrow(/GET \/api\/undeclared declares no permission and no public marker/);
  });

  it('enforces the permission of a route registered later', async () => {
    const app = await buildApp(t.deps, {
      logger: false,
      extraRoutes: async (a) => {
        a.get('/api/extra', { config: { access: { permission: 'audit.read' } } }, async () => ({ ok: true }));
      },
    });
    try {
      expect(app.routeTable.find((r) => r.url === '/api/extra')?.access).toEqual({ permission: 'audit.read' });
      expect((await app.inject({ method: 'GET', url: '/api/extra' })).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('answers 401 auth.required on every non-public /api route without a session', async () => {
    const anon = t.client();
    await anon.refresh(); // a valid anonymous CSRF token, so only the missing session can refuse
    const guarded = t.app.routeTable.filter((r) => r.url.startsWith('/api/') && !('public' in r.access));
    expect(guarded.length).toBeGreaterThan(10);
    for (const r of guarded) {
      const res = await anon.request(
        r.method,
        concrete(r.url),
        r.method === 'GET' || r.method === 'HEAD' ? undefined : {},
      );
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      if (r.method !== 'HEAD') expect(res.json().error.code, `${r.method} ${r.url}`).toBe('auth.required');
    }
  });

  it('describes every /api route in the OpenAPI 3.1 document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\.1\./);
    const api = t.app.routeTable.filter(
      (r) => r.url.startsWith('/api/') && r.method !== 'HEAD' && r.url !== '/api/openapi.json' && !isDocs(r.url),
    );
    for (const r of api) {
      const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
      expect(doc.paths[path]?.[r.method.toLowerCase()], `${r.method} ${r.url} in OpenAPI`).toBeDefined();
    }
  });

  it('serves the API reference at /api/docs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('swagger');
  });
});
