import { DEFAULT_MATCH_CONFIG } from '@opennrm/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../jobs/jobs.runner.ts';
import { intake } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { backfillIndex } from './duplicates.repository.ts';

type Client = Awaited<ReturnType<TestApp['as']>>;
let t: TestApp;
let shelter: Client; // NGO case worker
let shelterSupervisor: Client;
let police: Client; // police first responder
let policeSupervisor: Client;
let coordinator: Client;
let admin: Client;

beforeAll(async () => {
  t = await createTestApp();
  shelter = await t.as('shelter.worker');
  shelterSupervisor = await t.as('shelter.supervisor');
  police = await t.as('police.officer');
  policeSupervisor = await t.as('police.supervisor');
  coordinator = await t.as('coordinator');
  admin = await t.as('admin');
});
afterAll(async () => t.close());

/** The NGO's earlier record, in Latin script, with a full birth date, document and phone. */
const ngoRecord = (n: string) =>
  intake({
    person: {
      names: [{ family: 'Akhmetova', given: 'Aigerim', patronymic: null, script: 'latin', kind: 'primary' }],
      birthDate: { kind: 'exact', date: '1998-04-17' },
      documents: [{ type: 'passport', number: `N${n}`, issuingCountry: 'KZ' }],
      contacts: [{ type: 'phone', value: `+7 705 ${n.slice(0, 3)} ${n.slice(3, 7)}` }],
    },
  });

/** The same person as the police register her: Kazakh Cyrillic with patronymic, birth year only. */
const policePerson = {
  names: [{ family: 'Ахметова', given: 'Айгерім', patronymic: 'Серікқызы', script: 'cyrillic', kind: 'primary' }],
  sex: 'Feminine',
  birthDate: { kind: 'year', year: 1998 },
  citizenships: ['KZ'],
};

describe('the intake check', () => {
  let ngo: { id: string; number: string };
  beforeAll(async () => {
    const res = await shelter.post('/api/cases', ngoRecord('8812345'));
    expect(res.statusCode).toBe(201);
    ngo = res.json();
  });

  it("never returns another agency's personal data: only the agency, the band and a token", async () => {
    const res = await police.post('/api/duplicates/check', { person: policePerson });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.visible).toEqual([]);
    expect(body.elsewhere).toHaveLength(1);
    expect(body.elsewhere[0]).toMatchObject({ agencyName: 'Safe Home Crisis Centre (NGO shelter)' });
    expect(['likely', 'possible']).toContain(body.elsewhere[0].band);
    expect(Object.keys(body.elsewhere[0]).sort()).toEqual(['agencyId', 'agencyName', 'band', 'inquiryToken']);
    const [person] = await t.db.query<{ person_id: string }>('select person_id from cases where id = $1', [ngo.id]);
    const text = res.body.toLowerCase();
    for (const secret of [
      'akhmetova',
      'aigerim',
      '1998-04-17',
      'n8812345',
      '8812345',
      '881 2345',
      ngo.number.toLowerCase(),
      ngo.id,
      person!.person_id,
      'score',
      'fields',
    ])
      expect(text, secret).not.toContain(secret);
    // the same with a document match (a likely band): still no detail
    const strong = await police.post('/api/duplicates/check', {
      person: { ...policePerson, documents: [{ type: 'passport', number: 'n 8812345', issuingCountry: 'KZ' }] },
    });
    expect(strong.json().elsewhere[0].band).toBe('likely');
    expect(strong.body).not.toContain(ngo.number);
    expect(strong.body).not.toContain(ngo.id);
    expect(strong.body).not.toMatch(/8812345/);
  });

  it('returns visible candidates with case, name and the explained score', async () => {
    const res = await shelter.post('/api/duplicates/check', { person: policePerson });
    const body = res.json();
    expect(body.elsewhere).toEqual([]);
    const mine = body.visible.find((v: { caseId: string }) => v.caseId === ngo.id);
    expect(mine).toMatchObject({ number: ngo.number, displayName: 'Akhmetova Aigerim' });
    expect(mine.score).toBeGreaterThanOrEqual(DEFAULT_MATCH_CONFIG.thresholds.possible);
    expect(mine.fields.map((f: { field: string }) => f.field)).toEqual([
      'names',
      'birthDate',
      'sex',
      'citizenship',
      'document',
      'phone',
    ]);
    expect(mine.fields[0].agreement).toBe('match');
    // excluding the case being edited
    const self = await shelter.post('/api/duplicates/check', { person: policePerson, excludeCaseId: ngo.id });
    expect(self.json().visible.some((v: { caseId: string }) => v.caseId === ngo.id)).toBe(false);
  });

  it('audits the check without personal data', async () => {
    const rows = await t.db.query<{ details: unknown }>(
      "select details from audit_events where action = 'duplicates.check' order by id desc limit 3",
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toMatch(/akhmetova|ахметова|1998/i);
  });

  it('asks the other agency: its supervisors get a notification with their case number and the asking agency', async () => {
    const check = (await police.post('/api/duplicates/check', { person: policePerson })).json();
    const token = check.elsewhere[0].inquiryToken as string;
    // a token is bound to its user
    const stolen = await policeSupervisor.post(
      '/api/duplicates/inquiries',
      { inquiryToken: token },
      { 'x-locale': 'ru' },
    );
    expect(stolen.statusCode).toBe(400);
    expect(stolen.json().error.code).toBe('duplicates.inquiry_invalid');
    expect(stolen.json().error.message).toContain('Срок');
    const forged = await police.post('/api/duplicates/inquiries', { inquiryToken: `${token.slice(0, -4)}AAAA` });
    expect(forged.statusCode).toBe(400);

    const sent = await police.post('/api/duplicates/inquiries', { inquiryToken: token });
    expect(sent.statusCode).toBe(201);
    expect(sent.json()).toEqual({ sent: true });

    const inbox = (await shelterSupervisor.get('/api/notifications', { 'x-locale': 'en' })).json();
    const n = inbox.items.find((i: { kind: string }) => i.kind === 'duplicate_inquiry');
    expect(n.caseNumber).toBe(ngo.number);
    expect(n.message).toContain('Almaty City Police Department');
    expect(n.message).toContain(ngo.number);
    expect(n.message).not.toMatch(/ахметова|akhmetova|1998/i);
    // the NGO's case timeline shows the inquiry
    const timeline = (await shelterSupervisor.get(`/api/cases/${ngo.id}/timeline`)).json();
    expect(timeline.items.map((e: { action: string }) => e.action)).toContain('duplicates.inquiry');
  });

  it('needs cases.create', async () => {
    expect((await coordinator.post('/api/duplicates/check', { person: policePerson })).statusCode).toBe(403);
  });
});

