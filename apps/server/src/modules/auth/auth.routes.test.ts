import { translate } from '@opennrm/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../crypto/keys.ts';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../test/harness.ts';

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

const sessionIdOf = (c: ReturnType<TestApp['client']>) => sha256Hex(c.jar.get('nrm_sid') ?? '');
const countEvents = async (action: string, username: string) =>
  (
    await t.db.query<{ n: number }>(
      'select count(*)::int as n from audit_events where action = $1 and actor_username = $2',
      [action, username],
    )
  )[0]!.n;

describe('sign-in details', () => {
  it('accepts the e-mail address as login and stores argon2id hashes', async () => {
    const c = t.client();
    expect((await c.login('Social.Worker@demo.opennrm.invalid')).statusCode).toBe(200);
    expect((await c.refresh()).user.username).toBe('social.worker');
    const rows = await t.db.query<{ password_hash: string }>('select password_hash from users');
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) expect(r.password_hash.startsWith('$argon2id$')).toBe(true);
  });

  it('records a successful sign-in with actor, agency and ip', async () => {
    await t.as('clinic.nurse');
    const [ev] = await t.db.query<{ actor_id: string; agency_id: string; ip: string; outcome: string }>(
      "select actor_id::text, agency_id::text, ip, outcome from audit_events where action = 'auth.login.success' and actor_username = 'clinic.nurse'",
    );
    expect(ev).toMatchObject({
      actor_id: await t.userId('clinic.nurse'),
      agency_id: await t.agencyId('City Polyclinic No. 5'),
      ip: '127.0.0.1',
      outcome: 'success',
    });
  });

  it('translates the refusal by X-Locale and Accept-Language', async () => {
    const c = t.client();
    await c.refresh();
    const body = { login: 'hotline.operator', password: 'not-the-password' };
    const kk = await c.request('POST', '/api/auth/login', body, { 'x-locale': 'kk', 'accept-language': 'ru' });
    const ru = await c.request('POST', '/api/auth/login', body, { 'accept-language': 'ru-RU,ru;q=0.9' });
    const en = await c.request('POST', '/api/auth/login', body, { 'accept-language': 'de, en;q=0.5' });
    for (const [res, locale] of [
      [kk, 'kk'],
      [ru, 'ru'],
      [en, 'en'],
    ] as const) {
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('auth.invalid_credentials');
      expect(res.json().error.message).toBe(translate(locale, 'errors.auth.invalid_credentials'));
    }
    expect(kk.json().error.message).not.toBe(ru.json().error.message);
    expect(ru.json().error.message).not.toBe(en.json().error.message);
  });

  it('audits a failed sign-in of an unknown user without naming an actor', async () => {
    const before = await t.db.query<{ n: number }>(
      "select count(*)::int as n from audit_events where action = 'auth.login.failure' and actor_id is null and details->>'reason' = 'unknown_user'",
    );
    const c = t.client();
    const res = await c.login('nobody.here', 'whatever-password');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('auth.invalid_credentials');
    const after = await t.db.query<{ n: number }>(
      "select count(*)::int as n from audit_events where action = 'auth.login.failure' and actor_id is null and details->>'reason' = 'unknown_user'",
    );
    expect(after[0]!.n).toBe(before[0]!.n + 1);
  });

  it('locks the account after the threshold, refuses even the right password, and an admin can unlock', async () => {
    const c = t.client();
    for (let i = 0; i < t.deps.config.lockoutThreshold; i++) {
      expect((await c.login('labour.inspector', `wrong-password-${i}`)).statusCode).toBe(401);
    }
    expect(await countEvents('auth.lockout', 'labour.inspector')).toBe(1);
    const locked = await c.login('labour.inspector');
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error.code).toBe('auth.locked');
    expect(await countEvents('auth.login.failure', 'labour.inspector')).toBe(t.deps.config.lockoutThreshold + 1);

    const admin = await t.as('admin');
    const id = await t.userId('labour.inspector');
    expect((await admin.get(`/api/users/${id}`)).json().lockedUntil).not.toBeNull();
    expect((await admin.post(`/api/users/${id}/unlock`)).statusCode).toBe(200);
    expect((await c.login('labour.inspector')).statusCode).toBe(200);
  });

  it('sets the session cookie httpOnly, SameSite and path /', async () => {
    const c = t.client();
    const res = await c.login('analyst');
    const cookie = res.cookies.find((k) => k.name === 'nrm_sid');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
  });
});

describe('CSRF', () => {
  it('refuses a state-changing request of a signed-in user without or with a wrong token', async () => {
    const c = await t.as('police.officer');
    const none = await c.request('POST', '/api/auth/logout', {}, { 'x-csrf-token': '' });
    expect(none.statusCode).toBe(403);
    expect(none.json().error.code).toBe('csrf');
    const wrong = await c.request('POST', '/api/auth/logout', {}, { 'x-csrf-token': 'a'.repeat(43) });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('csrf');
    const put = await c.request('PUT', '/api/auth/locale', { locale: 'kk' }, { 'x-csrf-token': 'nope' });
    expect(put.json().error.code).toBe('csrf');
    // Still signed in: nothing happened.
    expect((await c.refresh()).user?.username).toBe('police.officer');
  });

  it('refuses a cross-origin request even with the right token, and allows the same origin', async () => {
    const c = await t.as('police.officer');
    const cross = await c.request('PUT', '/api/auth/locale', { locale: 'kk' }, { origin: 'https://evil.example' });
    expect(cross.statusCode).toBe(403);
    expect(cross.json().error.code).toBe('csrf');
    const same = await c.request(
      'PUT',
      '/api/auth/locale',
      { locale: 'ru' },
      { origin: 'http://nrm.example:8080', host: 'nrm.example:8080' },
    );
    expect(same.statusCode).toBe(200);
  });

  it('refuses the sign-in form without the double-submit token', async () => {
    const c = t.client();
    await c.refresh();
    const res = await c.request(
      'POST',
      '/api/auth/login',
      { login: 'analyst', password: TEST_PASSWORD },
      {
        'x-csrf-token': 'x'.repeat(43),
      },
    );
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('csrf');
  });
});

