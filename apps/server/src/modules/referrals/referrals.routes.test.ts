import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../jobs/jobs.runner.ts';
import { intake } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { consent, referredCase } from '../../test/referral-fixtures.ts';

type Client = Awaited<ReturnType<TestApp['as']>>;
let t: TestApp;
let shelter: Client; // NGO case worker: holds the cases
let police: Client; // police case worker: receives
let policeOfficer: Client; // police first responder (no referrals.respond)
let social: Client; // third agency
let coordinator: Client;
let admin: Client;
let policeId: string;
let iomId: string;
let clinicId: string;

beforeAll(async () => {
  t = await createTestApp();
  shelter = await t.as('shelter.worker');
  police = await t.as('police.investigator');
  policeOfficer = await t.as('police.officer');
  social = await t.as('social.worker');
  coordinator = await t.as('coordinator');
  admin = await t.as('admin');
  policeId = await t.agencyId('Almaty City Police Department');
  iomId = await t.agencyId('IOM Kazakhstan');
  clinicId = await t.agencyId('City Polyclinic No. 5');
});
afterAll(async () => t.close());

const state = async (id: string) =>
  (await t.db.query<{ state: string }>('select state from referrals where id = $1', [id]))[0]!.state;
const fieldCodes = (res: { json: () => { error: { fields?: { path: string; code: string }[] } } }) =>
  (res.json().error.fields ?? []).map((f) => `${f.path}:${f.code}`);

describe('sending a referral', () => {
  it('needs consent for the purpose, and a scope within the sharing consent', async () => {
    const { id } = (await shelter.post('/api/cases', intake())).json();
    const body = { toAgencyId: policeId, purpose: 'formal_identification', urgency: 'routine', scope: ['identity'] };
    const noConsent = await shelter.post(`/api/cases/${id}/referrals`, body);
    expect(noConsent.statusCode).toBe(400);
    expect(fieldCodes(noConsent)).toEqual(['purpose:consent_missing']);

    await consent(shelter, id, { purpose: 'referral_identification' });
    const beyond = await shelter.post(`/api/cases/${id}/referrals`, body, { 'x-locale': 'ru' });
    expect(fieldCodes(beyond)).toEqual(['scope:scope_beyond_consent']);
    expect(beyond.json().error.fields[0].message).toContain('identity');

    await consent(shelter, id, { purpose: 'sharing', recipientAgencyType: 'police', scope: ['identity'] });
    const ok = await shelter.post(`/api/cases/${id}/referrals`, body);
    expect(ok.statusCode).toBe(201);
    const r = ok.json();
    expect(r.state).toBe('sent');
    expect(r.scope).toEqual(['identity']);
    expect(Date.parse(r.dueAt)).toBeGreaterThan(Date.parse(r.sentAt));
    expect(Date.parse(r.expiresAt)).toBeGreaterThan(Date.parse(r.dueAt));

    const again = await shelter.post(`/api/cases/${id}/referrals`, body);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('conflict.duplicate_referral');
  });

  it('sends formal identification to a competent authority only, and follows the NRM matrix and directory', async () => {
    const { id } = (await shelter.post('/api/cases', intake())).json();
    await consent(shelter, id, { purpose: 'referral_identification' });
    await consent(shelter, id, { purpose: 'assistance' });
    const send = (b: Record<string, unknown>) =>
      shelter.post(`/api/cases/${id}/referrals`, { urgency: 'routine', scope: [], ...b });
    expect(fieldCodes(await send({ toAgencyId: iomId, purpose: 'formal_identification' }))).toEqual([
      'toAgencyId:not_competent_authority',
    ]);
    expect(fieldCodes(await send({ toAgencyId: clinicId, purpose: 'shelter' }))).toEqual([
      'toAgencyId:referral_not_allowed',
    ]);
    expect(fieldCodes(await send({ toAgencyId: clinicId, purpose: 'return' }))).toEqual([
      'toAgencyId:referral_not_allowed',
    ]);
    const shelterId = await t.agencyId('Safe Home Crisis Centre (NGO shelter)');
    expect(fieldCodes(await send({ toAgencyId: shelterId, purpose: 'shelter' }))).toEqual(['toAgencyId:same_agency']);
    expect((await send({ toAgencyId: clinicId, purpose: 'medical' })).statusCode).toBe(201);
  });

  it('refuses a referral of a case the sender cannot see (404)', async () => {
    const { id } = (await police.post('/api/cases', intake())).json();
    const res = await shelter.post(`/api/cases/${id}/referrals`, {
      toAgencyId: iomId,
      purpose: 'return',
      urgency: 'routine',
      scope: [],
    });
    expect(res.statusCode).toBe(404);
  });
});

