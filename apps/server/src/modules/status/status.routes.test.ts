import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../jobs/jobs.runner.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { referredCase } from '../../test/referral-fixtures.ts';

type Client = Awaited<ReturnType<TestApp['as']>>;
let t: TestApp;
let shelter: Client; // NGO case worker: holds the cases
let investigator: Client; // police case worker: accepts the referral
let decider: Client; // police decision maker
let socialDecider: Client; // decision maker of another competent authority
let migration: Client; // migration police case worker
let coordinator: Client;
let admin: Client;
let policeId: string;

const UZ = { citizenships: ['UZ'], documents: [] };
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty' }).format(new Date());
const addDays = (d: string, n: number) => {
  const x = new Date(`${d}T00:00:00Z`);
  x.setUTCDate(x.getUTCDate() + n);
  return x.toISOString().slice(0, 10);
};
const decision = (over: Record<string, unknown> = {}) => ({
  kind: 'preliminary',
  outcome: 'presumed_victim',
  reasons: 'Reasonable grounds: recruitment by deception, passport withheld, unpaid work.',
  legalBasis: 'Rules of identification, para. 12',
  decidedOn: today(),
  ...over,
});

/** A case at the shelter referred to the police for formal identification and accepted there. */
async function acceptedCase(person: Record<string, unknown> = UZ) {
  const r = await referredCase(t, shelter, { toAgencyId: policeId, scope: [], person: person as never });
  const acc = await investigator.post(`/api/referrals/${r.referralId}/accept`);
  expect(acc.statusCode).toBe(200);
  return r;
}

beforeAll(async () => {
  t = await createTestApp();
  shelter = await t.as('shelter.worker');
  investigator = await t.as('police.investigator');
  decider = await t.as('police.decision');
  socialDecider = await t.as('social.decision');
  migration = await t.as('migration.officer');
  coordinator = await t.as('coordinator');
  admin = await t.as('admin');
  policeId = await t.agencyId('Almaty City Police Department');
});
afterAll(async () => t.close());

describe('who decides', () => {
  it('only decision makers of a competent authority with an accepted identification referral', async () => {
    const r = await referredCase(t, shelter, { toAgencyId: policeId, scope: [], person: UZ as never });
    // Not yet accepted: the police decision maker cannot see the case.
    expect((await decider.post(`/api/cases/${r.caseId}/decisions`, decision())).statusCode).toBe(404);
    await investigator.post(`/api/referrals/${r.referralId}/accept`);
    // Roles without decisions.take: 403 from the route; the holder NGO cannot decide on its own case.
    expect((await investigator.post(`/api/cases/${r.caseId}/decisions`, decision())).statusCode).toBe(403);
    expect((await shelter.post(`/api/cases/${r.caseId}/decisions`, decision())).statusCode).toBe(403);
    expect((await coordinator.post(`/api/cases/${r.caseId}/decisions`, decision())).statusCode).toBe(403);
    // A decision maker of another competent authority that received nothing: 404.
    expect((await socialDecider.post(`/api/cases/${r.caseId}/decisions`, decision())).statusCode).toBe(404);
    const ok = await decider.post(`/api/cases/${r.caseId}/decisions`, decision());
    expect(ok.statusCode).toBe(201);
    const s = ok.json();
    expect(s.traffickingStatus).toBe('PossibleVictimOfTrafficking');
    expect(s.decisionOrg).toBe('Police');
    expect(s.stage).toBe('presumed_victim');
    // A second preliminary decision is out of order.
    expect((await decider.post(`/api/cases/${r.caseId}/decisions`, decision())).json().error.code).toBe(
      'conflict.decision_order',
    );
  });

  it('a decision never needs a criminal case: none is attached, and the input has no such field', async () => {
    const r = await acceptedCase();
    const res = await decider.post(`/api/cases/${r.caseId}/decisions`, decision());
    expect(res.statusCode).toBe(201);
    const [n] = await t.db.query<{ n: number }>(
      'select count(*)::int as n from criminal_proceedings where case_id = $1',
      [r.caseId],
    );
    expect(n!.n).toBe(0);
    const extra = await decider.post(
      `/api/cases/${r.caseId}/decisions`,
      decision({ kind: 'final', outcome: 'victim', requestedByPerson: true, criminalCase: 'x' }),
    );
    // Unknown fields are stripped, never required; the final decision on request of the person succeeds.
    expect(extra.statusCode).toBe(201);
    expect(extra.json().traffickingStatus).toBe('ActualVictimOfTrafficking');
  });
});