describe('sessions', () => {
  it('issues a fresh session token at sign-in and never adopts a pre-set one', async () => {
    const c = t.client();
    const planted = 'planted-session-token-chosen-by-an-attacker00';
    c.jar.set('nrm_sid', planted);
    expect((await c.login('police.investigator')).statusCode).toBe(200);
    const token = c.jar.get('nrm_sid');
    expect(token).toBeDefined();
    expect(token).not.toBe(planted);
    expect(await t.db.query('select 1 from sessions where id = $1', [sha256Hex(planted)])).toHaveLength(0);
    const attacker = t.client();
    attacker.jar.set('nrm_sid', planted);
    expect((await attacker.refresh()).user).toBeNull();

    // Signing in again gives another token.
    expect((await c.login('police.investigator')).statusCode).toBe(200);
    expect(c.jar.get('nrm_sid')).not.toBe(token);
  });

  it('ends the previous session when signing in again over it', async () => {
    const c = await t.as('migration.officer');
    const before = await t.db.query<{ id: string }>(
      "select s.id from sessions s join users u on u.id = s.user_id where u.username = 'migration.officer'",
    );
    expect(before).toHaveLength(1);
    const res = await c.login('migration.officer');
    expect(res.statusCode).toBe(200);
    const after = await t.db.query<{ id: string }>(
      "select s.id from sessions s join users u on u.id = s.user_id where u.username = 'migration.officer'",
    );
    expect(after).toHaveLength(1);
    expect(after[0]!.id).not.toBe(before[0]!.id);
  });

  it('ends a session after the idle timeout and audits it', async () => {
    const c = await t.as('police.supervisor');
    expect((await c.get('/api/agencies')).statusCode).toBe(200);
    await t.db.query(`update sessions set last_seen_at = now() - make_interval(mins => $2) where id = $1`, [
      sessionIdOf(c),
      t.deps.config.sessionIdleMinutes + 1,
    ]);
    const res = await c.get('/api/agencies');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('auth.session_expired');
    expect(await countEvents('auth.session.expired', 'police.supervisor')).toBe(1);
    expect((await c.get('/api/agencies')).statusCode).toBe(401);
  });

  it('ends a session at its absolute lifetime even when active', async () => {
    const c = await t.as('police.decision');
    await t.db.query(`update sessions set expires_at = now() - interval '1 second' where id = $1`, [sessionIdOf(c)]);
    const res = await c.get('/api/agencies');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('auth.session_expired');
    expect(await countEvents('auth.session.expired', 'police.decision')).toBe(1);
    expect(await t.db.query('select 1 from sessions where id = $1', [sessionIdOf(c)])).toHaveLength(0);
  });

  it('signs out', async () => {
    const c = await t.as('shelter.outreach');
    const id = sessionIdOf(c);
    expect((await c.post('/api/auth/logout')).statusCode).toBe(200);
    expect(await t.db.query('select 1 from sessions where id = $1', [id])).toHaveLength(0);
    expect(await countEvents('auth.logout', 'shelter.outreach')).toBe(1);
    expect((await c.get('/api/agencies')).statusCode).toBe(401);
  });

  it('signs out everywhere and counts the sessions it ended', async () => {
    const a = await t.as('iom.officer');
    const b = await t.as('iom.officer');
    const other = await t.as('hotline.operator');
    const res = await a.post('/api/auth/logout-all');
    expect(res.statusCode).toBe(200);
    expect(res.json().sessions).toBe(2);
    expect((await a.get('/api/agencies')).statusCode).toBe(401);
    expect((await b.get('/api/agencies')).statusCode).toBe(401);
    expect((await other.get('/api/agencies')).statusCode).toBe(200);
    const [row] = await t.db.query<{ n: number }>(
      "select count(*)::int as n from sessions s join users u on u.id = s.user_id where u.username = 'iom.officer'",
    );
    expect(row!.n).toBe(0);
  });

  it('changes the password: wrong current refused, other sessions end, the new password works', async () => {
    const a = await t.as('migration.officer');
    const b = await t.as('migration.officer');
    const wrong = await a.post('/api/auth/password', {
      currentPassword: 'not-it-at-all',
      newPassword: 'a-brand-new-pass',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('auth.current_password_wrong');
    expect((await b.get('/api/agencies')).statusCode).toBe(200);

    const ok = await a.post('/api/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'a-brand-new-pass' });
    expect(ok.statusCode).toBe(200);
    expect((await a.get('/api/agencies')).statusCode).toBe(200);
    expect((await b.get('/api/agencies')).statusCode).toBe(401);
    expect(await countEvents('auth.password.change', 'migration.officer')).toBe(1);
    expect((await t.client().login('migration.officer')).statusCode).toBe(401);
    expect((await t.client().login('migration.officer', 'a-brand-new-pass')).statusCode).toBe(200);
  });
});
