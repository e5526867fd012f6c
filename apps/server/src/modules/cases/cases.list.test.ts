import { ZCaseListQuery } from '@opennrm/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intake } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { referredCase } from '../../test/referral-fixtures.ts';
import { caseListQueries } from './cases.repository.ts';

/**
 * The case list merges its visibility branches (held cases, cases referred to the agency) page by
 * page: every visible case must appear exactly once, in order, whatever the sort and page size.
 */
let t: TestApp;
let police: Awaited<ReturnType<TestApp['as']>>;
let shelter: Awaited<ReturnType<TestApp['as']>>;
const held: string[] = [];
const referred: string[] = [];
const notAccepted: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  police = await t.as('police.investigator');
  shelter = await t.as('shelter.worker');
  const policeId = await t.agencyId('Almaty City Police Department');
  for (let i = 0; i < 4; i++) {
    const res = await police.post('/api/cases', intake({ case: { encounterDate: `2026-0${i + 1}-1${i}` } }));
    held.push(res.json().id);
  }
  for (let i = 0; i < 4; i++) {
    const r = await referredCase(t, shelter, { toAgencyId: policeId, scope: i % 2 ? ['identity'] : [] });
    if (i < 3) {
      const accepted = await police.post(`/api/referrals/${r.referralId}/accept`);
      expect(accepted.statusCode).toBe(200);
      referred.push(r.caseId);
    } else notAccepted.push(r.caseId);
  }
  // Spread the created/updated times so every sort order is meaningful.
  const all = [...held, ...referred, ...notAccepted];
  for (const [k, id] of all.entries())
    await t.db.query(
      `update cases set created_at = now() - make_interval(hours => $2), updated_at = now() - make_interval(mins => $3) where id = $1`,
      [id, (k * 7) % 11, (k * 5) % 13],
    );
});
afterAll(async () => t.close());

async function allPages(body: Record<string, unknown>, pageSize: number) {
  const ids: string[] = [];
  const keys: string[] = [];
  let total = -1;
  for (let page = 1; page <= 20; page++) {
    const res = await police.post('/api/cases/search', { ...body, page, pageSize });
    expect(res.statusCode).toBe(200);
    const json = res.json();
    total = json.total;
    expect(json.totalCapped).toBe(false);
    if (!json.items.length) break;
    for (const item of json.items) {
      ids.push(item.id);
      keys.push(item[body.sort as string]);
    }
  }
  return { ids, keys, total };
}

describe('case list across held and referred cases', () => {
  for (const sort of ['createdAt', 'updatedAt', 'encounterDate', 'number'] as const)
    for (const order of ['asc', 'desc'] as const)
      it(`pages through every visible case exactly once, sorted by ${sort} ${order}`, async () => {
        const { ids, keys, total } = await allPages({ sort, order }, 3);
        expect(total).toBe(held.length + referred.length);
        expect(new Set(ids)).toEqual(new Set([...held, ...referred]));
        expect(ids.length).toBe(total);
        // A referred case whose scope hides the key (here: the encounter date) sorts as undated: last both ways.
        const known = keys.filter((k) => k !== null).sort();
        const hidden = keys.filter((k) => k === null);
        expect(keys).toEqual([...(order === 'asc' ? known : known.reverse()), ...hidden]);
      });

  it('never lists a referral that was not accepted, and names only identity-scoped referred cases', async () => {
    const res = await police.post('/api/cases/search', { pageSize: 50 });
    const items = res.json().items as { id: string; displayName: string | null }[];
    expect(items.map((i) => i.id)).not.toContain(notAccepted[0]);
    const named = items.filter((i) => referred.includes(i.id) && i.displayName !== null).map((i) => i.id);
    expect(named).toEqual([referred[1]]);
  });

  it("cuts a referred case's row to the shared scope, as the case page does", async () => {
    const items = (await police.post('/api/cases/search', { pageSize: 50 })).json().items as Record<string, unknown>[];
    const row = (id: string) => items.find((i) => i.id === id)!;
    // Nothing shared beyond the basics.
    expect(row(referred[0]!)).toMatchObject({
      displayName: null,
      citizenships: null,
      encounterDate: null,
      exploitationForms: null,
      latestOutcome: null,
    });
    expect(row(referred[0]!).encounterRegion).toBe('almaty');
    // Identity shared: name and citizenship, still no narrative.
    expect(row(referred[1]!)).toMatchObject({ citizenships: ['KZ'], encounterDate: null, exploitationForms: null });
    expect(row(referred[1]!).displayName).not.toBeNull();
    // The holder's own cases in full.
    expect(row(held[0]!)).toMatchObject({
      citizenships: ['KZ'],
      encounterDate: '2026-01-10',
      exploitationForms: ['ForcedLabour'],
    });
  });

  it('lists for a decision maker, whose visibility names no user (regression: 500)', async () => {
    const decision = await t.as('police.decision');
    const res = await decision.post('/api/cases/search', { q: 'Ахметова' });
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBeGreaterThan(0);
  });

  it('a name search reaches held cases and identity-scoped referred cases only', async () => {
    const res = await police.post('/api/cases/search', { q: 'Ахметова Айгерім', pageSize: 50 });
    const ids = (res.json().items as { id: string }[]).map((i) => i.id);
    expect(new Set(ids)).toEqual(new Set([...held, referred[1]]));
  });
});

