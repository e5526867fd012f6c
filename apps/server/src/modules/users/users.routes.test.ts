import { translate } from '@opennrm/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../test/harness.ts';

let t: TestApp;
let policeId: string;
let shelterId: string;
beforeAll(async () => {
  t = await createTestApp();
  policeId = await t.agencyId('Almaty City Police Department');
  shelterId = await t.agencyId('Safe Home Crisis Centre (NGO shelter)');
});
afterAll(async () => t.close());

let seq = 0;
const newUser = (agencyId: string, over: Record<string, unknown> = {}) => ({
  agencyId,
  username: `test.user${++seq}`,
  displayName: `Test User ${seq}`,
  roles: ['first_responder'],
  locale: 'ru',
  password: 'a-long-enough-password',
  ...over,
});
const count = async (sql: string, params: unknown[] = []) =>
  (await t.db.query<{ n: number }>(`select count(*)::int as n ${sql}`, params))[0]!.n;

describe('agency administrators', () => {
  it('create users in their own agency only', async () => {
    const pa = await t.as('police.admin');
    const created = await pa.post('/api/users', newUser(policeId));
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ agencyId: policeId, roles: ['first_responder'], active: true });
    expect(await count("from audit_events where action = 'user.create' and target_id = $1", [created.json().id])).toBe(
      1,
    );

    const elsewhere = await pa.post('/api/users', newUser(shelterId));
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().error.code).toBe('validation');
    expect(elsewhere.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['agencyId']);
  });

  it('see and manage only their own agency users; another agency user is not found', async () => {
    const sa = await t.as('shelter.admin');
    const list = (await sa.get('/api/users?pageSize=200')).json() as { items: { agencyId: string }[] };
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((u) => u.agencyId === shelterId)).toBe(true);
    expect((await sa.get(`/api/users?agencyId=${policeId}`)).json().items).toEqual([]);

    const officer = await t.userId('police.officer');
    expect((await sa.get(`/api/users/${officer}`)).statusCode).toBe(404);
    expect((await sa.patch(`/api/users/${officer}`, { displayName: 'Hijacked', version: 1 })).statusCode).toBe(404);
    expect((await sa.post(`/api/users/${officer}/password`, { password: 'taken-over-password' })).statusCode).toBe(404);
    expect((await sa.post(`/api/users/${officer}/unlock`)).statusCode).toBe(404);
    expect((await t.client().login('police.officer')).statusCode).toBe(200);
  });

  it('cannot grant system_admin, auditor or coordinator', async () => {
    const pa = await t.as('police.admin');
    for (const role of ['system_admin', 'auditor', 'coordinator']) {
      const res = await pa.post('/api/users', newUser(policeId, { roles: ['case_worker', role] }));
      expect(res.statusCode, role).toBe(400);
      expect(res.json().error.fields[0]).toMatchObject({ path: 'roles', code: 'role_not_assignable' });
      const id = await t.userId('police.investigator');
      const version = (await pa.get(`/api/users/${id}`)).json().version;
      const patched = await pa.patch(`/api/users/${id}`, { roles: [role], version });
      expect(patched.statusCode, role).toBe(400);
    }
    expect(await count("from users where 'system_admin' = any(roles) or 'auditor' = any(roles)")).toBe(2);
  });

  it('cannot take over an account holding a role only the system administrator grants', async () => {
    const admin = await t.as('admin');
    const coord = await admin.post('/api/users', newUser(policeId, { roles: ['coordinator'] }));
    expect(coord.statusCode).toBe(201);
    const { id, version, username } = coord.json();
    const pa = await t.as('police.admin');
    const reset = await pa.post(`/api/users/${id}/password`, { password: 'taken-over-password' });
    expect(reset.statusCode).toBe(403);
    expect((await pa.patch(`/api/users/${id}`, { email: 'attacker@evil.example', version })).statusCode).toBe(403);
    expect((await pa.patch(`/api/users/${id}`, { active: false, version })).statusCode).toBe(403);
    expect((await t.client().login(username, 'taken-over-password')).statusCode).toBe(401);
    expect((await t.client().login(username, 'a-long-enough-password')).statusCode).toBe(200);
  });

  it('refuses the decision-maker role outside a competent authority', async () => {
    const sa = await t.as('shelter.admin');
    const res = await sa.post('/api/users', newUser(shelterId, { roles: ['decision_maker'] }), { 'x-locale': 'ru' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0]).toMatchObject({
      path: 'roles',
      code: 'decision_maker_needs_competent_authority',
      message: translate('ru', 'validation.decision_maker_needs_competent_authority'),
    });
    const pa = await t.as('police.admin');
    expect((await pa.post('/api/users', newUser(policeId, { roles: ['decision_maker'] }))).statusCode).toBe(201);
  });
});

