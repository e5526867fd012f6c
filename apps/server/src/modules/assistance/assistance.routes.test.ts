import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../jobs/jobs.runner.ts';
import { intake } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { consent } from '../../test/referral-fixtures.ts';

type Client = Awaited<ReturnType<TestApp['as']>>;
let t: TestApp;
let shelter: Client; // NGO case worker: holds the cases
let supervisor: Client; // NGO supervisor
let social: Client; // social protection case worker: provides legal aid
let police: Client; // police case worker: another agency
let policeSupervisor: Client;
let coordinator: Client;
let admin: Client;
let shelterId: string;
let socialId: string;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n');

async function newCase(person: Record<string, unknown> = {}, withConsent = true) {
  const res = await shelter.post('/api/cases', intake({ person: person as never }));
  expect(res.statusCode).toBe(201);
  const id = res.json().id as string;
  if (withConsent) await consent(shelter, id, { purpose: 'assistance' });
  return id;
}

const service = (over: Record<string, unknown> = {}) => ({
  category: 'psychological',
  providerAgencyId: shelterId,
  plannedStart: '2026-11-25',
  ...over,
});

beforeAll(async () => {
  t = await createTestApp();
  shelter = await t.as('shelter.worker');
  supervisor = await t.as('shelter.supervisor');
  social = await t.as('social.worker');
  police = await t.as('police.investigator');
  policeSupervisor = await t.as('police.supervisor');
  coordinator = await t.as('coordinator');
  admin = await t.as('admin');
  shelterId = await t.agencyId('Safe Home Crisis Centre (NGO shelter)');
  socialId = await t.agencyId('Almaty Department of Employment and Social Protection');
});
afterAll(async () => t.close());

