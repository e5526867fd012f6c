import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intake } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';

type Client = Awaited<ReturnType<TestApp['as']>>;
let t: TestApp;
let shelter: Client;
let shelterSupervisor: Client;
let nurse: Client; // health, first responder
let policeSupervisor: Client;
let iom: Client;

beforeAll(async () => {
  t = await createTestApp();
  shelter = await t.as('shelter.worker');
  shelterSupervisor = await t.as('shelter.supervisor');
  nurse = await t.as('clinic.nurse');
  policeSupervisor = await t.as('police.supervisor');
  iom = await t.as('iom.officer');
});
afterAll(async () => t.close());

const REASON = 'Unconscious patient brought in by ambulance; need known allergies and contacts.';

describe('emergency access', () => {
  it('opens a case for 4 hours with a written reason, audited, visible on the case, then 404 again', async () => {
    const { id } = (await shelter.post('/api/cases', intake())).json();
    expect((await nurse.get(`/api/cases/${id}`)).statusCode).toBe(404);
    expect((await nurse.post(`/api/cases/${id}/emergency-access`, { reason: 'urgent' })).statusCode).toBe(400);
    const res = await nurse.post(`/api/cases/${id}/emergency-access`, { reason: REASON });
    expect(res.statusCode).toBe(201);
    const grant = res.json();
    const hours = (Date.parse(grant.expiresAt) - Date.parse(grant.grantedAt)) / 3_600_000;
    expect(hours).toBeCloseTo(4, 5);
    expect(grant.active).toBe(true);

    const read = (await nurse.get(`/api/cases/${id}`)).json();
    expect(read.access).toMatchObject({ kind: 'emergency', expiresAt: grant.expiresAt });
    expect(read.person.names[0].family).toBe('Ахметова');
    expect(read.abilities).toEqual({ update: false, screen: false, viewAccessLog: false });
    expect((await nurse.patch(`/api/cases/${id}`, { version: 1, case: intake().case })).statusCode).toBe(404);
    const listed = (await nurse.post('/api/cases/search', {})).json();
    expect(listed.items.map((i: { id: string }) => i.id)).toContain(id);
    expect((await nurse.post(`/api/cases/${id}/emergency-access`, { reason: REASON })).statusCode).toBe(409);

    // Visible on the case for the holding agency, with the reason; in the timeline; audited.
    const onCase = (await shelter.get(`/api/cases/${id}/emergency-access`)).json();
    expect(onCase.items[0]).toMatchObject({ reason: REASON, user: { displayName: 'Ainur Nurse' }, review: null });
    const timeline = (await shelter.get(`/api/cases/${id}/timeline`)).json();
    expect(timeline.items.map((e: { action: string }) => e.action)).toContain('emergency.open');
    const [audit] = await t.db.query<{ details: Record<string, unknown> }>(
      "select details from audit_events where action = 'emergency.open' and target_id = $1",
      [id],
    );
    expect(JSON.stringify(audit!.details)).not.toContain('allergies');
    // The reason is stored encrypted.
    const [row] = await t.db.query<{ reason_enc: string }>('select reason_enc from emergency_access where id = $1', [
      grant.id,
    ]);
    expect(row!.reason_enc).not.toContain('allergies');
    // Supervisors of the holding agency are told (no personal data).
    const inbox = (await shelterSupervisor.get('/api/notifications')).json();
    expect(inbox.items.some((n: { kind: string }) => n.kind === 'emergency_access_opened')).toBe(true);

    // Expiry → 404 again, and out of lists.
    await t.db.query("update emergency_access set expires_at = now() - interval '1 second' where id = $1", [grant.id]);
    expect((await nurse.get(`/api/cases/${id}`)).statusCode).toBe(404);
    const after = (await nurse.post('/api/cases/search', {})).json();
    expect(after.items.map((i: { id: string }) => i.id)).not.toContain(id);
  });

  it('is only for police and health users (403), and not for cases already visible (409)', async () => {
    const { id } = (await shelter.post('/api/cases', intake())).json();
    expect((await iom.post(`/api/cases/${id}/emergency-access`, { reason: REASON })).statusCode).toBe(403);
    expect((await shelter.post(`/api/cases/${id}/emergency-access`, { reason: REASON })).statusCode).toBe(403);
    const own = (await nurse.post('/api/cases', intake())).json().id;
    expect((await nurse.post(`/api/cases/${own}/emergency-access`, { reason: REASON })).statusCode).toBe(409);
  });

  it("is reviewed once by the holding agency's supervisor", async () => {
    const { id } = (await shelter.post('/api/cases', intake())).json();
    const grant = (await nurse.post(`/api/cases/${id}/emergency-access`, { reason: REASON })).json();
    const pending = (await shelterSupervisor.get('/api/emergency-access/pending-review')).json();
    expect(pending.items.map((g: { id: string }) => g.id)).toContain(grant.id);
    expect(
      (await policeSupervisor.post(`/api/emergency-access/${grant.id}/review`, { outcome: 'justified' })).statusCode,
    ).toBe(404);
    expect((await shelter.post(`/api/emergency-access/${grant.id}/review`, { outcome: 'justified' })).statusCode).toBe(
      403,
    );
    const reviewed = await shelterSupervisor.post(`/api/emergency-access/${grant.id}/review`, { outcome: 'justified' });
    expect(reviewed.statusCode).toBe(200);
    expect(reviewed.json().review).toMatchObject({ outcome: 'justified', by: { displayName: 'Olga Supervisor' } });
    const again = await shelterSupervisor.post(`/api/emergency-access/${grant.id}/review`, {
      outcome: 'not_justified',
    });
    expect(again.json().error.code).toBe('conflict.already_reviewed');
    const left = (await shelterSupervisor.get('/api/emergency-access/pending-review')).json();
    expect(left.items.map((g: { id: string }) => g.id)).not.toContain(grant.id);
  });
});