describe('user changes', () => {
  it('ends the sessions of a deactivated user at once', async () => {
    const victim = await t.as('police.supervisor');
    expect((await victim.get('/api/users')).statusCode).toBe(200);
    const pa = await t.as('police.admin');
    const id = await t.userId('police.supervisor');
    const { version } = (await pa.get(`/api/users/${id}`)).json();
    const res = await pa.patch(`/api/users/${id}`, { active: false, version });
    expect(res.statusCode).toBe(200);
    expect(res.json().active).toBe(false);
    expect((await victim.get('/api/users')).statusCode).toBe(401);
    expect(await count('from sessions where user_id = $1', [id])).toBe(0);
    expect((await t.client().login('police.supervisor')).statusCode).toBe(401);
    expect(await count("from audit_events where action = 'user.deactivate' and target_id = $1", [id])).toBe(1);
    expect((await pa.patch(`/api/users/${id}`, { active: true, version: version + 1 })).statusCode).toBe(200);
    expect((await t.client().login('police.supervisor')).statusCode).toBe(200);
  });

  it('detects a stale version (409) and leaves the newer change in place', async () => {
    const a = await t.as('admin');
    const id = await t.userId('clinic.nurse');
    const { version } = (await a.get(`/api/users/${id}`)).json();
    expect((await a.patch(`/api/users/${id}`, { displayName: 'First Edit', version })).statusCode).toBe(200);
    const lost = await a.patch(`/api/users/${id}`, { displayName: 'Second Edit', version });
    expect(lost.statusCode).toBe(409);
    expect(lost.json().error.code).toBe('conflict.stale');
    expect((await a.get(`/api/users/${id}`)).json().displayName).toBe('First Edit');
  });

  it('refuses a duplicate username or e-mail with 409', async () => {
    const a = await t.as('admin');
    const dup = await a.post('/api/users', newUser(policeId, { username: 'Police.Officer' }));
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('conflict.username_taken');
    const mail = await a.post('/api/users', newUser(policeId, { email: 'police.officer@demo.opennrm.invalid' }));
    expect(mail.statusCode).toBe(409);
    expect(mail.json().error.code).toBe('conflict.email_taken');
  });

  it('names every invalid field in the caller language', async () => {
    const a = await t.as('admin');
    const res = await a.post(
      '/api/users',
      { agencyId: policeId, username: 'x', displayName: 'X', roles: ['wizard'], password: 'short' },
      { 'x-locale': 'kk' },
    );
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('validation');
    expect(error.message).toBe(translate('kk', 'errors.validation'));
    const byPath = Object.fromEntries(
      (error.fields as { path: string; code: string; message: string }[]).map((f) => [f.path, f]),
    );
    expect(Object.keys(byPath)).toEqual(expect.arrayContaining(['username', 'password']));
    expect(Object.keys(byPath).some((p) => p.startsWith('roles'))).toBe(true);
    expect(byPath.password).toMatchObject({ code: 'too_small', message: translate('kk', 'validation.too_small') });
    for (const f of error.fields) expect(f.message).not.toMatch(/^validation\./);

    const missing = await a.post('/api/users', { agencyId: policeId, username: 'abc.def', roles: 'case_worker' });
    const codes = (missing.json().error.fields as { path: string; code: string }[]).map((f) => `${f.path}:${f.code}`);
    expect(codes).toEqual(expect.arrayContaining(['displayName:required', 'password:required', 'roles:invalid_type']));
  });

  it('writes nothing when a create fails half-way (no user row, no audit event)', async () => {
    const a = await t.as('admin');
    const auditBefore = await count('from audit_events');
    // Make the audit insert fail after the user row was written in the same transaction.
    await t.db.query(
      "alter table audit_events add constraint t_refuse_user_create check (action <> 'user.create') not valid",
    );
    try {
      const res = await a.post('/api/users', newUser(policeId, { username: 'half.written' }));
      expect(res.statusCode).toBe(500);
      expect(res.json().error.code).toBe('internal');
    } finally {
      await t.db.query('alter table audit_events drop constraint t_refuse_user_create');
    }
    expect(await count("from users where username = 'half.written'")).toBe(0);
    expect(await count('from audit_events')).toBe(auditBefore);
  });

  it('writes no audit event when the change is rolled back at commit', async () => {
    const a = await t.as('admin');
    await t.db.query(
      'alter table users add constraint t_unique_display unique (display_name) deferrable initially deferred',
    );
    try {
      const res = await a.post(
        '/api/users',
        newUser(policeId, { username: 'late.failure', displayName: 'Askar Decision Maker' }),
      );
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
    } finally {
      await t.db.query('alter table users drop constraint t_unique_display');
    }
    expect(await count("from users where username = 'late.failure'")).toBe(0);
    expect(
      await count(
        "from audit_events where action = 'user.create' and details->>'roles' = 'first_responder' and target_id not in (select id::text from users)",
      ),
    ).toBe(0);
  });

  it('lets an administrator set a password, which ends the user sessions', async () => {
    const victim = await t.as('police.investigator');
    const pa = await t.as('police.admin');
    const id = await t.userId('police.investigator');
    expect((await pa.post(`/api/users/${id}/password`, { password: 'short' })).statusCode).toBe(400);
    expect((await pa.post(`/api/users/${id}/password`, { password: 'reset-by-the-admin' })).statusCode).toBe(200);
    expect((await victim.get('/api/agencies')).statusCode).toBe(401);
    expect((await t.client().login('police.investigator', TEST_PASSWORD)).statusCode).toBe(401);
    expect((await t.client().login('police.investigator', 'reset-by-the-admin')).statusCode).toBe(200);
  });

  it('forbids user management to roles without it', async () => {
    const c = await t.as('police.officer');
    expect((await c.get('/api/users')).statusCode).toBe(403);
    expect((await c.post('/api/users', newUser(policeId))).statusCode).toBe(403);
  });
});