describe('child consent', () => {
  it('notes "not required" (guardian informed) for a child only', async () => {
    const adult = (await shelter.post('/api/cases', intake())).json().id;
    const child = (
      await shelter.post('/api/cases', intake({ person: { birthDate: { kind: 'exact', date: '2012-02-01' } } }))
    ).json().id;
    const note = {
      purpose: 'referral_identification',
      basis: 'not_required',
      guardianInformed: true,
      language: 'kk',
      interpreterUsed: false,
      date: '2026-11-21',
    };
    const refused = await shelter.post(`/api/cases/${adult}/consents`, note);
    expect(refused.statusCode).toBe(400);
    expect(fieldCodes(refused)).toEqual(['basis:not_required_only_for_children']);
    const noGuardian = await shelter.post(`/api/cases/${child}/consents`, { ...note, guardianInformed: false });
    expect(fieldCodes(noGuardian)).toEqual(['guardianInformed:guardian_must_be_informed']);
    const ok = await shelter.post(`/api/cases/${child}/consents`, note);
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ status: 'not_required', guardianInformed: true, language: 'kk' });
    const sent = await shelter.post(`/api/cases/${child}/referrals`, {
      toAgencyId: policeId,
      purpose: 'formal_identification',
      urgency: 'emergency',
      scope: [],
    });
    expect(sent.statusCode).toBe(201);
    expect(sent.json().info.ageGroup).toBe('child');
  });
});