describe('criminal proceedings', () => {
  const proceeding = (registerNumber: string) => ({
    registerNumber,
    article: '128',
    stage: 'pre_trial_investigation',
    proceduralRole: 'victim',
    protectionMeasures: ['identity_confidentiality'],
    nonPunishmentRequested: false,
    compensationClaimed: false,
  });

  it('reach a referral receiver only under the narrative scope: else 404, never a register number', async () => {
    for (const scope of [[], ['identity', 'documents', 'screening'], ['narrative']]) {
      const r = await referredCase(t, shelter, { toAgencyId: policeId, scope, person: UZ as never });
      expect((await investigator.post(`/api/referrals/${r.referralId}/accept`)).statusCode).toBe(200);
      const register = `ERDR-${r.number}`;
      const linked = await shelter.post(`/api/cases/${r.caseId}/proceedings`, proceeding(register));
      expect(linked.statusCode).toBe(201);
      const where = `scope [${scope.join(', ')}]`;
      const list = await investigator.get(`/api/cases/${r.caseId}/proceedings`);
      const status = (await investigator.get(`/api/cases/${r.caseId}/status`)).json();
      const update = await investigator.put(`/api/proceedings/${linked.json().id}`, {
        ...proceeding(`${register}-2`),
        version: 1,
      });
      const create = await investigator.post(`/api/cases/${r.caseId}/proceedings`, proceeding(`${register}-3`));
      if (scope.includes('narrative')) {
        expect(list.statusCode, where).toBe(200);
        expect(
          list.json().items.map((p: { registerNumber: string }) => p.registerNumber),
          where,
        ).toEqual([register]);
        expect(status.abilities.proceedings, where).toBe(true);
        expect(update.statusCode, where).toBe(200);
        expect(create.statusCode, where).toBe(201);
        continue;
      }
      for (const res of [list, update, create]) {
        expect(res.statusCode, where).toBe(404);
        expect(res.json().error.code, where).toBe('not_found');
        expect(res.body, where).not.toContain(register);
      }
      // The status panel offers no proceedings, and nothing of them reaches the receiver's other reads.
      expect(status.abilities.proceedings, where).toBe(false);
      for (const url of [`/api/cases/${r.caseId}`, `/api/cases/${r.caseId}/status`])
        expect((await investigator.get(url)).body, `${where} ${url}`).not.toContain(register);
      // Unchanged and not added to.
      const rows = await t.db.query<{ version: number }>(
        'select version from criminal_proceedings where case_id = $1',
        [r.caseId],
      );
      expect(
        rows.map((x) => x.version),
        where,
      ).toEqual([1]);
      // The holder still sees its proceeding.
      const own = await shelter.get(`/api/cases/${r.caseId}/proceedings`);
      expect(own.json().items[0].registerNumber, where).toBe(register);
    }
  });
});

