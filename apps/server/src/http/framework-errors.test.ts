import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

// Found by the hostile-input suite: the router refused these with Fastify's own body (code
// FST_ERR_MAX_PARAM_LENGTH, status 414, echoing the path) instead of the API's error contract.
describe('URLs the router itself refuses', () => {
  it('answers an over-long path parameter with 400 bad_request in the error format, without echoing it', async () => {
    const long = `secret${'a'.repeat(200)}`;
    const res = await t.app.inject({ method: 'GET', url: `/api/cases/${long}`, headers: { 'x-locale': 'ru' } });
    // 400 from the router's refusal, or 404 when no route's shape matches: either way our error body.
    expect([400, 404]).toContain(res.statusCode);
    expect(res.json().error.code).toBe(res.statusCode === 400 ? 'bad_request' : 'not_found');
    expect(res.json().error.message.length).toBeGreaterThan(0);
    expect(res.body).not.toContain('secret');
  });

  it('answers a malformed percent-encoding in the path with 400 bad_request', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/cases/%E0%A4%A' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('bad_request');
  });

  it('answers text the database cannot store (a NUL character) with 400, not 500', async () => {
    const admin = await t.as('admin');
    const res = await admin.get('/api/screening/catalogues/%00');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('bad_request');
  });
});
