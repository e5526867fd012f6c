import { translate } from '@opennrm/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ OPENNRM_LOGIN_RATE_PER_MINUTE: '3' });
});
afterAll(async () => t.close());

describe('sign-in rate limit', () => {
  it('answers 429 rate_limited after OPENNRM_LOGIN_RATE_PER_MINUTE attempts from one address', async () => {
    const c = t.client();
    await c.refresh();
    const body = { login: 'analyst', password: 'wrong-password!' };
    for (let i = 0; i < 3; i++) expect((await c.request('POST', '/api/auth/login', body)).statusCode).toBe(401);
    const limited = await c.request('POST', '/api/auth/login', body, { 'x-locale': 'kk' });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect(limited.json().error.message).toBe(translate('kk', 'errors.rate_limited'));
    // Even the right password waits out the window.
    expect((await c.login('analyst')).statusCode).toBe(429);

    // Another address is counted on its own.
    const csrf = 'c'.repeat(43);
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '10.1.2.3',
      cookies: { nrm_csrf: csrf },
      headers: { 'x-csrf-token': csrf },
      payload: { login: 'analyst', password: 'demo-password-for-tests' },
    });
    expect(other.statusCode).toBe(200);
  });
});
