import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { migrate } from '../../db/migrate.ts';
import { seedDemo } from '../../seed/demo.ts';
import { openTestDb, TEST_PASSWORD } from '../../test/harness.ts';
import { withStatisticsCache } from './statistics.cache.ts';
import * as repo from './statistics.repository.ts';

/**
 * The SQL counts against a plain specification in JavaScript over the raw rows: one record per
 * person after merges, taken from the person's earliest case (several cases per person, merged
 * persons, ties), counted per region and quarter with the seeded cell keys.
 */
let db: Db;
let drop: () => Promise<void>;
let agency: string;
let user: string;
const SALT = 'test-salt';
/** hashtextextended('medical', 1234567890123), the same on PostgreSQL and PGlite. */
const HASHTEXT_MEDICAL = '-861523132208240453';

let seq = 0;
async function person(over: { sex?: string; age?: string; cit?: string[]; mergedInto?: string } = {}) {
  const id = randomUUID();
  await db.query(
    `insert into persons (id, data_key, pii, sex, age_band, citizenships, merged_into) values ($1, 'k', 'x', $2, $3, $4, $5)`,
    [id, over.sex ?? 'Feminine', over.age ?? '21-23', over.cit ?? ['KZ'], over.mergedInto ?? null],
  );
  return id;
}
async function kase(personId: string, date: string, over: { region?: string; forms?: string[]; at?: string } = {}) {
  const id = randomUUID();
  seq += 1;
  await db.query(
    `insert into cases (id, number, country, agency_id, created_by, person_id, is_child, cross_border, encounter_date,
                        encounter_region, identification_method, exploitation_forms, created_at)
     values ($1, $2, 'KZ', $3, $4, $5, false, $6, $7, $8, 'other', $9, $10)`,
    [
      id,
      `T-${seq}`,
      agency,
      user,
      personId,
      seq % 3 === 0,
      date,
      over.region ?? 'almaty',
      over.forms ?? ['ForcedLabour'],
      over.at ?? '2026-01-01T00:00:00Z',
    ],
  );
  return id;
}

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  await migrate(db);
  await seedDemo(db, TEST_PASSWORD, { memoryCost: 8192, timeCost: 1 });
  const [u] = await db.query<{ id: string; agency_id: string }>(
    "select id, agency_id from users where username = 'police.officer'",
  );
  user = u!.id;
  agency = u!.agency_id;
  // Plain persons, one case each, over two years, regions, sexes and forms.
  for (let i = 0; i < 40; i++) {
    const p = await person({ sex: i % 3 ? 'Feminine' : 'Masculine', cit: i % 4 ? ['KZ'] : ['UZ', 'KZ'] });
    await kase(p, `${2025 + (i % 2)}-${String(1 + (i % 12)).padStart(2, '0')}-10`, {
      region: i % 5 ? 'almaty' : 'astana',
      forms: i % 7 ? ['ForcedLabour'] : ['ForcedLabour', 'SexualExploitation'],
    });
  }
  // A person with three cases: counted once, in the period and region of the earliest.
  const multi = await person({ sex: 'Masculine', age: '30-38' });
  await kase(multi, '2026-05-01', { region: 'shymkent' });
  await kase(multi, '2025-11-03', { region: 'abai' });
  await kase(multi, '2026-01-02', { region: 'almaty' });
  // Two cases on the same day: the earlier created wins.
  const tie = await person();
  await kase(tie, '2026-03-03', { region: 'jambyl', at: '2026-03-03T10:00:00Z' });
  await kase(tie, '2026-03-03', { region: 'aktobe', at: '2026-03-03T09:00:00Z' });
  // A merge: the duplicate's case is earlier, so the survivor is counted from it, with the survivor's sex.
  const survivor = await person({ sex: 'Feminine', age: '18-20' });
  const duplicate = await person({ sex: 'Masculine', mergedInto: survivor });
  await kase(survivor, '2026-08-08', { region: 'almaty' });
  await kase(duplicate, '2026-02-02', { region: 'atyrau' });
  // A merge where the survivor's own case is the earliest.
  const s2 = await person({ sex: 'Masculine' });
  const d2 = await person({ sex: 'Feminine', mergedInto: s2 });
  await kase(s2, '2026-04-04', { region: 'kostanay' });
  await kase(d2, '2026-09-09', { region: 'pavlodar' });
}, 60_000);
afterAll(() => drop());

