import { translate } from '@opennrm/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const input = (name: string) => ({ name, type: 'ngo', region: 'shymkent', isCompetentAuthority: false });

describe('agencies', () => {
  it('lists the demo directory to any signed-in user with agencies.read', async () => {
    const c = await t.as('police.officer');
    const res = await c.get('/api/agencies');
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toHaveLength(12);
    const police = (await c.get('/api/agencies?type=police')).json().items;
    expect(police.map((a: { type: string }) => a.type)).toEqual(['police', 'police']);
  });

  it('lets only the system administrator create and update agencies', async () => {
    for (const username of ['police.admin', 'shelter.admin', 'coordinator', 'auditor', 'police.supervisor']) {
      const c = await t.as(username);
      const res = await c.post('/api/agencies', input(`Nope ${username}`));
      expect(res.statusCode, username).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
      const id = await t.agencyId('Almaty City Police Department');
      expect((await c.patch(`/api/agencies/${id}`, { name: 'Renamed', version: 1 })).statusCode, username).toBe(403);
    }
    expect((await t.db.query("select 1 from agencies where name like 'Nope %'")).length).toBe(0);

    const admin = await t.as('admin');
    const created = await admin.post('/api/agencies', input('Shymkent Women Support Centre'));
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'Shymkent Women Support Centre', version: 1, active: true });
    const [ev] = await t.db.query<{ actor_username: string; target_id: string }>(
      "select actor_username, target_id from audit_events where action = 'agency.create' and target_type = 'agency'",
    );
    expect(ev).toEqual({ actor_username: 'admin', target_id: created.json().id });
    const dup = await admin.post('/api/agencies', input('shymkent women support centre'));
    expect(dup.statusCode).toBe(409);
  });

  it('refuses to drop competent-authority status while decision makers work there', async () => {
    const admin = await t.as('admin');
    const id = await t.agencyId('Almaty City Police Department');
    const current = (await admin.get(`/api/agencies/${id}`)).json();
    const res = await admin.patch(`/api/agencies/${id}`, { isCompetentAuthority: false, version: current.version });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0]).toMatchObject({
      path: 'isCompetentAuthority',
      code: 'agency_has_decision_makers',
    });
    expect((await admin.get(`/api/agencies/${id}`)).json().isCompetentAuthority).toBe(true);
  });

  it('detects a stale version and a missing agency', async () => {
    const admin = await t.as('admin');
    const a = (await admin.post('/api/agencies', input('Versioned Agency'))).json();
    const first = await admin.patch(`/api/agencies/${a.id}`, { address: 'Abay 1', version: a.version });
    expect(first.statusCode).toBe(200);
    expect(first.json().version).toBe(a.version + 1);
    const stale = await admin.patch(`/api/agencies/${a.id}`, { address: 'Abay 2', version: a.version });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('conflict.stale');
    expect((await admin.get(`/api/agencies/${a.id}`)).json().address).toBe('Abay 1');
    const missing = await admin.patch('/api/agencies/00000000-0000-4000-8000-000000000000', { version: 1 });
    expect(missing.statusCode).toBe(404);
  });

  it('names invalid fields in the caller language', async () => {
    const admin = await t.as('admin');
    const res = await admin.post(
      '/api/agencies',
      { name: '', type: 'spaceship', region: 'mars', isCompetentAuthority: false, contactEmail: 'nope' },
      { 'x-locale': 'ru' },
    );
    expect(res.statusCode).toBe(400);
    const fields = res.json().error.fields as { path: string; message: string }[];
    expect(fields.map((f) => f.path).sort()).toEqual(['contactEmail', 'name', 'region', 'type']);
    expect(res.json().error.message).toBe(translate('ru', 'errors.validation'));
  });

  it('ends the sessions of every user of an agency when it is deactivated', async () => {
    const inspector = await t.as('labour.inspector');
    const officer = await t.as('police.officer');
    const admin = await t.as('admin');
    const id = await t.agencyId('Almaty Labour Inspectorate');
    const { version } = (await admin.get(`/api/agencies/${id}`)).json();
    const res = await admin.patch(`/api/agencies/${id}`, { active: false, version });
    expect(res.statusCode).toBe(200);
    expect((await inspector.get('/api/agencies')).statusCode).toBe(401);
    expect((await t.client().login('labour.inspector')).statusCode).toBe(401);
    expect((await officer.get('/api/agencies')).statusCode).toBe(200);
    expect((await admin.patch(`/api/agencies/${id}`, { active: true, version: version + 1 })).statusCode).toBe(200);
    expect((await t.client().login('labour.inspector')).statusCode).toBe(200);
  });
});
