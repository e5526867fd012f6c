import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { createTestApp, TEST_PASSWORD, type TestApp } from './test/harness.ts';

let t: TestApp;
let app: Awaited<ReturnType<typeof buildApp>>;
const lines: string[] = [];
beforeAll(async () => {
  t = await createTestApp();
  const config = { ...t.deps.config, logLevel: 'trace' };
  app = await buildApp({ ...t.deps, config }, { logStream: { write: (msg: string) => void lines.push(msg) } });
});
afterAll(async () => {
  await app.close();
  await t.close();
});

describe('request logs', () => {
  it('never contain a password, a cookie, a CSRF token or a query string', async () => {
    const session = await app.inject({ method: 'GET', url: '/api/auth/session' });
    const csrf = session.json().csrfToken as string;
    const cookies = { nrm_csrf: csrf };
    const wrongPassword = 'WrongSecretPassword-77';
    const bad = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      cookies,
      headers: { 'x-csrf-token': csrf },
      payload: { login: 'police.officer', password: wrongPassword },
    });
    expect(bad.statusCode).toBe(401);
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      cookies,
      headers: { 'x-csrf-token': csrf },
      payload: { login: 'police.officer', password: TEST_PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const sid = login.cookies.find((c) => c.name === 'nrm_sid')!.value;
    const me = await app.inject({ method: 'GET', url: '/api/auth/session', cookies: { nrm_sid: sid } });
    const sessionCsrf = me.json().csrfToken as string;
    const query = await app.inject({
      method: 'GET',
      url: '/api/agencies?q=SecretQueryValue&region=almaty',
      cookies: { nrm_sid: sid },
      headers: { 'x-csrf-token': sessionCsrf, authorization: 'Bearer SecretBearerValue' },
    });
    expect(query.statusCode).toBe(200);
    await app.inject({ method: 'GET', url: '/api/nowhere?token=SecretNotFoundValue', cookies: { nrm_sid: sid } });

    const out = lines.join('');
    expect(out).toContain('/api/agencies'); // the request was logged…
    for (const secret of [
      TEST_PASSWORD,
      wrongPassword,
      sid,
      csrf,
      sessionCsrf,
      'SecretQueryValue',
      'region=almaty',
      'SecretBearerValue',
      'SecretNotFoundValue',
      'nrm_sid',
    ]) {
      expect(out, secret).not.toContain(secret); // …without any secret
    }
  });
});
