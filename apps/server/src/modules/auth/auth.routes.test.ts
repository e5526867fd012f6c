import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('sign-in', () => {
  it('signs in with username and returns the session user', async () => {
    const c = t.client();
    const res = await c.login('police.officer');
    expect(res.statusCode).toBe(200);
    const session = await c.refresh();
    expect(session.user.username).toBe('police.officer');
    expect(session.user.roles).toEqual(['first_responder']);
    const cookie = res.cookies.find((k) => k.name === 'nrm_sid');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
  });

  it('refuses a wrong password with a translated error and audits the failure', async () => {
    const c = t.client();
    const res = await c.login('shelter.worker', 'wrong-password-123', undefined);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('auth.invalid_credentials');
    const ru = await c.request(
      'POST',
      '/api/auth/login',
      { login: 'shelter.worker', password: 'nope-nope-nope' },
      { 'accept-language': 'ru' },
    );
    expect(ru.json().error.message).toBe('Неверное имя пользователя или пароль.');
    const rows = await t.db.query<{ n: number }>(
      "select count(*)::int as n from audit_events where action = 'auth.login.failure' and actor_username = 'shelter.worker'",
    );
    expect(rows[0]!.n).toBe(2);
  });

  it('refuses a state-changing request without the CSRF token', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { login: 'admin', password: 'x' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('csrf');
  });
});