describe('capped totals', () => {
  it('counts up to the cap and says when more cases exist', async () => {
    const actor = await t.actor('police.investigator');
    const count = async (cap: number) => {
      const sql = caseListQueries(actor, t.deps.keys, ZCaseListQuery.parse({}), cap)!;
      const [row] = await t.db.query<{ total: number }>(sql.sql, sql.params);
      return row!.total;
    };
    // Exact up to the cap; past it, more than the cap (the list then says "more than cap").
    expect(await count(100)).toBe(7);
    expect(await count(7)).toBe(7);
    expect(await count(6)).toBeGreaterThan(6);
    expect(await count(2)).toBeGreaterThan(2);
    // One statement text for every page within the cap (and a few past it): PostgreSQL caches its
    // plan after five runs instead of planning each page anew, which cost more than running it.
    const text = (q: object) => caseListQueries(actor, t.deps.keys, ZCaseListQuery.parse(q))!.sql;
    expect(text({ page: 20, pageSize: 25 })).toBe(text({ page: 1, pageSize: 25 }));
    expect(text({ page: 2, pageSize: 100 })).toBe(text({ page: 1, pageSize: 50 }));
    expect(text({ page: 80, pageSize: 25 })).toBe(text({ page: 61, pageSize: 25 }));
    expect(text({ page: 1, q: 'Ivanova Anna' })).toBe(text({ page: 9, q: 'Petrova Olga' }));
    // and a deep page reads its rows
    const deep = caseListQueries(actor, t.deps.keys, ZCaseListQuery.parse({ page: 3, pageSize: 2 }))!;
    expect((await t.db.query<{ id: string }>(deep.sql, deep.params)).map((r) => r.id)).toHaveLength(2);
  });
});

describe('reads without a transaction', () => {
  it('return no data when their audit entry cannot be written', async () => {
    await t.db.query(
      `alter table audit_events add constraint test_no_reads check (action not in ('case.read', 'case.list')) not valid`,
    );
    try {
      const read = await police.get(`/api/cases/${held[0]}`);
      expect(read.statusCode).toBe(500);
      expect(read.body).not.toContain('Айгерім');
      const list = await police.post('/api/cases/search', {});
      expect(list.statusCode).toBe(500);
      expect(list.body).not.toContain('KZ-');
    } finally {
      await t.db.query('alter table audit_events drop constraint test_no_reads');
    }
    expect((await police.get(`/api/cases/${held[0]}`)).statusCode).toBe(200);
  });
});