describe('state transitions', () => {
  it('sent → accepted → in_progress → completed, each by the receiver; wrong state → 409', async () => {
    const { referralId, caseId } = await referredCase(t, shelter, { toAgencyId: policeId, scope: ['identity'] });
    // Before accepting: the decision facts only, and no case.
    const before = (await police.get(`/api/referrals/${referralId}`)).json();
    expect(before.caseId).toBeNull();
    expect(before.caseNumber).toBeNull();
    expect(before.info).toEqual({
      ageGroup: 'adult',
      sex: 'Feminine',
      languages: ['kk', 'ru'],
      interpreterNeeded: false,
      region: 'almaty',
    });
    expect(before.abilities).toMatchObject({ accept: true, decline: true, start: false, cancel: false });
    expect((await police.get(`/api/cases/${caseId}`)).statusCode).toBe(404);

    expect((await police.post(`/api/referrals/${referralId}/start`)).statusCode).toBe(409);
    expect((await police.post(`/api/referrals/${referralId}/complete`)).statusCode).toBe(409);
    const accepted = await police.post(`/api/referrals/${referralId}/accept`);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ state: 'accepted', caseId });
    const second = await police.post(`/api/referrals/${referralId}/accept`);
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('conflict.state');
    expect((await police.post(`/api/referrals/${referralId}/decline`, { reason: 'no_capacity' })).statusCode).toBe(409);
    expect((await police.post(`/api/referrals/${referralId}/complete`)).statusCode).toBe(409);
    expect((await police.post(`/api/referrals/${referralId}/start`)).json().state).toBe('in_progress');
    expect((await shelter.post(`/api/referrals/${referralId}/cancel`)).statusCode).toBe(409);
    expect((await police.post(`/api/referrals/${referralId}/complete`)).json().state).toBe('completed');
    for (const a of ['accept', 'start', 'complete'])
      expect((await police.post(`/api/referrals/${referralId}/${a}`)).statusCode).toBe(409);
    expect((await shelter.post(`/api/referrals/${referralId}/cancel`)).statusCode).toBe(409);
    // The completed referral keeps the scoped view.
    expect((await police.get(`/api/cases/${caseId}`)).statusCode).toBe(200);
  });

  it('sent → declined with a reason; nothing after', async () => {
    const { referralId, caseId } = await referredCase(t, shelter, { toAgencyId: policeId, scope: [] });
    expect((await police.post(`/api/referrals/${referralId}/decline`, {})).statusCode).toBe(400);
    const res = await police.post(`/api/referrals/${referralId}/decline`, { reason: 'outside_region' });
    expect(res.json()).toMatchObject({ state: 'declined', declineReason: 'outside_region' });
    expect((await police.post(`/api/referrals/${referralId}/accept`)).statusCode).toBe(409);
    expect((await shelter.post(`/api/referrals/${referralId}/cancel`)).statusCode).toBe(409);
    expect((await police.get(`/api/cases/${caseId}`)).statusCode).toBe(404);
  });

  it('the sender cancels from sent and from accepted; the receiver then loses the case', async () => {
    const a = await referredCase(t, shelter, { toAgencyId: policeId, scope: ['narrative'] });
    expect((await shelter.post(`/api/referrals/${a.referralId}/cancel`)).json().state).toBe('cancelled');
    expect((await police.post(`/api/referrals/${a.referralId}/accept`)).statusCode).toBe(409);

    const b = await referredCase(t, shelter, { toAgencyId: policeId, scope: ['narrative'] });
    await police.post(`/api/referrals/${b.referralId}/accept`);
    expect((await police.get(`/api/cases/${b.caseId}`)).statusCode).toBe(200);
    expect((await shelter.post(`/api/referrals/${b.referralId}/cancel`)).json().state).toBe('cancelled');
    expect((await police.get(`/api/cases/${b.caseId}`)).statusCode).toBe(404);
  });

  it('wrong actor → 404: the sender cannot answer, the receiver cannot cancel, a third agency can do neither', async () => {
    const { referralId } = await referredCase(t, shelter, { toAgencyId: policeId, scope: [] });
    for (const a of ['accept', 'start', 'complete']) {
      expect((await shelter.post(`/api/referrals/${referralId}/${a}`)).statusCode, a).toBe(404);
      expect((await social.post(`/api/referrals/${referralId}/${a}`)).statusCode, a).toBe(404);
    }
    expect((await shelter.post(`/api/referrals/${referralId}/decline`, { reason: 'other' })).statusCode).toBe(404);
    expect((await police.post(`/api/referrals/${referralId}/cancel`)).statusCode).toBe(404);
    expect((await social.post(`/api/referrals/${referralId}/cancel`)).statusCode).toBe(404);
    expect((await social.get(`/api/referrals/${referralId}`)).statusCode).toBe(404);
    // A police first responder lacks referrals.respond: refused by the route's permission.
    expect((await policeOfficer.post(`/api/referrals/${referralId}/accept`)).statusCode).toBe(403);
    expect(await state(referralId)).toBe('sent');
    const [denied] = await t.db.query<{ n: number }>(
      "select count(*)::int as n from audit_events where action = 'referral.accept' and outcome = 'denied' and target_id = $1",
      [referralId],
    );
    expect(denied!.n).toBe(2);
  });

  it('an unanswered referral expires: accept → 409, then the job marks it expired and tells the sender', async () => {
    const { referralId } = await referredCase(t, shelter, { toAgencyId: policeId, scope: [], urgency: 'emergency' });
    await t.db.query(
      "update referrals set due_at = now() - interval '2 hours', expires_at = now() - interval '1 minute' where id = $1",
      [referralId],
    );
    expect((await police.post(`/api/referrals/${referralId}/accept`)).statusCode).toBe(409);
    await t.db.query("update jobs set run_at = now() - interval '1 second' where payload->>'referralId' = $1", [
      referralId,
    ]);
    await runDueJobs(t.deps, 'test');
    expect(await state(referralId)).toBe('expired');
    const inbox = (await shelter.get('/api/notifications')).json();
    expect(
      inbox.items.some(
        (n: { kind: string; referralId: string }) => n.kind === 'referral_expired' && n.referralId === referralId,
      ),
    ).toBe(true);
  });
});

