import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.ts';

const TOKEN = 'metrics-token-0123456789abcdef';
let t: TestApp;
let secure: TestApp;
beforeAll(async () => {
  [t, secure] = await Promise.all([
    createTestApp(),
    createTestApp({ OPENNRM_SECURE_COOKIES: 'true', OPENNRM_METRICS_TOKEN: TOKEN }),
  ]);
});
afterAll(async () => Promise.all([t.close(), secure.close()]));

describe('probes and metrics', () => {
  it('answers /healthz and /readyz without a session', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', database: t.db.kind });
  });

  it('keeps /metrics from anonymous callers and users without metrics.read', async () => {
    const anon = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().error.code).toBe('auth.required');
    expect((await (await t.as('police.officer')).get('/metrics')).statusCode).toBe(403);
    // Without a configured token a bearer header opens nothing.
    const bearer = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(bearer.statusCode).toBe(401);
  });

  it('serves Prometheus text to the system administrator', async () => {
    const res = await (await t.as('admin')).get('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toContain('# TYPE opennrm_http_request_duration_seconds histogram');
    expect(res.body).toContain('process_cpu_user_seconds_total');
  });

  it('serves /metrics to the configured bearer token only', async () => {
    const ok = await secure.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('opennrm_http_request_duration_seconds');
    const wrong = await secure.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN.replace(/f$/, 'e')}` },
    });
    expect(wrong.statusCode).toBe(401);
  });
});

describe('security headers', () => {
  it('sends a CSP that forbids framing, nosniff, and no HSTS without secure cookies', async () => {
    for (const url of ['/api/auth/session', '/healthz', '/api/does-not-exist']) {
      const res = await t.app.inject({ method: 'GET', url });
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain("default-src 'self'");
      expect(csp, url).toContain("object-src 'none'");
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('sends HSTS and __Host- Secure cookies when OPENNRM_SECURE_COOKIES=true', async () => {
    const res = await secure.app.inject({ method: 'GET', url: '/api/auth/session' });
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000; includeSubDomains/);
    const csrf = res.cookies.find((c) => c.name === '__Host-nrm_csrf');
    expect(csrf).toMatchObject({ secure: true, path: '/', sameSite: 'Strict' });
    const c = secure.client();
    const login = await c.login('analyst');
    expect(login.statusCode).toBe(200);
    const sid = login.cookies.find((k) => k.name === '__Host-nrm_sid');
    expect(sid).toMatchObject({ secure: true, httpOnly: true, path: '/' });
    expect((await c.refresh()).user.username).toBe('analyst');
    // Deleting a __Host- cookie also needs Secure, or the browser keeps the dead session cookie.
    const csrfCleared = login.cookies.find((k) => k.name === '__Host-nrm_csrf');
    expect(csrfCleared).toMatchObject({ value: '', secure: true });
    const out = await c.post('/api/auth/logout');
    expect(out.statusCode).toBe(200);
    expect(out.cookies.find((k) => k.name === '__Host-nrm_sid')).toMatchObject({ value: '', secure: true, path: '/' });
  });
});