describe('reflection period and final decision', () => {
  it('opens 30 days for a foreign presumed victim; the final decision waits unless the person asks', async () => {
    const r = await acceptedCase();
    const s = (await decider.post(`/api/cases/${r.caseId}/decisions`, decision())).json();
    expect(s.reflection.startDate).toBe(today());
    expect(s.reflection.plannedEnd).toBe(addDays(today(), 30));
    expect(s.reflection.days).toBe(30);
    expect(s.protection).toEqual({ protected: true, until: addDays(today(), 30) });
    const early = await decider.post(
      `/api/cases/${r.caseId}/decisions`,
      decision({ kind: 'final', outcome: 'victim' }),
    );
    expect(early.statusCode).toBe(400);
    expect(early.json().error.fields[0].code).toBe('final_before_reflection_end');
    const asked = await decider.post(
      `/api/cases/${r.caseId}/decisions`,
      decision({ kind: 'final', outcome: 'victim', requestedByPerson: true }),
    );
    expect(asked.statusCode).toBe(201);
  });

  it('opens no period for a citizen unless configured', async () => {
    const r = await acceptedCase({ citizenships: ['KZ'] });
    const s = (await decider.post(`/api/cases/${r.caseId}/decisions`, decision())).json();
    expect(s.reflection).toBeNull();
    expect(s.protection).toEqual({ protected: true, until: null });
  });

  it('extends only later, ends early only for art. 13(3) reasons with a justification (encrypted)', async () => {
    const r = await acceptedCase();
    let s = (await decider.post(`/api/cases/${r.caseId}/decisions`, decision())).json();
    const p = s.reflection;
    const shorter = await decider.post(`/api/reflection-periods/${p.id}/extend`, {
      plannedEnd: addDays(today(), 20),
      version: p.version,
    });
    expect(shorter.json().error.fields[0].code).toBe('not_after_current_end');
    s = (
      await decider.post(`/api/reflection-periods/${p.id}/extend`, {
        plannedEnd: addDays(today(), 45),
        version: p.version,
      })
    ).json();
    expect(s.reflection.days).toBe(45);
    const bad = await decider.post(`/api/reflection-periods/${p.id}/end`, {
      reason: 'refused_to_testify',
      justification: 'She does not want to testify against the employer.',
      endedOn: today(),
      version: s.reflection.version,
    });
    expect(bad.statusCode).toBe(400);
    const justification = 'Claim found to be fabricated: documents show a regular labour contract.';
    const ended = await decider.post(`/api/reflection-periods/${p.id}/end`, {
      reason: 'improper_claim',
      justification,
      endedOn: today(),
      version: s.reflection.version,
    });
    expect(ended.statusCode).toBe(200);
    expect(ended.json().reflection.endReason).toBe('improper_claim');
    expect(ended.json().protection.protected).toBe(false);
    const [row] = await t.db.query<{ j: string }>(
      'select end_justification_enc as j from reflection_periods where id = $1',
      [p.id],
    );
    expect(row!.j).not.toContain('fabricated');
    const audit = await t.db.query<{ details: unknown }>(
      "select details from audit_events where action = 'reflection.end_early'",
    );
    expect(JSON.stringify(audit)).not.toContain('fabricated');
  });
});

describe('review of a negative decision', () => {
  it('is requested within 30 days and decided by a different decision maker', async () => {
    const r = await acceptedCase();
    const neg = await decider.post(`/api/cases/${r.caseId}/decisions`, decision({ outcome: 'not_presumed_victim' }));
    expect(neg.json().traffickingStatus).toBe('NotAVictimOfTrafficking');
    expect(neg.json().reflection).toBeNull();
    const d = neg.json().decisions[0];
    const late = await shelter.post(`/api/decisions/${d.id}/review-request`, { requestedOn: addDays(today(), 40) });
    expect(late.statusCode).toBe(400);
    const req = await shelter.post(`/api/decisions/${d.id}/review-request`, { requestedOn: today() });
    expect(req.statusCode).toBe(201);
    const own = await decider.post(`/api/decisions/${d.id}/review`, decision());
    expect(own.statusCode).toBe(403);
    expect(own.json().error.code).toBe('decision.own_review');
    // A second decision maker of the same authority reviews it.
    const [u] = await t.db.query<{ id: string }>("select id from users where username = 'police.decision'");
    await t.db.query(
      `insert into users (agency_id, username, display_name, password_hash, roles, locale)
       select agency_id, 'police.decision2', 'Second Decision Maker', password_hash, roles, locale from users where id = $1`,
      [u!.id],
    );
    const second = await t.as('police.decision2');
    const reviewed = await second.post(`/api/decisions/${d.id}/review`, decision());
    expect(reviewed.statusCode).toBe(201);
    expect(reviewed.json().traffickingStatus).toBe('PossibleVictimOfTrafficking');
    expect(reviewed.json().reflection.days).toBe(30);
  });
});