describe('what the receiver reads', () => {
  it('after accepting, exactly the shared scope, field by field', async () => {
    const { referralId, caseId, number } = await referredCase(t, shelter, {
      toAgencyId: policeId,
      scope: ['narrative'],
      person: { vulnerabilities: ['MentalHealth', 'Poverty'] },
    });
    await police.post(`/api/referrals/${referralId}/accept`);
    const res = await police.get(`/api/cases/${caseId}`);
    expect(res.statusCode).toBe(200);
    const c = res.json();
    expect(c.number).toBe(number);
    expect(c.access).toEqual({ kind: 'referral', scope: ['narrative'], expiresAt: null });
    expect(c.basics).toMatchObject({ sex: 'Feminine', isChild: false, region: 'almaty', languages: ['kk', 'ru'] });
    expect(c.identity).toBeNull();
    expect(c.contact).toBeNull();
    expect(c.documents).toBeNull();
    expect(c.screening).toBeNull();
    expect(c.medical).toBeNull();
    expect(c.narrative.narrative).toContain('14 hours');
    expect(c).not.toHaveProperty('person');
    expect(c.abilities).toEqual({ update: false, screen: false, viewAccessLog: false });
    // No identifier anywhere in the body.
    for (const secret of ['Ахметова', 'Айгерім', '+7 701', '98041750', '1998-04-17', 'MentalHealth'])
      expect(res.body).not.toContain(secret);
    // Lists show the case without a name; a name search does not find it.
    const list = (await police.post('/api/cases/search', {})).json();
    const row = list.items.find((i: { id: string }) => i.id === caseId);
    expect(row.displayName).toBeNull();
    const byName = (await police.post('/api/cases/search', { q: 'Ахметова' })).json();
    expect(byName.items.map((i: { id: string }) => i.id)).not.toContain(caseId);
    // The receiver cannot edit, screen or read the timeline or screenings (not shared).
    expect((await police.patch(`/api/cases/${caseId}`, { version: 1, case: intake().case })).statusCode).toBe(404);
    expect((await police.get(`/api/cases/${caseId}/screenings`)).statusCode).toBe(404);
    expect((await police.get(`/api/cases/${caseId}/consents`)).statusCode).toBe(404);
  });

  it('identity, contact, documents and medical appear only when shared', async () => {
    const { referralId, caseId } = await referredCase(t, shelter, {
      toAgencyId: policeId,
      scope: ['identity', 'contact', 'documents', 'medical', 'screening'],
      person: { vulnerabilities: ['MentalHealth', 'Poverty'] },
    });
    await police.post(`/api/referrals/${referralId}/accept`);
    const c = (await police.get(`/api/cases/${caseId}`)).json();
    expect(c.identity.names[0].family).toBe('Ахметова');
    expect(c.contact.contacts[0].value).toMatch(/^\+7 701/);
    expect(c.documents.documents[0].number).toMatch(/^98041750/);
    expect(c.medical).toEqual({ healthVulnerabilities: ['MentalHealth'] });
    expect(c.screening).toEqual({ latestOutcome: null });
    expect(c.narrative).toBeNull();
    expect(JSON.stringify(c)).not.toContain('14 hours');
    expect((await police.get(`/api/cases/${caseId}/screenings`)).statusCode).toBe(200);
    const list = (await police.post('/api/cases/search', { q: 'Ахметова' })).json();
    expect(list.items.find((i: { id: string }) => i.id === caseId)?.displayName).toBe('Ахметова Айгерім');
  });
});

