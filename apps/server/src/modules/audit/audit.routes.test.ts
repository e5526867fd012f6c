import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealAudit } from '../../audit/sealer.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  // Some history: a failed and a successful sign-in, and an administrator change.
  await t.client().login('police.officer', 'wrong-password-here');
  const admin = await t.as('admin');
  const id = await t.userId('clinic.nurse');
  const { version } = (await admin.get(`/api/users/${id}`)).json();
  await admin.patch(`/api/users/${id}`, { displayName: 'Renamed Nurse', version });
  await admin.post('/api/auth/logout');
});
afterAll(async () => t.close());

interface Entry {
  id: string;
  actorId: string | null;
  actorUsername: string | null;
  agencyId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  outcome: string;
}

describe('audit log API', () => {
  it('shows the auditor typed events with actor, agency, target, ip and outcome, never details', async () => {
    const auditor = await t.as('auditor');
    const res = await auditor.get('/api/audit?pageSize=200');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Entry[];
    for (const e of items) expect(Object.keys(e)).not.toContain('details');
    expect(JSON.stringify(res.json())).not.toContain('bad_password');

    const update = items.find((e) => e.action === 'user.update');
    expect(update).toMatchObject({
      actorUsername: 'admin',
      actorId: await t.userId('admin'),
      agencyId: await t.agencyId('Inter-agency Commission Secretariat (National Coordinator)'),
      targetType: 'user',
      targetId: await t.userId('clinic.nurse'),
      ip: '127.0.0.1',
      outcome: 'success',
    });
    const actions = new Set(items.map((e) => e.action));
    for (const a of ['auth.login.failure', 'auth.login.success', 'auth.logout', 'user.update'])
      expect(actions).toContain(a);
  });

  it('filters by action, outcome, actor, agency and time', async () => {
    const auditor = await t.as('auditor');
    const failures = (await auditor.get('/api/audit?action=auth.login.failure')).json();
    expect(failures.total).toBeGreaterThanOrEqual(1);
    expect(failures.items.every((e: Entry) => e.action === 'auth.login.failure' && e.outcome === 'failure')).toBe(true);

    const byOutcome = (await auditor.get('/api/audit?outcome=failure&pageSize=200')).json();
    expect(byOutcome.items.every((e: Entry) => e.outcome === 'failure')).toBe(true);

    const adminId = await t.userId('admin');
    const byActor = (await auditor.get(`/api/audit?actorId=${adminId}&pageSize=200`)).json();
    expect(byActor.items.length).toBeGreaterThan(0);
    expect(byActor.items.every((e: Entry) => e.actorId === adminId)).toBe(true);

    const police = await t.agencyId('Almaty City Police Department');
    const byAgency = (await auditor.get(`/api/audit?agencyId=${police}&pageSize=200`)).json();
    expect(byAgency.items.map((e: Entry) => e.actorUsername)).toContain('police.officer');
    expect(byAgency.items.every((e: Entry) => e.agencyId === police)).toBe(true);

    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await auditor.get(`/api/audit?from=${encodeURIComponent(future)}`)).json().total).toBe(0);
    expect((await auditor.get(`/api/audit?to=${encodeURIComponent(future)}`)).json().total).toBeGreaterThan(3);

    const bad = await auditor.get('/api/audit?action=not.an.action&pageSize=5000');
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.fields.map((f: { path: string }) => f.path)
        .sort(),
    ).toEqual(['querystring.action', 'querystring.pageSize']);
  });

  it('records that the audit log was read', async () => {
    const auditor = await t.as('auditor');
    await auditor.get('/api/audit');
    const [row] = await t.db.query<{ n: number }>(
      "select count(*)::int as n from audit_events where action = 'audit.read' and actor_username = 'auditor'",
    );
    expect(row!.n).toBeGreaterThanOrEqual(1);
  });

  it('refuses the audit log to roles without audit.read', async () => {
    for (const username of ['police.officer', 'admin', 'police.admin', 'coordinator']) {
      const c = await t.as(username);
      const res = await c.get('/api/audit');
      expect(res.statusCode, username).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
      expect((await c.get('/api/audit/verify')).statusCode, username).toBe(403);
    }
  });

  it('lets the auditor verify the chain', async () => {
    await sealAudit(t.db);
    const auditor = await t.as('auditor');
    const res = await auditor.get('/api/audit/verify');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true });
    expect(res.json().events).toBeGreaterThan(5);
  });
});