describe('review queue, merge and unmerge', () => {
  let a: { id: string; number: string };
  let b: { id: string; number: string };
  let pairId: string;

  beforeAll(async () => {
    a = (await shelter.post('/api/cases', ngoRecord('7712345'))).json();
    b = (
      await shelter.post(
        '/api/cases',
        intake({
          person: {
            names: [
              { family: 'Ахметова', given: 'Айгерім', patronymic: 'Серікқызы', script: 'cyrillic', kind: 'primary' },
            ],
            birthDate: { kind: 'exact', date: '1998-04-17' },
            documents: [{ type: 'passport', number: 'N7712345', issuingCountry: 'KZ' }],
            contacts: [],
          },
        }),
      )
    ).json();
    await runDueJobs(t.deps, 'test', 1000);
    const [row] = await t.db.query<{ id: string }>(
      `select dp.id from duplicate_pairs dp join cases ca on ca.person_id = dp.person_a join cases cb on cb.person_id = dp.person_b
        where (ca.id = $1 and cb.id = $2) or (ca.id = $2 and cb.id = $1)`,
      [a.id, b.id],
    );
    pairId = row!.id;
  });

  it('lists the pair for the supervisor with both cases and the explanation', async () => {
    const res = await shelterSupervisor.get('/api/duplicates/pairs');
    expect(res.statusCode).toBe(200);
    const pair = res.json().items.find((p: { id: string }) => p.id === pairId);
    expect(pair.band).toBe('likely');
    expect([pair.a.number, pair.b.number].sort()).toEqual([a.number, b.number].sort());
    expect(pair.fields.find((f: { field: string }) => f.field === 'document').agreement).toBe('match');
    expect(pair.abilities).toEqual({ merge: true, dismiss: true, unmerge: false });
  });

  it('shows a pair with a case held elsewhere without its case, score or explanation', async () => {
    await police.post('/api/cases', intake({ person: { ...ngoRecord('6612345').person } }));
    await shelter.post('/api/cases', ngoRecord('6612345'));
    await runDueJobs(t.deps, 'test', 1000);
    const items = (await shelterSupervisor.get('/api/duplicates/pairs?pageSize=200')).json().items as {
      a: { agencyName: string; caseId: string | null };
      b: { agencyName: string; caseId: string | null };
      score: number | null;
      fields: unknown;
      abilities: { merge: boolean };
    }[];
    const cross = items.filter((p) => p.a.agencyName !== p.b.agencyName);
    expect(cross.length).toBeGreaterThan(0);
    for (const p of cross) {
      const hidden = p.a.agencyName.startsWith('Almaty City Police') ? p.a : p.b;
      expect(hidden.caseId).toBeNull();
      expect(p.score).toBeNull();
      expect(p.fields).toBeNull();
      expect(p.abilities.merge).toBe(false);
    }
  });

  it('shows the coordinator every pair with agencies, score and explanation, but no case or name', async () => {
    const res = await coordinator.get('/api/duplicates/pairs?pageSize=200');
    expect(res.statusCode).toBe(200);
    const pair = res.json().items.find((p: { id: string }) => p.id === pairId);
    expect(pair.score).toBeGreaterThan(0.9);
    expect(pair.fields.length).toBe(6);
    expect(pair.a).toMatchObject({ caseId: null, number: null, displayName: null });
    expect(pair.abilities.merge).toBe(false);
    expect(res.body).not.toMatch(/akhmetova|ахметова|KZ-\d{4}-\d{6}/i);
    expect((await coordinator.post(`/api/duplicates/pairs/${pairId}/merge`)).statusCode).toBe(404);
  });

  it('lets only reviewers in, and only for pairs whose two cases they may see', async () => {
    expect((await shelter.get('/api/duplicates/pairs')).statusCode).toBe(403);
    expect((await shelter.post(`/api/duplicates/pairs/${pairId}/merge`)).statusCode).toBe(403);
    expect((await policeSupervisor.post(`/api/duplicates/pairs/${pairId}/merge`)).statusCode).toBe(404);
    expect(
      (await policeSupervisor.get('/api/duplicates/pairs')).json().items.some((p: { id: string }) => p.id === pairId),
    ).toBe(false);
  });

  it('merges keeping both histories, shows the link, and unmerges', async () => {
    const before = await t.db.query<{ id: string }>(
      "select id::text from audit_events where target_type = 'case' and target_id = any($1::text[]) order by id",
      [[a.id, b.id]],
    );
    const merged = await shelterSupervisor.post(`/api/duplicates/pairs/${pairId}/merge`);
    expect(merged.statusCode).toBe(200);
    expect(merged.json()).toEqual({ status: 'merged' });
    expect((await shelterSupervisor.post(`/api/duplicates/pairs/${pairId}/merge`)).statusCode).toBe(409);

    const readA = (await shelterSupervisor.get(`/api/cases/${a.id}`)).json();
    const readB = (await shelterSupervisor.get(`/api/cases/${b.id}`)).json();
    expect(readA.linkedCases).toEqual([{ caseId: b.id, number: b.number }]);
    expect(readB.linkedCases).toEqual([{ caseId: a.id, number: a.number }]);
    expect(readA.person.names[0].family).toBe('Akhmetova');
    expect(readB.person.names[0].family).toBe('Ахметова');
    const found = (await shelterSupervisor.post('/api/cases/search', { q: a.number })).json();
    expect(found.items[0].linkedCases).toEqual([{ caseId: b.id, number: b.number }]);

    for (const id of [a.id, b.id]) {
      const actions = (await shelterSupervisor.get(`/api/cases/${id}/timeline`))
        .json()
        .items.map((e: { action: string }) => e.action);
      expect(actions).toContain('case.create');
      expect(actions).toContain('duplicates.merge');
    }

    const undone = await shelterSupervisor.post(`/api/duplicates/pairs/${pairId}/unmerge`);
    expect(undone.json()).toEqual({ status: 'open' });
    expect((await shelterSupervisor.get(`/api/cases/${a.id}`)).json().linkedCases).toEqual([]);
    const after = await t.db.query<{ id: string; action: string }>(
      "select id::text, action from audit_events where target_type = 'case' and target_id = any($1::text[]) order by id",
      [[a.id, b.id]],
    );
    // every earlier entry is still there, plus merge and unmerge on both cases
    expect(after.map((e) => e.id)).toEqual(expect.arrayContaining(before.map((e) => e.id)));
    expect(after.filter((e) => e.action === 'duplicates.merge')).toHaveLength(2);
    expect(after.filter((e) => e.action === 'duplicates.unmerge')).toHaveLength(2);
    const merges = await t.db.query<{ unmerged_at: string | null }>(
      'select unmerged_at from person_merges where pair_id = $1',
      [pairId],
    );
    expect(merges).toHaveLength(1);
    expect(merges[0]!.unmerged_at).not.toBeNull();
    const details = await t.db.query<{ details: unknown }>(
      "select details from audit_events where action like 'duplicates.%' and details is not null",
    );
    expect(JSON.stringify(details)).not.toMatch(/akhmetova|ахметова|1998|7712345/i);

    expect((await shelterSupervisor.post(`/api/duplicates/pairs/${pairId}/dismiss`)).json()).toEqual({
      status: 'dismissed',
    });
    expect((await shelterSupervisor.post(`/api/duplicates/pairs/${pairId}/unmerge`)).statusCode).toBe(409);
  });

  it('the full batch finds the same pairs again', async () => {
    await t.db.query("delete from duplicate_pairs where status = 'open'");
    expect((await coordinator.post('/api/duplicates/scan')).statusCode).toBe(202);
    await runDueJobs(t.deps, 'test', 1000);
    const [n] = await t.db.query<{ n: number }>("select count(*)::int as n from duplicate_pairs where status = 'open'");
    expect(n!.n).toBeGreaterThan(0);
  });
});