describe('withdrawing consent', () => {
  it('narrows the shared scope in the same request', async () => {
    const { referralId, caseId, sharingConsentId } = await referredCase(t, shelter, {
      toAgencyId: policeId,
      scope: ['identity', 'narrative'],
    });
    await police.post(`/api/referrals/${referralId}/accept`);
    expect((await police.get(`/api/cases/${caseId}`)).json().identity).not.toBeNull();
    const w = await shelter.post(`/api/consents/${sharingConsentId}/withdraw`, {});
    expect(w.statusCode).toBe(200);
    expect(w.json().status).toBe('withdrawn');
    const after = await police.get(`/api/cases/${caseId}`);
    expect(after.json().identity).toBeNull();
    expect(after.json().narrative).toBeNull();
    expect(after.json().access.scope).toEqual([]);
    expect(after.body).not.toContain('Ахметова');
    expect((await shelter.post(`/api/consents/${sharingConsentId}/withdraw`, {})).statusCode).toBe(409);
  });

  it('ends the referral and removes access in the same request when the purpose consent goes', async () => {
    const { referralId, caseId, purposeConsentId } = await referredCase(t, shelter, {
      toAgencyId: policeId,
      scope: ['identity'],
    });
    await police.post(`/api/referrals/${referralId}/accept`);
    expect((await police.get(`/api/cases/${caseId}`)).statusCode).toBe(200);
    expect((await shelter.post(`/api/consents/${purposeConsentId}/withdraw`, { date: '2026-11-25' })).statusCode).toBe(
      200,
    );
    expect((await police.get(`/api/cases/${caseId}`)).statusCode).toBe(404);
    expect(await state(referralId)).toBe('consent_withdrawn');
    const list = (await police.post('/api/cases/search', {})).json();
    expect(list.items.map((i: { id: string }) => i.id)).not.toContain(caseId);
    const [audit] = await t.db.query<{ n: number }>(
      "select count(*)::int as n from audit_events where target_id = $1 and action in ('consent.withdraw', 'referral.consent_withdrawn')",
      [caseId],
    );
    expect(audit!.n).toBe(2);
    // Future sharing stops: a new referral for the purpose is refused.
    const again = await shelter.post(`/api/cases/${caseId}/referrals`, {
      toAgencyId: policeId,
      purpose: 'formal_identification',
      urgency: 'routine',
      scope: [],
    });
    expect(fieldCodes(again)).toEqual(['purpose:consent_missing']);
  });

  it('only the holding agency records or withdraws consent (404 otherwise)', async () => {
    const { purposeConsentId, caseId } = await referredCase(t, shelter, { toAgencyId: policeId, scope: [] });
    expect((await police.post(`/api/consents/${purposeConsentId}/withdraw`, {})).statusCode).toBe(404);
    expect(
      (
        await police.post(`/api/cases/${caseId}/consents`, {
          purpose: 'contact',
          basis: 'given',
          language: 'ru',
          interpreterUsed: false,
          date: '2026-11-21',
        })
      ).statusCode,
    ).toBe(404);
  });
});

describe('notifications, escalation, coordination', () => {
  it('tells the receiving agency, without personal data, and counts unread', async () => {
    const { referralId, number } = await referredCase(t, shelter, { toAgencyId: policeId, scope: ['identity'] });
    const inbox = (await police.get('/api/notifications', { 'x-locale': 'en' })).json();
    const n = inbox.items.find((i: { referralId: string }) => i.referralId === referralId);
    expect(n).toMatchObject({
      kind: 'referral_received',
      caseNumber: number,
      purpose: 'formal_identification',
      readAt: null,
    });
    expect(n.message).toBe(`New referral for case ${number}: Formal identification.`);
    expect(JSON.stringify(inbox)).not.toContain('Ахметова');
    const before = inbox.unread;
    const read = await police.post('/api/notifications/read', { ids: [n.id] });
    expect(read.json().unread).toBe(before - 1);
    expect((await police.post('/api/notifications/read', { all: true })).json().unread).toBe(0);
    // Another user's id changes nothing for them.
    const other = (await social.post('/api/notifications/read', { ids: [n.id] })).json();
    expect(other.unread).toBeGreaterThanOrEqual(0);
  });

  it('escalates an overdue referral once, to the receiving supervisors and the coordinators', async () => {
    const { referralId } = await referredCase(t, shelter, { toAgencyId: policeId, scope: [] });
    await t.db.query("update referrals set due_at = now() - interval '1 minute' where id = $1", [referralId]);
    await t.db.query(
      "update jobs set run_at = now() - interval '1 second' where kind in ('referral.escalate', 'referral.remind') and payload->>'referralId' = $1",
      [referralId],
    );
    await runDueJobs(t.deps, 'a');
    await runDueJobs(t.deps, 'b');
    const rows = await t.db.query<{ username: string; n: number }>(
      `select u.username, count(*)::int as n from notifications n join users u on u.id = n.user_id
        where n.referral_id = $1 and n.kind = 'referral_overdue' group by u.username order by u.username`,
      [referralId],
    );
    expect(rows).toEqual([
      { username: 'coordinator', n: 1 },
      { username: 'police.supervisor', n: 1 },
    ]);
    const reminded = await t.db.query(
      "select 1 from notifications where referral_id = $1 and kind = 'referral_reminder'",
      [referralId],
    );
    expect(reminded.length).toBeGreaterThan(0);
    const overview = (await coordinator.get('/api/coordination/referrals?overdue=true')).json();
    const row = overview.items.find((i: { id: string }) => i.id === referralId);
    expect(row).toMatchObject({
      state: 'sent',
      overdue: true,
      escalated: true,
      ageGroup: 'adult',
      purpose: 'formal_identification',
    });
    expect(row.waitingHours).toBeGreaterThanOrEqual(0);
  });

  it('gives the coordinator every referral without personal identifiers', async () => {
    const { number, caseId } = await referredCase(t, shelter, { toAgencyId: policeId, scope: ['identity'] });
    const res = await coordinator.get('/api/coordination/referrals');
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBeGreaterThan(0);
    for (const secret of [number, caseId, 'Ахметова']) expect(res.body).not.toContain(secret);
    expect((await shelter.get('/api/coordination/referrals')).statusCode).toBe(403);
    expect((await coordinator.get(`/api/cases/${caseId}`)).statusCode).toBe(403);
  });
});

