import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOTP_STEP_SECONDS, totpAt } from '../../crypto/totp.ts';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../test/harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const stepNow = () => Math.floor(Date.now() / 1000 / TOTP_STEP_SECONDS);

/** Signs in, enrols TOTP and returns the secret and the step the confirmation used. */
async function enrol(username: string) {
  const c = await t.as(username);
  const setup = await c.post('/api/auth/totp/setup');
  expect(setup.statusCode).toBe(200);
  const { secret, otpauthUrl } = setup.json() as { secret: string; otpauthUrl: string };
  expect(otpauthUrl).toContain(`secret=${secret}`);
  const step = stepNow();
  expect((await c.post('/api/auth/totp/confirm', { code: totpAt(secret, step) })).statusCode).toBe(200);
  return { c, secret, step };
}

describe('TOTP', () => {
  it('enrols, then requires the code at sign-in and refuses wrong and replayed codes', async () => {
    const c = await t.as('shelter.supervisor');
    const { secret } = (await c.post('/api/auth/totp/setup')).json() as { secret: string };
    const bad = await c.post('/api/auth/totp/confirm', { code: totpAt(secret, stepNow() - 20) });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('auth.totp_invalid');
    const step = stepNow();
    expect((await c.post('/api/auth/totp/confirm', { code: totpAt(secret, step) })).statusCode).toBe(200);
    expect((await c.refresh()).user.totpEnabled).toBe(true);

    const noCode = await t.client().login('shelter.supervisor');
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().error.code).toBe('auth.totp_required');

    const wrong = await t.client().login('shelter.supervisor', TEST_PASSWORD, totpAt(secret, step - 20));
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('auth.totp_invalid');

    // The step used at confirmation is spent; the next one (inside the drift window) signs in once.
    const spent = await t.client().login('shelter.supervisor', TEST_PASSWORD, totpAt(secret, step));
    expect(spent.json().error.code).toBe('auth.totp_invalid');
    const next = totpAt(secret, step + 1);
    const ok = await t.client().login('shelter.supervisor', TEST_PASSWORD, next);
    expect(ok.statusCode).toBe(200);
    const replay = await t.client().login('shelter.supervisor', TEST_PASSWORD, next);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('auth.totp_invalid');

    const [ev] = await t.db.query<{ n: number }>(
      "select count(*)::int as n from audit_events where action = 'auth.totp.enable' and actor_username = 'shelter.supervisor'",
    );
    expect(ev!.n).toBe(1);
  });

  it('keeps the secret encrypted at rest', async () => {
    const [row] = await t.db.query<{ totp_secret_enc: string }>(
      "select totp_secret_enc from users where username = 'shelter.supervisor'",
    );
    expect(row!.totp_secret_enc.startsWith('v1.')).toBe(true);
  });

  it('locks the account after repeated wrong codes, even with the right password', async () => {
    const { secret, step } = await enrol('police.admin');
    for (let i = 0; i < t.deps.config.lockoutThreshold; i++) {
      const res = await t.client().login('police.admin', TEST_PASSWORD, totpAt(secret, step - 30 - i));
      expect(res.statusCode).toBe(401);
    }
    const locked = await t.client().login('police.admin', TEST_PASSWORD, totpAt(secret, step + 1));
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error.code).toBe('auth.locked');
  });

  it('turns off with the password when no role requires it', async () => {
    const { c } = await enrol('south.officer');
    expect((await c.post('/api/auth/totp/disable', { password: 'wrong-password' })).statusCode).toBe(400);
    expect((await c.post('/api/auth/totp/disable', { password: TEST_PASSWORD })).statusCode).toBe(200);
    expect((await t.client().login('south.officer')).statusCode).toBe(200);
  });
});

describe('second factor required by role', () => {
  it('lets the admin require TOTP for a role; such users may only enrol until they do', async () => {
    const worker = await t.as('shelter.worker');
    expect((await worker.get('/api/agencies')).statusCode).toBe(200);

    const admin = await t.as('admin');
    const current = (await admin.get('/api/settings/security')).json() as { version: number };
    const put = await admin.put('/api/settings/security', {
      mfaRequiredRoles: ['case_worker'],
      version: current.version,
    });
    expect(put.statusCode).toBe(200);
    const stalePut = await admin.put('/api/settings/security', { mfaRequiredRoles: [], version: current.version });
    expect(stalePut.statusCode).toBe(409);
    expect(stalePut.json().error.code).toBe('conflict.stale');

    const refused = await worker.get('/api/agencies');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('auth.mfa_enrollment_required');
    const session = await worker.get('/api/auth/session');
    expect(session.statusCode).toBe(200);
    expect(session.json().user.mfaEnrollmentRequired).toBe(true);

    const { secret } = (await worker.post('/api/auth/totp/setup')).json() as { secret: string };
    expect((await worker.post('/api/auth/totp/confirm', { code: totpAt(secret, stepNow()) })).statusCode).toBe(200);
    expect((await worker.get('/api/agencies')).statusCode).toBe(200);
    // While the role requires it, the second factor cannot be turned off.
    const disable = await worker.post('/api/auth/totp/disable', { password: TEST_PASSWORD });
    expect(disable.statusCode).toBe(403);

    // Other roles are unaffected.
    expect((await (await t.as('hotline.operator')).get('/api/agencies')).statusCode).toBe(200);
    const latest = (await admin.get('/api/settings/security')).json() as { version: number };
    expect(
      (await admin.put('/api/settings/security', { mfaRequiredRoles: [], version: latest.version })).statusCode,
    ).toBe(200);
  });

  it('refuses the security settings to anyone but the system administrator', async () => {
    const c = await t.as('police.supervisor');
    expect((await c.get('/api/settings/security')).statusCode).toBe(403);
    expect((await c.put('/api/settings/security', { mfaRequiredRoles: [], version: 1 })).statusCode).toBe(403);
  });
});