/** The specification: the person records of a year, one per person after merges. */
async function expectedPersons(year: string) {
  const rows = await db.query<{
    case_id: string;
    canon: string;
    encounter_date: string;
    created_at: string;
    region: string;
    forms: string[];
    sex: string;
    citizenships: string[];
    age_band: string;
    is_child: boolean;
    cross_border: boolean;
    agency_id: string;
    key: number;
  }>(
    `select c.id as case_id, coalesce(pp.merged_into, pp.id) as canon, p.age_band, c.is_child, c.cross_border, c.agency_id,
            (uuid_hash_extended(coalesce(pp.merged_into, pp.id), $1::bigint) & 4294967295)::float8 as key, c.encounter_date::text as encounter_date,
            c.created_at, c.encounter_region as region, c.exploitation_forms as forms, p.sex, p.citizenships
       from cases c join persons pp on pp.id = c.person_id join persons p on p.id = coalesce(pp.merged_into, pp.id)`,
    [repo.cellKeySeeds(SALT).person],
  );
  const first = new Map<string, (typeof rows)[number]>();
  const order = (r: (typeof rows)[number]) =>
    `${r.encounter_date}|${new Date(r.created_at).toISOString()}|${r.case_id}`;
  for (const r of rows) {
    const seen = first.get(r.canon);
    if (!seen || order(r) < order(seen)) first.set(r.canon, r);
  }
  return [...first.values()]
    .filter((r) => r.encounter_date.startsWith(year))
    .map((r) => ({
      region: r.region,
      quarter: `${year}-Q${Math.floor((Number(r.encounter_date.slice(5, 7)) - 1) / 3) + 1}`,
      sex: r.sex,
      citizenship: r.citizenships[0] ?? 'unknown',
      exploitation: r.forms,
      ageBand: r.age_band,
      childAdult: r.is_child ? 'child' : 'adult',
      crossBorder: r.cross_border ? 'cross_border' : 'internal',
      agencyType: r.agency_id,
      key: r.key,
    }));
}

function tally(
  records: { region: string; quarter: string; key: number; n?: number; [d: string]: unknown }[],
  dims: string[],
) {
  const m = new Map<string, { n: number; key: number }>();
  for (const r of records) {
    const k = JSON.stringify([r.region, r.quarter, ...dims.map((d) => r[d])]);
    const e = m.get(k) ?? { n: 0, key: 0 };
    m.set(k, { n: e.n + (r.n ?? 1), key: (e.key + r.key) % 2 ** 32 });
  }
  return [...m].sort(([a], [b]) => (a < b ? -1 : 1));
}