describe("a referral receiver's list shows nothing of what its scope hides", () => {
  let social: Awaited<ReturnType<TestApp['as']>>;
  /** Referred to the social protection department: scopes [], [identity], [identity, documents]; none shows the date. */
  const undated: string[] = [];
  let dated = '';
  const ids = (res: { json: () => { items: { id: string }[] } }) => res.json().items.map((i) => i.id);
  const doc = (n: number) => `N${7_000_000 + n}`;
  const phone = (n: number) => `+7 702 444 ${1000 + n}`;

  beforeAll(async () => {
    social = await t.as('social.worker');
    const socialId = await t.agencyId('Almaty Department of Employment and Social Protection');
    const scopes = [[], ['identity'], ['identity', 'documents'], ['narrative']];
    for (const [n, scope] of scopes.entries()) {
      const r = await referredCase(t, shelter, {
        toAgencyId: socialId,
        scope,
        purpose: 'legal_aid',
        person: {
          documents: [{ type: 'passport', number: doc(n), issuingCountry: 'KZ' }],
          contacts: [{ type: 'phone', value: phone(n) }],
        },
        case: { encounterDate: '2026-02-15' },
      });
      expect((await social.post(`/api/referrals/${r.referralId}/accept`)).statusCode).toBe(200);
      if (scope.includes('narrative')) dated = r.caseId;
      else undated.push(r.caseId);
    }
    // The hidden dates run against the ids: a sort on them would reverse the id order.
    for (const [k, id] of [...undated].sort().entries())
      await t.db.query('update cases set encounter_date = $2 where id = $1', [id, `2025-0${9 - k}-01`]);
  });

  it('sorts a referred case whose encounter date it may not see as undated: after the dated ones, by id only', async () => {
    const byId = [...undated].sort();
    for (const order of ['asc', 'desc'] as const) {
      for (const pageSize of [50, 1]) {
        const seen: { id: string; encounterDate: string | null }[] = [];
        for (let page = 1; page <= 10; page++) {
          const res = await social.post('/api/cases/search', { sort: 'encounterDate', order, page, pageSize });
          expect(res.statusCode).toBe(200);
          if (!res.json().items.length) break;
          seen.push(...res.json().items);
        }
        const where = `${order}, page size ${pageSize}`;
        expect(
          seen.map((i) => i.id),
          where,
        ).toEqual([dated, ...(order === 'asc' ? byId : [...byId].reverse())]);
        expect(
          seen.map((i) => i.encounterDate),
          where,
        ).toEqual(['2026-02-15', null, null, null]);
      }
    }
  });

  it('filters a referred case on a column its scope hides as if the value were missing', async () => {
    const search = (body: Record<string, unknown>) => social.post('/api/cases/search', { pageSize: 50, ...body });
    expect(new Set(ids(await search({})))).toEqual(new Set([dated, ...undated]));
    // Encounter date and exploitation form are narrative: only the narrative-scoped case matches.
    expect(ids(await search({ from: '2000-01-01' }))).toEqual([dated]);
    expect(ids(await search({ to: '2030-01-01' }))).toEqual([dated]);
    expect(ids(await search({ from: '2025-08-01', to: '2025-09-30' }))).toEqual([]);
    expect(ids(await search({ exploitationForm: 'ForcedLabour' }))).toEqual([dated]);
    expect((await search({ from: '2000-01-01' })).json().total).toBe(1);
    // Citizenship is identity.
    expect(new Set(ids(await search({ citizenship: 'KZ' })))).toEqual(new Set([undated[1], undated[2]]));
  });

  it('finds a referred case by a document number or phone only where that section is shared', async () => {
    const search = async (q: string) => ids(await social.post('/api/cases/search', { q }));
    // Identity and documents shared: found by its document, not by its phone (contacts not shared).
    expect(await search(doc(2))).toEqual([undated[2]]);
    expect(await search(phone(2))).toEqual([]);
    // Identity only: neither finds it.
    expect(await search(doc(1))).toEqual([]);
    expect(await search(phone(1))).toEqual([]);
    // The holder finds its own case by both.
    const own = async (q: string) => ids(await shelter.post('/api/cases/search', { q }));
    expect(await own(doc(1))).toEqual([undated[1]]);
    expect(await own(phone(1))).toEqual([undated[1]]);
  });
});