describe('protection lookup and compliance', () => {
  it('migration police sees only {protected, until}; others may not look up', async () => {
    const r = await acceptedCase();
    await decider.post(`/api/cases/${r.caseId}/decisions`, decision());
    const res = await migration.post('/api/protection/lookup', { caseNumber: r.number });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ protected: true, until: addDays(today(), 30) });
    expect((await migration.post('/api/protection/lookup', { caseNumber: 'KZ-1999-000001' })).json()).toEqual({
      protected: false,
      until: null,
    });
    expect((await shelter.post('/api/protection/lookup', { caseNumber: r.number })).statusCode).toBe(403);
    expect((await coordinator.post('/api/protection/lookup', { caseNumber: r.number })).statusCode).toBe(403);
    // Migration police cannot open the case itself.
    expect((await migration.get(`/api/cases/${r.caseId}/status`)).statusCode).toBe(404);
  });

  it('the coordinator sees aggregates without case numbers; no period is ever under 30 days', async () => {
    const res = await coordinator.get('/api/coordination/compliance');
    expect(res.statusCode).toBe(200);
    const rep = res.json();
    expect(rep.preliminary.decided).toBeGreaterThan(0);
    expect(rep.preliminary.withinTargetPct).toBe(100);
    expect(rep.openReflection.length).toBeGreaterThan(0);
    expect(rep.reflectionBelowMinimum).toBe(0);
    expect(rep.earlyEndsWithoutReason).toBe(0);
    expect(res.body).not.toMatch(/KZ-\d{4}-\d{6}/);
    expect((await shelter.get('/api/coordination/compliance')).statusCode).toBe(403);
  });

  it('escalates an undecided preliminary target to the police supervisors and the coordinator', async () => {
    const r = await acceptedCase();
    await t.db.query("update status_tracks set preliminary_due_at = now() - interval '1 minute' where case_id = $1", [
      r.caseId,
    ]);
    await t.db.query(
      `update jobs set run_at = now() - interval '1 second' where kind = 'decision.escalate'
         and payload->>'trackId' in (select id::text from status_tracks where case_id = $1)`,
      [r.caseId],
    );
    await runDueJobs(t.deps, 'test');
    const rows = await t.db.query<{ username: string }>(
      "select u.username from notifications n join users u on u.id = n.user_id where n.kind = 'decision_overdue' and n.case_number = $1 order by 1",
      [r.number],
    );
    expect(rows.map((x) => x.username)).toEqual(['coordinator', 'police.supervisor']);
  });
});

describe('configuration', () => {
  it('refuses a reflection period below 30 days in the API and in the database', async () => {
    const cur = (await admin.get('/api/status-rules')).json();
    expect(cur.rules.reflectionDays).toBe(30);
    const ok = await admin.put('/api/status-rules', {
      rules: { ...cur.rules, reflectionDays: 35 },
      version: cur.version,
    });
    expect(ok.statusCode).toBe(200);
    const bad = await admin.put('/api/status-rules', {
      rules: { ...cur.rules, reflectionDays: 29 },
      version: ok.json().version,
    });
    expect(bad.statusCode).toBe(400);
    await expect(
      t.db.query(`insert into settings (key, value) values ('status_rules', '{"reflectionDays": 10}')`),
    ).rejects.toThrow(/settings_reflection_days_min/);
    const [p] = await t.db.query<{ id: string }>('select id from reflection_periods limit 1');
    await expect(
      t.db.query('update reflection_periods set planned_end = start_date + 29 where id = $1', [p!.id]),
    ).rejects.toThrow(/reflection_min_30_days/);
  });
});