describe('blocking keys', () => {
  it('are HMACs only, and a backfill rewrites the index of persons indexed with an older version', async () => {
    const { id } = (await shelter.post('/api/cases', ngoRecord('5512345'))).json();
    const [c] = await t.db.query<{ person_id: string }>('select person_id from cases where id = $1', [id]);
    const keys = await t.db.query<{ key: string }>(
      "select key from person_index where kind = 'block' and person_id = $1",
      [c!.person_id],
    );
    expect(keys.length).toBeGreaterThan(3);
    for (const k of keys) expect(k.key).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const all = async () =>
      (
        await t.db.query<{ e: string }>(
          "select kind || ':' || key as e from person_index where person_id = $1 order by 1",
          [c!.person_id],
        )
      ).map((r) => r.e);
    const before = await all();
    expect(before.filter((e) => e.startsWith('name:')).length).toBeGreaterThan(3);
    // an older index version: the whole index of the person (names, blocks, documents) is rewritten
    await t.db.query('delete from person_index where person_id = $1', [c!.person_id]);
    await t.db.query('update persons set block_keys_version = 0 where id = $1', [c!.person_id]);
    expect(await backfillIndex(t.db, t.deps.keys)).toBeGreaterThanOrEqual(1);
    expect(await all()).toEqual(before);
    const again = await t.db.query<{ key: string }>(
      "select key from person_index where kind = 'block' and person_id = $1 order by key",
      [c!.person_id],
    );
    expect(again.map((k) => k.key)).toEqual(keys.map((k) => k.key).sort());
  });
});