describe('rules as data', () => {
  it('shows the NRM matrix to the coordinator; only a system admin edits it', async () => {
    const m = (await coordinator.get('/api/referral-rules/matrix')).json();
    expect(m.isDefault).toBe(true);
    expect(m.rules.length).toBeGreaterThan(10);
    expect((await coordinator.put('/api/referral-rules/matrix', { rules: m.rules, version: 0 })).statusCode).toBe(403);
    // Referring users read the matrix (the refer dialog offers only what it allows) but never edit it.
    expect((await shelter.get('/api/referral-rules/matrix')).statusCode).toBe(200);
    expect((await shelter.put('/api/referral-rules/matrix', { rules: m.rules, version: 0 })).statusCode).toBe(403);
    const analyst = await t.as('analyst');
    expect((await analyst.get('/api/referral-rules/matrix')).statusCode).toBe(403);
    // Remove NGO → police identification referrals, then a referral is refused by the matrix.
    const rules = m.rules.filter((r: { from: string; to: string }) => !(r.from === 'ngo' && r.to === 'police'));
    const saved = await admin.put('/api/referral-rules/matrix', { rules, version: 0 });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ isDefault: false, version: 1 });
    expect((await admin.put('/api/referral-rules/matrix', { rules, version: 0 })).statusCode).toBe(409);
    const { id } = (await shelter.post('/api/cases', intake())).json();
    await consent(shelter, id, { purpose: 'referral_identification' });
    const refused = await shelter.post(`/api/cases/${id}/referrals`, {
      toAgencyId: policeId,
      purpose: 'formal_identification',
      urgency: 'routine',
      scope: [],
    });
    expect(fieldCodes(refused)).toEqual(['toAgencyId:referral_not_allowed']);
    expect((await admin.put('/api/referral-rules/matrix', { rules: m.rules, version: 1 })).statusCode).toBe(200);
  });

  it('keeps deadlines and the holiday calendar as administrator-maintained data', async () => {
    const d = (await coordinator.get('/api/referral-rules/deadlines')).json();
    expect(d.rules.emergency.due).toEqual({ amount: 4, unit: 'hours' });
    expect(d.rules.urgent.due).toEqual({ amount: 1, unit: 'working_days' });
    const cal = (await admin.get('/api/calendar/2027')).json();
    expect(cal.configured).toBe(false);
    expect(cal.days.map((x: { date: string }) => x.date)).toContain('2027-03-22');
    const days = [...cal.days, { date: '2027-05-16', kind: 'holiday', label: 'Kurban Ait' }];
    const saved = await admin.put('/api/calendar/2027', { days, version: 0 });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ configured: true, version: 1 });
    expect(saved.json().days.map((x: { date: string }) => x.date)).toContain('2027-05-16');
    const wrongYear = await admin.put('/api/calendar/2027', {
      days: [{ date: '2028-01-01', kind: 'holiday', label: 'x' }],
      version: 1,
    });
    expect(fieldCodes(wrongYear)).toEqual(['days.0.date:date_outside_year']);
    expect((await coordinator.put('/api/calendar/2027', { days, version: 1 })).statusCode).toBe(403);
  });
});