describe('needs and plan', () => {
  it('assesses needs, plans goals and services, records delivery and shows progress', async () => {
    const id = await newCase();
    let res = await shelter.post(`/api/cases/${id}/needs-assessments`, {
      assessedOn: '2026-11-24',
      areas: { safety: 'high', psychological: 'high', legal: 'medium', housing: 'high' },
      riskLevel: 'high',
      notes: 'Fears the employer will find her.',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().needs[0].areas.safety).toBe('high');
    expect(res.json().needs[0].notes).toBe('Fears the employer will find her.');
    res = await shelter.put(`/api/cases/${id}/assistance-plan`, {
      goals: [{ id: 'g1', text: 'Safe accommodation', area: 'housing' }],
      version: 0,
    });
    expect(res.statusCode).toBe(200);
    expect((await shelter.put(`/api/cases/${id}/assistance-plan`, { goals: [], version: 0 })).statusCode).toBe(409);
    res = await shelter.post(`/api/cases/${id}/services`, service({ goalId: 'g1' }));
    expect(res.statusCode).toBe(201);
    const s = res.json().services[0];
    expect(s).toMatchObject({ status: 'planned', htcdsType: 'Health', provider: { id: shelterId } });
    res = await shelter.post(`/api/cases/${id}/services`, service({ category: 'counselling' }));
    res = await shelter.put(`/api/services/${s.id}`, {
      status: 'delivered',
      actualStart: '2026-11-25',
      actualEnd: '2026-11-28',
      outcome: 'achieved',
      version: s.version,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().progress).toEqual({ total: 2, delivered: 1, open: 1, percent: 50 });
    // No going back from delivered.
    const back = await shelter.put(`/api/services/${s.id}`, { status: 'planned', version: s.version + 1 });
    expect(back.json().error.fields[0].code).toBe('status_move_not_allowed');
    // Free text is sealed at rest.
    const [row] = await t.db.query<{ notes_enc: string }>(
      'select notes_enc from needs_assessments where case_id = $1',
      [id],
    );
    expect(row!.notes_enc).not.toContain('employer');
  });

  it('refuses services without an assistance consent (art. 12(7))', async () => {
    const id = await newCase({}, false);
    const res = await shelter.post(`/api/cases/${id}/services`, service());
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('assistance.consent_missing');
    expect((await shelter.get(`/api/cases/${id}/assistance`)).json().consent).toBe(false);
  });

  it('is the holding agency`s record: another agency gets 404, a role without assistance.manage 403', async () => {
    const id = await newCase();
    expect((await police.get(`/api/cases/${id}/assistance`)).statusCode).toBe(404);
    expect((await police.post(`/api/cases/${id}/services`, service())).statusCode).toBe(404);
    expect(
      (
        await police.post(`/api/cases/${id}/needs-assessments`, {
          assessedOn: '2026-11-24',
          areas: { safety: 'low' },
          riskLevel: 'low',
        })
      ).statusCode,
    ).toBe(404);
    expect((await coordinator.post(`/api/cases/${id}/services`, service())).statusCode).toBe(403);
  });
});

describe('placements and capacity', () => {
  it('enforces capacity; above it only with a reason, flagged to the coordinator', async () => {
    const cap = await admin.put(`/api/agencies/${shelterId}/capacity`, {
      rows: [{ category: 'shelter', sex: 'female', ageGroup: 'adult', places: 1 }],
    });
    expect(cap.statusCode).toBe(200);
    const a = await newCase();
    const b = await newCase();
    expect((await shelter.post(`/api/cases/${a}/services`, service({ category: 'shelter' }))).statusCode).toBe(201);
    const occ = await shelter.get(`/api/agencies/${shelterId}/occupancy`);
    expect(occ.json().rows[0]).toMatchObject({ places: 1, occupied: 1, overCapacity: false });
    const full = await shelter.post(`/api/cases/${b}/services`, service({ category: 'shelter' }));
    expect(full.statusCode).toBe(400);
    expect(full.json().error.fields[0]).toMatchObject({ path: 'overrideReason', code: 'over_capacity' });
    const blank = await shelter.post(
      `/api/cases/${b}/services`,
      service({ category: 'shelter', overrideReason: '  ' }),
    );
    expect(blank.statusCode).toBe(400);
    const over = await shelter.post(
      `/api/cases/${b}/services`,
      service({ category: 'shelter', overrideReason: 'Arrived at night; no other shelter in the city.' }),
    );
    expect(over.statusCode).toBe(201);
    expect(over.json().services[0]).toMatchObject({ overCapacity: true, placement: true });
    const flags = (await coordinator.get('/api/coordination/over-capacity')).json().items;
    expect(flags.some((f: { id: string }) => f.id === over.json().services[0].id)).toBe(true);
    const inbox = (await coordinator.get('/api/notifications')).json().items;
    expect(inbox.some((n: { kind: string }) => n.kind === 'placement_over_capacity')).toBe(true);
    // A man is not counted against the women's places.
    const man = await newCase({ sex: 'Masculine' });
    expect((await shelter.post(`/api/cases/${man}/services`, service({ category: 'shelter' }))).statusCode).toBe(201);
    // Only a system administrator sets capacity.
    expect((await shelter.put(`/api/agencies/${shelterId}/capacity`, { rows: [] })).statusCode).toBe(403);
  });
});

describe('a service from another agency is a referral', () => {
  it('requests legal aid from the social protection department and closes when it completes the referral', async () => {
    const id = await newCase();
    const res = await shelter.post(
      `/api/cases/${id}/services`,
      service({ category: 'legal_aid', providerAgencyId: socialId, urgency: 'urgent' }),
    );
    expect(res.statusCode).toBe(201);
    const s = res.json().services[0];
    expect(s.status).toBe('requested');
    expect(s.referralId).toBeTruthy();
    const [r] = await t.db.query<{ purpose: string }>('select purpose from referrals where id = $1', [s.referralId]);
    expect(r!.purpose).toBe('legal_aid');
    // The holder cannot mark a referred service delivered itself.
    const self = await shelter.put(`/api/services/${s.id}`, { status: 'delivered', version: s.version });
    expect(self.statusCode).toBe(400);
    expect((await social.post(`/api/referrals/${s.referralId}/accept`)).statusCode).toBe(200);
    let a = (await shelter.get(`/api/cases/${id}/assistance`)).json();
    expect(a.services[0].status).toBe('in_progress');
    expect((await social.post(`/api/referrals/${s.referralId}/start`)).statusCode).toBe(200);
    expect((await social.post(`/api/referrals/${s.referralId}/complete`)).statusCode).toBe(200);
    a = (await shelter.get(`/api/cases/${id}/assistance`)).json();
    expect(a.services[0].status).toBe('delivered');
    expect(a.services[0].actualEnd).toBeTruthy();
    expect(a.progress.percent).toBe(100);
  });
});

describe('consent withdrawn', () => {
  it('ends the referral of a requested service, and the service with it; no new services', async () => {
    const res = await shelter.post('/api/cases', intake());
    const id = res.json().id as string;
    const c = await consent(shelter, id, { purpose: 'assistance' });
    const a = (
      await shelter.post(`/api/cases/${id}/services`, service({ category: 'legal_aid', providerAgencyId: socialId }))
    ).json();
    expect(a.services[0].status).toBe('requested');
    expect((await shelter.post(`/api/consents/${c.id}/withdraw`, { date: '2026-11-26' })).statusCode).toBe(200);
    const after = (await shelter.get(`/api/cases/${id}/assistance`)).json();
    expect(after.consent).toBe(false);
    expect(after.services[0].status).toBe('cancelled');
    expect((await shelter.post(`/api/cases/${id}/services`, service())).json().error.code).toBe(
      'assistance.consent_missing',
    );
  });
});

describe('children', () => {
  const CHILD = { birthDate: { kind: 'exact', date: '2012-05-01' } };
  async function childCase() {
    const res = await shelter.post('/api/cases', intake({ person: CHILD as never }));
    const id = res.json().id as string;
    await consent(shelter, id, { purpose: 'assistance', basis: 'not_required', guardianInformed: true });
    return id;
  }

  it('records a guardian for an unaccompanied child and a best-interests assessment', async () => {
    const id = await childCase();
    let a = (await shelter.get(`/api/cases/${id}/assistance`)).json();
    expect(a.isChild).toBe(true);
    expect(a.child.guardianMissing).toBe(false);
    const res = await shelter.put(`/api/cases/${id}/child-protection`, { unaccompanied: true, version: 0 });
    expect(res.json().child.guardianMissing).toBe(true);
    a = (
      await shelter.put(`/api/cases/${id}/child-protection`, {
        unaccompanied: true,
        guardianName: 'Guardianship authority of Almaty',
        guardianRole: 'guardianship_authority',
        guardianAppointedOn: '2026-11-24',
        bestInterestsAssessedOn: '2026-11-25',
        bestInterestsSummary: 'Stay in Kazakhstan with education support.',
        version: 1,
      })
    ).json();
    expect(a.child).toMatchObject({ guardianMissing: false, educationPlanned: false });
    a = (await shelter.post(`/api/cases/${id}/services`, service({ category: 'education' }))).json();
    expect(a.child.educationPlanned).toBe(true);
    // Not for adults.
    const adult = await newCase();
    expect(
      (await shelter.put(`/api/cases/${adult}/child-protection`, { unaccompanied: true, version: 0 })).statusCode,
    ).toBe(400);
  });

  it('never returns a child whose risk assessment says return is not in the child`s best interests (art. 16(7))', async () => {
    const id = await childCase();
    let a = (
      await shelter.post(`/api/cases/${id}/returns`, {
        requestedOn: '2026-11-25',
        voluntary: true,
        destinationCountry: 'UZ',
        receivingOrganisation: 'IOM Tashkent',
      })
    ).json();
    const ret = a.returns[0];
    expect(ret.forChild).toBe(true);
    const noBi = await shelter.post(`/api/returns/${ret.id}/risk-assessment`, {
      assessedOn: '2026-11-26',
      riskLevel: 'high',
      summary: 'Family involved in the recruitment.',
      version: ret.version,
    });
    expect(noBi.json().error.fields[0]).toMatchObject({ path: 'inChildsBestInterests', code: 'required' });
    a = (
      await shelter.post(`/api/returns/${ret.id}/risk-assessment`, {
        assessedOn: '2026-11-26',
        riskLevel: 'high',
        summary: 'Family involved in the recruitment.',
        inChildsBestInterests: false,
        version: ret.version,
      })
    ).json();
    const refused = await shelter.post(`/api/returns/${ret.id}/decision`, {
      decision: 'approve',
      version: a.returns[0].version,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('assistance.child_return_refused');
    // The database refuses it too.
    await expect(t.db.query("update returns set state = 'approved' where id = $1", [ret.id])).rejects.toThrow();
    // Refusing the return is fine.
    const ok = await shelter.post(`/api/returns/${ret.id}/decision`, {
      decision: 'refuse',
      version: a.returns[0].version,
    });
    expect(ok.json().returns[0].state).toBe('refused');
  });
});

describe('return of an adult', () => {
  it('needs a risk assessment; completion schedules follow-ups at 1, 3, 6 and 12 months with reminders', async () => {
    const id = await newCase({ citizenships: ['UZ'] });
    let a = (
      await shelter.post(`/api/cases/${id}/returns`, {
        requestedOn: '2026-11-25',
        voluntary: true,
        destinationCountry: 'UZ',
      })
    ).json();
    const ret = a.returns[0];
    // The input has no room for an involuntary return.
    expect(
      (
        await shelter.post(`/api/cases/${id}/returns`, {
          requestedOn: '2026-11-25',
          voluntary: false,
          destinationCountry: 'UZ',
        })
      ).statusCode,
    ).toBe(400);
    const early = await shelter.post(`/api/returns/${ret.id}/decision`, { decision: 'approve', version: ret.version });
    expect(early.json().error.fields[0].code).toBe('risk_assessment_required');
    a = (
      await shelter.post(`/api/returns/${ret.id}/risk-assessment`, {
        assessedOn: '2026-11-26',
        riskLevel: 'low',
        summary: 'Recruiter convicted; family supportive.',
        version: ret.version,
      })
    ).json();
    a = (
      await shelter.post(`/api/returns/${ret.id}/decision`, { decision: 'approve', version: a.returns[0].version })
    ).json();
    a = (
      await shelter.post(`/api/returns/${ret.id}/decision`, {
        decision: 'complete',
        returnDate: '2026-01-10',
        travelDocuments: 'issued',
        version: a.returns[0].version,
      })
    ).json();
    expect(a.stage).toBe('return_integration');
    expect(a.returns[0].followUps.map((f: { dueOn: string }) => f.dueOn)).toEqual([
      '2026-02-10',
      '2026-04-10',
      '2026-07-10',
      '2027-01-10',
    ]);
    await runDueJobs(t.deps, 'test');
    const inbox = (await shelter.get('/api/notifications')).json().items;
    expect(inbox.some((n: { kind: string }) => n.kind === 'return_follow_up_due')).toBe(true);
    const f = a.returns[0].followUps[0];
    a = (
      await shelter.post(`/api/return-follow-ups/${f.id}/done`, { doneOn: '2026-02-11', note: 'Working, safe.' })
    ).json();
    expect(a.returns[0].followUps[0]).toMatchObject({ doneOn: '2026-02-11', note: 'Working, safe.' });
  });
});

describe('notes and attachments', () => {
  it('encrypts, checks the type by content, limits the size and shares by scope', async () => {
    const id = await newCase();
    expect((await shelter.post(`/api/cases/${id}/notes`, { text: 'Called the family.' })).statusCode).toBe(201);
    expect((await shelter.get(`/api/cases/${id}/notes`)).json().items[0].text).toBe('Called the family.');
    const up = (body: Record<string, unknown>) =>
      shelter.post(`/api/cases/${id}/attachments`, {
        fileName: 'passport-copy.pdf',
        contentType: 'application/pdf',
        category: 'documents',
        data: PDF.toString('base64'),
        ...body,
      });
    const res = await up({});
    expect(res.statusCode).toBe(201);
    const att = res.json().items[0];
    expect(att).toMatchObject({ fileName: 'passport-copy.pdf', size: PDF.length, contentType: 'application/pdf' });
    expect((await up({ contentType: 'image/png' })).json().error.fields[0].code).toBe('type_mismatch');
    const exe = Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]).toString('base64');
    expect((await up({ data: exe })).statusCode).toBe(415);
    // Above 5 MB: refused (the route's body limit allows the base64 of 5 MB).
    const big = Buffer.alloc(5 * 1024 * 1024 + 10, 0x41);
    big.write('%PDF-');
    expect((await up({ data: big.toString('base64') })).statusCode).toBe(413);
    await up({
      category: 'medical',
      fileName: 'clinic.txt',
      contentType: 'text/plain',
      data: Buffer.from('Blood test: normal').toString('base64'),
    });
    const [row] = await t.db.query<{ name_enc: string; content_enc: string }>(
      'select name_enc, content_enc from case_attachments where id = $1',
      [att.id],
    );
    expect(row!.name_enc).not.toContain('passport');
    expect(row!.content_enc).not.toContain(PDF.toString('base64').slice(0, 12));
    const dl = await shelter.get(`/api/attachments/${att.id}/content`);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['content-disposition']).toBe('attachment');
    expect(Buffer.from(dl.rawPayload).equals(PDF)).toBe(true);
    // Another agency: 404 until a referral shares the 'documents' scope; then documents only.
    expect((await police.get(`/api/cases/${id}/attachments`)).statusCode).toBe(404);
    expect((await police.get(`/api/attachments/${att.id}/content`)).statusCode).toBe(404);
    await consent(shelter, id, { purpose: 'sharing', recipientAgencyId: socialId, scope: ['documents'] });
    const ref = await shelter.post(`/api/cases/${id}/referrals`, {
      toAgencyId: socialId,
      purpose: 'legal_aid',
      urgency: 'routine',
      scope: ['documents'],
    });
    expect(ref.statusCode).toBe(201);
    await social.post(`/api/referrals/${ref.json().id}/accept`);
    const seen = (await social.get(`/api/cases/${id}/attachments`)).json().items;
    expect(seen.map((x: { category: string }) => x.category)).toEqual(['documents']);
    const medical = (await shelter.get(`/api/cases/${id}/attachments`))
      .json()
      .items.find((x: { category: string }) => x.category === 'medical');
    expect((await social.get(`/api/attachments/${medical.id}/content`)).statusCode).toBe(404);
    // The receiver sees its own notes only.
    expect((await social.get(`/api/cases/${id}/notes`)).json().items).toEqual([]);
    // No file name in the audit log.
    const audit = await t.db.query<{ details: unknown }>('select details from audit_events where target_id = $1', [id]);
    expect(JSON.stringify(audit)).not.toContain('passport');
  });

  it("is the holder's area: a receiver uploads nothing (404, never 403) and lists nothing outside its scope (404)", async () => {
    const file = {
      fileName: 'receiver.txt',
      contentType: 'text/plain',
      category: 'documents',
      data: Buffer.from('From the receiver').toString('base64'),
    };
    /** A case of the shelter referred to social protection with this scope, accepted there. */
    const referred = async (scope: string[]) => {
      const id = await newCase();
      await consent(shelter, id, { purpose: 'sharing', recipientAgencyId: socialId, scope });
      const ref = await shelter.post(`/api/cases/${id}/referrals`, {
        toAgencyId: socialId,
        purpose: 'legal_aid',
        urgency: 'routine',
        scope,
      });
      expect(ref.statusCode).toBe(201);
      expect((await social.post(`/api/referrals/${ref.json().id}/accept`)).statusCode).toBe(200);
      return id;
    };
    // A receiver whose scope shares neither documents nor medical: the attachments do not exist for it.
    const noDocs = await referred(['identity']);
    expect((await social.get(`/api/cases/${noDocs}`)).statusCode).toBe(200);
    let res = await social.get(`/api/cases/${noDocs}/attachments`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
    res = await social.post(`/api/cases/${noDocs}/attachments`, file);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
    // With documents shared it lists them, and still uploads nothing: the route is the holder's (404).
    const id = await referred(['documents']);
    expect((await social.get(`/api/cases/${id}/attachments`)).statusCode).toBe(200);
    res = await social.post(`/api/cases/${id}/attachments`, file);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
    const [n] = await t.db.query<{ n: number }>(
      'select count(*)::int as n from case_attachments where case_id = any($1::uuid[])',
      [[noDocs, id]],
    );
    expect(n!.n).toBe(0);
    // The holder uploads.
    expect((await shelter.post(`/api/cases/${id}/attachments`, file)).statusCode).toBe(201);
  });
});

describe('closure', () => {
  it('a case worker requests, a supervisor of the holding agency approves; reopening needs a reason', async () => {
    const id = await newCase();
    const bad = await shelter.post(`/api/cases/${id}/closure`, { reason: 'no_such_reason', justification: 'x' });
    expect(bad.statusCode).toBe(400);
    let a = (
      await shelter.post(`/api/cases/${id}/closure`, {
        reason: 'assistance_completed',
        justification: 'Plan completed; the person lives independently.',
      })
    ).json();
    const k = a.closures[0];
    expect(k.state).toBe('requested');
    expect(
      (await shelter.post(`/api/cases/${id}/closure`, { reason: 'other', justification: 'again' })).statusCode,
    ).toBe(409);
    // Not a supervisor: 403. A supervisor of another agency: 404.
    expect((await shelter.post(`/api/closures/${k.id}/decision`, { approve: true })).statusCode).toBe(403);
    expect((await policeSupervisor.post(`/api/closures/${k.id}/decision`, { approve: true })).statusCode).toBe(404);
    a = (await supervisor.post(`/api/closures/${k.id}/decision`, { approve: true })).json();
    expect(a.stage).toBe('closed');
    expect(a.closures[0].state).toBe('approved');
    const closed = await shelter.post(`/api/cases/${id}/services`, service());
    expect(closed.json().error.code).toBe('conflict.case_closed');
    expect((await supervisor.post(`/api/cases/${id}/reopen`, { reason: '' })).statusCode).toBe(400);
    expect((await shelter.post(`/api/cases/${id}/reopen`, { reason: 'New threats' })).statusCode).toBe(403);
    a = (await supervisor.post(`/api/cases/${id}/reopen`, { reason: 'New threats from the employer.' })).json();
    expect(a.stage).toBe('encounter');
    expect(a.closures[0]).toMatchObject({ state: 'reopened', reopenReason: 'New threats from the employer.' });
  });

  it('a supervisor cannot approve the closure they requested; local reasons are data', async () => {
    const r = await admin.put('/api/closure-reasons/local', {
      reasons: [
        { code: 'local_moved_abroad', labels: { en: 'Moved abroad', ru: 'Переезд за рубеж', kk: 'Шетелге көшу' } },
      ],
    });
    expect(r.statusCode).toBe(200);
    const id = await newCase();
    const a = (
      await supervisor.post(`/api/cases/${id}/closure`, {
        reason: 'local_moved_abroad',
        justification: 'Left for Turkey.',
      })
    ).json();
    const own = await supervisor.post(`/api/closures/${a.closures[0].id}/decision`, { approve: true });
    expect(own.statusCode).toBe(403);
    expect(own.json().error.code).toBe('closure.own_request');
  });
});