describe('statistics counted in SQL', () => {
  it('persons: one per person after merges, from the earliest case, with the cell keys, per grouping set', async () => {
    for (const year of ['2025', '2026']) {
      const want = await expectedPersons(year);
      const sets = [
        [],
        ['sex'],
        ['citizenship', 'sex'],
        ['exploitation'],
        ['ageBand'],
        ['childAdult', 'sex'],
        ['crossBorder'],
        ['agencyType'],
      ] as const;
      const got = await repo.personCounts(db, SALT, year, sets);
      sets.forEach((dims, i) => {
        expect(tally(got[i]!, [...dims]), `${year} ${dims.join(',')}`).toEqual(tally(want, [...dims]));
      });
      expect(got[0]!.reduce((s, r) => s + r.n, 0)).toBe(want.length);
    }
    // The person with three cases counts once, in 2025 (abai); merged pairs once each.
    const y25 = await repo.personCounts(db, SALT, '2025', [[]]);
    expect(y25[0]!.find((r) => r.region === 'abai')?.n).toBe(1);
    const y26 = await repo.personCounts(db, SALT, '2026', [[]]);
    const regions = new Set(y26[0]!.map((r) => r.region));
    expect(regions).toContain('atyrau');
    expect(regions).toContain('kostanay');
    expect(regions).toContain('aktobe');
    for (const r of ['shymkent', 'pavlodar', 'jambyl']) expect(regions).not.toContain(r);
  });

  it('cell keys: the seeded hash is pinned (a PostgreSQL that hashed differently would re-randomise every rounding)', async () => {
    const [r] = await db.query<{ h: string; k: number }>(
      `select uuid_hash_extended('6f1d2c3a-0000-4000-8000-000000000001', 1234567890123)::text as h,
              (uuid_hash_extended('6f1d2c3a-0000-4000-8000-000000000001', 1234567890123) & 4294967295)::float8 as k`,
    );
    // the same on PostgreSQL 15 (x86-64) and PGlite 0.5 (PostgreSQL 18, wasm32)
    expect(r).toEqual({ h: '-4948130336507129770', k: 3727200342 });
    const seeds = repo.cellKeySeeds(SALT);
    expect(new Set(Object.values(seeds)).size).toBe(6);
    // the services' keys also hash the category's text
    const [c] = await db.query<{ h: string }>("select hashtextextended('medical', 1234567890123)::text as h");
    expect(c!.h).toBe(HASHTEXT_MEDICAL);
    expect(repo.cellKeySeeds('another salt').person).not.toBe(seeds.person);
  });

  it('indicators: referrals (accepted, answered, overdue, answer hours), decisions, reflection, first proceeding', async () => {
    const [c] = await db.query<{ id: string; person_id: string }>(
      "select id, person_id from cases where number = 'T-1'",
    );
    const [to] = await db.query<{ id: string }>(
      'select id from agencies where is_competent_authority and id <> $1 order by name limit 1',
      [agency],
    );
    const [other] = await db.query<{ id: string }>("select id from cases where number = 'T-3'");
    const referral = async (state: string, sent: string, answeredAfterHours: number | null, caseId = c!.id) => {
      const id = randomUUID();
      const at = new Date(sent);
      await db.query(
        `insert into referrals (id, case_id, from_agency_id, to_agency_id, sent_by, purpose, urgency, state, sent_at, due_at,
                                expires_at, responded_at)
         values ($1, $2, $3, $4, $5, 'formal_identification', 'routine', $6, $7, $8, $9, $10)`,
        [
          id,
          caseId,
          agency,
          to!.id,
          user,
          state,
          at.toISOString(),
          new Date(at.getTime() + 72 * 3600e3).toISOString(),
          new Date(at.getTime() + 240 * 3600e3).toISOString(),
          answeredAfterHours === null ? null : new Date(at.getTime() + answeredAfterHours * 3600e3).toISOString(),
        ],
      );
      return id;
    };
    const r1 = await referral('accepted', '2026-02-01T10:00:00Z', 5);
    await referral('declined', '2026-02-02T10:00:00Z', 100);
    await referral('completed', '2026-05-02T10:00:00Z', 30);
    await referral('sent', '2025-12-31T20:00:00Z', null, other!.id); // 2026-01-01 01:00 in Almaty (UTC+5)
    const refs = (await repo.indicatorCounts(db, SALT, 'Asia/Almaty', 30, '2026')).referrals;
    const total = (rows: repo.TCountRow[]) => rows.reduce((s, r) => s + r.n, 0);
    expect(total(refs.all)).toBe(4);
    expect(total(refs.flags.accepted)).toBe(2);
    expect(total(refs.flags.answered)).toBe(3);
    expect(total(refs.flags.overdue)).toBe(2); // declined after 100 h; still unanswered past its deadline
    expect(refs.histogram.map((h) => h.value).sort((a, b) => a - b)).toEqual([5, 30, 100]);
    expect([...new Set(refs.all.map((r) => r.quarter))].sort()).toEqual(['2026-Q1', '2026-Q2']);

    const [maker] = await db.query<{ id: string; agency_id: string }>(
      "select id, agency_id from users where username = 'police.decision'",
    );
    await db.query(
      `insert into status_tracks (id, case_id, referral_id, agency_id, referred_at, preliminary_due_at)
       values ($1, $2, $3, $4, '2026-02-01T10:00:00Z', '2026-02-08T10:00:00Z')`,
      [randomUUID(), c!.id, r1, to!.id],
    );
    const decision = async (kind: string, outcome: string, on: string) => {
      const id = randomUUID();
      await db.query(
        `insert into status_decisions (id, case_id, kind, outcome, reasons_enc, legal_basis, decided_on, decided_by, agency_id)
         values ($1, $2, $3, $4, 'x', 'art. 12', $5, $6, $7)`,
        [id, c!.id, kind, outcome, on, maker!.id, maker!.agency_id],
      );
      return id;
    };
    const prelim = await decision('preliminary', 'presumed_victim', '2026-02-11');
    await decision('final', 'not_victim', '2026-06-01');
    const decs = (await repo.indicatorCounts(db, SALT, 'Asia/Almaty', 30, '2026')).decisions;
    expect(total(decs.all)).toBe(2);
    expect(total(decs.flags.positive)).toBe(1);
    expect(decs.histogram.map((h) => h.value).sort((a, b) => a - b)).toEqual([10, 120]);

    await db.query(
      `insert into reflection_periods (id, case_id, decision_id, agency_id, start_date, planned_end)
       values ($1, $2, $3, $4, '2026-02-11', '2026-03-13')`,
      [randomUUID(), c!.id, prelim, maker!.agency_id],
    );
    const refl = (await repo.indicatorCounts(db, SALT, 'Asia/Almaty', 30, '2026')).reflection;
    expect([total(refl.all), total(refl.flags.compliant)]).toEqual([1, 1]);

    const proceeding = async (caseId: string, at: string) =>
      db.query(
        `insert into criminal_proceedings (id, case_id, register_number_enc, article, stage, procedural_role, created_by, created_at)
         values ($1, $2, 'x', '128', 'trial', 'victim', $3, $4)`,
        [randomUUID(), caseId, user, at],
      );
    await proceeding(c!.id, '2025-12-20T10:00:00Z');
    await proceeding(c!.id, '2026-03-01T10:00:00Z'); // the case's second link: not counted again
    const [c2] = await db.query<{ id: string }>("select id from cases where number = 'T-2'");
    await proceeding(c2!.id, '2026-03-01T10:00:00Z');
    expect(total((await repo.indicatorCounts(db, SALT, 'Asia/Almaty', 30, '2026')).proceedings.all)).toBe(1);
    expect(total((await repo.indicatorCounts(db, SALT, 'Asia/Almaty', 30, '2025')).proceedings.all)).toBe(1);
  });

  it('services delivered: one per person (after merges) and type delivered in the year, from the first delivery, with the cell keys', async () => {
    const cases = await db.query<{ id: string; person_id: string }>(
      "select id, person_id from cases where number in ('T-1', 'T-2', 'T-3', 'T-4') order by number",
    );
    const [c1, c2, c3, c4] = cases as [(typeof cases)[number], ...(typeof cases)[number][]];
    const service = (
      caseId: string,
      category: string,
      status: string,
      end: string | null,
      at = '2026-01-01T00:00:00Z',
    ) =>
      db.query(
        `insert into assistance_services (id, case_id, category, htcds_type, provider_agency_id, planned_start,
                                          actual_start, actual_end, status, created_by, created_at)
         values ($1, $2, $3, 'Health', $4, '2025-01-01', $5, $5, $6, $7, $8)`,
        [randomUUID(), caseId, category, agency, end, status, user, at],
      );
    await service(c1!.id, 'medical', 'delivered', '2026-02-10');
    await service(c1!.id, 'medical', 'delivered', '2026-08-10'); // the same person and type: once, in Q1
    await service(c1!.id, 'legal_aid', 'delivered', '2026-08-11'); // another type: counted under it too
    await service(c2!.id, 'medical', 'delivered', '2026-05-05');
    await service(c2!.id, 'shelter', 'in_progress', null); // not delivered
    await service(c2!.id, 'psychological', 'cancelled', '2026-05-05'); // not delivered
    await service(c3!.id, 'medical', 'delivered', '2025-12-31'); // another year
    // A merge: c4's person is merged into c1's, so c4's medical service is the same person's.
    await db.query('update persons set merged_into = $1 where id = $2', [c1!.person_id, c4!.person_id]);
    await service(c4!.id, 'medical', 'delivered', '2026-01-05');
    try {
      const rows = await db.query<{
        canon: string;
        category: string;
        end: string;
        region: string;
        key: number;
      }>(
        `select coalesce(p.merged_into, p.id) as canon, s.category, s.actual_end::text as end, c.encounter_region as region,
                ((uuid_hash_extended(coalesce(p.merged_into, p.id), $1::bigint) # hashtextextended(s.category, $1::bigint))
                  & 4294967295)::float8 as key
           from assistance_services s join cases c on c.id = s.case_id join persons p on p.id = c.person_id
          where s.status = 'delivered' order by s.actual_end, s.created_at, s.id`,
        [repo.cellKeySeeds(SALT).service],
      );
      for (const year of ['2025', '2026']) {
        const first = new Map<string, (typeof rows)[number]>();
        for (const r of rows.filter((x) => x.end.startsWith(year)))
          if (!first.has(`${r.canon}|${r.category}`)) first.set(`${r.canon}|${r.category}`, r);
        const want = [...first.values()].map((r) => ({
          region: r.region,
          quarter: `${year}-Q${Math.floor((Number(r.end.slice(5, 7)) - 1) / 3) + 1}`,
          serviceType: r.category,
          key: r.key,
        }));
        const got = await repo.serviceCounts(db, SALT, year);
        expect(tally(got, ['serviceType']), year).toEqual(tally(want, ['serviceType']));
      }
      const y26 = await repo.serviceCounts(db, SALT, '2026');
      const n = (type: string, quarter?: string) =>
        y26.filter((r) => r.serviceType === type && (!quarter || r.quarter === quarter)).reduce((s, r) => s + r.n, 0);
      // c1's person (with the merged c4): medical once, from the merged case in January; c2: medical in Q2.
      expect(n('medical')).toBe(2);
      expect(n('medical', '2026-Q1')).toBe(1);
      expect(n('medical', '2026-Q2')).toBe(1);
      expect(n('legal_aid')).toBe(1);
      expect(n('shelter') + n('psychological')).toBe(0);
      expect((await repo.serviceCounts(db, SALT, '2025')).reduce((s, r) => s + r.n, 0)).toBe(1);
      // A service write changes the statistics data version (migration 0016), so the cache recomputes.
      const v = await repo.dataVersion(db);
      await db.query("update assistance_services set status = 'cancelled' where category = 'legal_aid'");
      expect(Number(await repo.dataVersion(db))).toBeGreaterThan(Number(v));
    } finally {
      await db.query('update persons set merged_into = null where id = $1', [c4!.person_id]);
      await db.query('delete from assistance_services');
    }
  });

  it('data version: changes when a write commits, not on a rolled-back write, not by compaction', async () => {
    const v0 = await repo.dataVersion(db);
    await db.tx(async (q) => {
      await q.query("update cases set encounter_region = encounter_region where number = 'T-1'");
      // the writer itself sees its change; others do not until it commits (PGlite has one connection)
      expect(await repo.dataVersion(q)).not.toBe(v0);
      if (db.kind === 'pg') expect(await repo.dataVersion(db)).toBe(v0);
    });
    const v1 = await repo.dataVersion(db);
    expect(Number(v1)).toBeGreaterThan(Number(v0));
    await db
      .tx(async (q) => {
        await q.query("update persons set sex = sex where id = (select person_id from cases where number = 'T-1')");
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await repo.dataVersion(db)).toBe(v1);
    await db.tx((q) => repo.compactVersion(q));
    expect(await repo.dataVersion(db)).toBe(v1);
    expect((await db.query<{ n: number }>('select count(*)::int as n from statistics_changes'))[0]!.n).toBe(0);
    await db.query('update referrals set updated_at = now() where false');
    expect(Number(await repo.dataVersion(db))).toBe(Number(v1) + 1);
  });

  it('cache: reused while the version holds, recomputed after a committed write, never stored across a write', async () => {
    let computed = 0;
    const read = () =>
      withStatisticsCache(db, db, (cache) =>
        cache.get('persons:2026', async () => {
          computed += 1;
          return (await repo.personCounts(db, SALT, '2026', [[]]))[0]!.reduce((s, r) => s + r.n, 0);
        }),
      );
    const first = await read();
    expect(await read()).toBe(first);
    expect(computed).toBe(1);
    const p = await person();
    await kase(p, '2026-06-06');
    expect(await read()).toBe(first + 1);
    expect(computed).toBe(2);
    // A write committed while the figures are computed: the answer is returned but not stored.
    let other = 0;
    const readOther = (write: boolean) =>
      withStatisticsCache(db, db, (cache) =>
        cache.get('other', async () => {
          other += 1;
          if (write) await kase(await person(), '2026-06-07');
          return other;
        }),
      );
    expect(await readOther(true)).toBe(1);
    expect(await readOther(false)).toBe(2);
    expect(await readOther(false)).toBe(2);
    expect(await read()).toBe(first + 2);
    expect(computed).toBe(3);
  });
});