describe('the matcher configuration', () => {
  it('is data a system administrator edits, validated by ZMatchConfig, with a version', async () => {
    const current = (await admin.get('/api/duplicates/config')).json();
    expect(current).toMatchObject({ version: 0, isDefault: true, config: { version: DEFAULT_MATCH_CONFIG.version } });
    const bad = await admin.put(
      '/api/duplicates/config',
      { config: { ...DEFAULT_MATCH_CONFIG, thresholds: { likely: 0.5, possible: 0.9 } }, version: 0 },
      { 'x-locale': 'kk' },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { path: string }) => f.path)).toContain('config.thresholds.likely');
    const outOfRange = await admin.put('/api/duplicates/config', {
      config: { ...DEFAULT_MATCH_CONFIG, priorBits: 1000 },
      version: 0,
    });
    expect(outOfRange.statusCode).toBe(400);

    const next = { ...DEFAULT_MATCH_CONFIG, version: 'test-1', thresholds: { likely: 0.97, possible: 0.85 } };
    const ok = await admin.put('/api/duplicates/config', { config: next, version: 0 });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ version: 1, isDefault: false, config: { version: 'test-1' } });
    expect((await admin.put('/api/duplicates/config', { config: next, version: 0 })).statusCode).toBe(409);
    expect((await shelterSupervisor.put('/api/duplicates/config', { config: next, version: 1 })).statusCode).toBe(403);
    const check = (await shelter.post('/api/duplicates/check', { person: policePerson })).json();
    expect(check.configVersion).toBe('test-1');
  });
});
