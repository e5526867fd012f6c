import {
  KZ_REGIONS,
  isSuppressed,
  ROLE_PERMISSIONS,
  SERVICE_CATEGORIES,
  type TDashboard,
  type TProtectedTableOut,
} from '@opennrm/domain';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intake } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';

type Client = Awaited<ReturnType<TestApp['as']>>;
let t: TestApp;
let analyst: Client;
let coordinator: Client;
const K = 5;

/** The published value of a row (its total) of a protected table. */
function rowTotal(table: TProtectedTableOut, row: string) {
  return table.rowTotals[table.rowKeys.indexOf(row)]!;
}

/** Every number an analyst receives from a statistics route. */
function numbersOf(table: TProtectedTableOut): number[] {
  return [...table.cells.flat(), ...table.rowTotals, ...table.colTotals, table.grandTotal].filter(
    (v): v is number => typeof v === 'number',
  );
}

beforeAll(async () => {
  t = await createTestApp();
  const officer = await t.as('police.officer');
  const make = async (n: number, region: string, over: Record<string, unknown>, dates: string[]) => {
    for (let i = 0; i < n; i++) {
      const res = await officer.post(
        '/api/cases',
        intake({
          person: { sex: i % 3 === 0 ? 'Masculine' : 'Feminine', ...over },
          case: { encounterRegion: region as never, encounterDate: dates[i % dates.length]! },
        }),
      );
      expect(res.statusCode, res.body).toBe(201);
    }
  };
  await make(20, 'almaty', {}, ['2026-02-10', '2026-05-10', '2026-08-10', '2026-10-10']);
  await make(12, 'astana', {}, ['2026-03-01', '2026-06-01']);
  // The small region the attacker wants: two people.
  await make(2, 'shymkent', { citizenships: ['UZ'], documents: [] }, ['2026-04-04']);
  // Assistance services (issue 6) as the assistance module records them: delivered ones count.
  const casesIn = async (region: string) =>
    t.db.query<{ id: string; agency_id: string; created_by: string }>(
      'select id, agency_id, created_by from cases where encounter_region = $1 order by number',
      [region],
    );
  const service = async (
    c: { id: string; agency_id: string; created_by: string },
    category: string,
    status: string,
    end: string | null,
  ) =>
    t.db.query(
      `insert into assistance_services (id, case_id, category, htcds_type, provider_agency_id, planned_start,
                                        actual_start, actual_end, status, created_by)
       values (gen_random_uuid(), $1, $2, 'Health', $3, '2025-01-01', $4, $4, $5, $6)`,
      [c.id, category, c.agency_id, end, status, c.created_by],
    );
  const almaty = await casesIn('almaty');
  // 12 people in Almaty had medical care delivered in May; one of them twice (still one person).
  for (const c of almaty.slice(0, 12)) await service(c, 'medical', 'delivered', '2026-05-20');
  await service(almaty[0]!, 'medical', 'delivered', '2026-05-21');
  // 6 had psychological care delivered; 6 have shelter still in progress (not delivered: not counted).
  for (const c of almaty.slice(12, 18)) await service(c, 'psychological', 'delivered', '2026-05-22');
  for (const c of almaty.slice(0, 6)) await service(c, 'shelter', 'in_progress', null);
  // 6 had education delivered in 2025: not a 2026 figure.
  for (const c of almaty.slice(0, 6)) await service(c, 'education', 'delivered', '2025-11-11');
  // The small cell: legal aid for the two people of Shymkent.
  for (const c of await casesIn('shymkent')) await service(c, 'legal_aid', 'delivered', '2026-04-10');
  analyst = await t.as('analyst');
  coordinator = await t.as('coordinator');
}, 120_000);
afterAll(() => t.close());

describe('statistics routes', () => {
  it('analyst: every route that is not their own account or statistics is refused (403)', async () => {
    const allowed = new Set<string>(ROLE_PERMISSIONS.analyst);
    const reachable: string[] = [];
    for (const route of t.app.routeTable) {
      if ('public' in route.access) continue;
      const url = route.url.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000').replace('*', 'x');
      const permission = (route.access as { permission: string }).permission;
      if (allowed.has(permission)) {
        reachable.push(`${route.method} ${route.url}`);
        continue;
      }
      const method = route.method === 'HEAD' ? 'GET' : route.method;
      const res = await analyst.request(method, url, method === 'GET' || method === 'DELETE' ? undefined : {});
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(403);
    }
    // What an analyst can reach: their own session/account, their notifications, and statistics.
    for (const r of reachable) expect(r).toMatch(/ \/api\/(auth|notifications|statistics)\b/);
    expect(reachable.some((r) => r.includes('/api/statistics/dashboard'))).toBe(true);
  });

  it('dashboard: only protected aggregates, never a cell with 0 < n < k', async () => {
    for (const who of [analyst, coordinator]) {
      for (const period of ['2026', '2026-Q2']) {
        for (const region of ['all', 'almaty', 'shymkent']) {
          const res = await who.get(`/api/statistics/dashboard?period=${period}&region=${region}`);
          expect(res.statusCode, res.body).toBe(200);
          const d = res.json() as TDashboard;
          expect(d.k).toBe(K);
          expect(d.tables.length).toBeGreaterThan(0);
          for (const { table } of d.tables) {
            for (const n of numbersOf(table)) expect(n === 0 || n >= K, `${table.rowDim}: ${n}`).toBe(true);
            expect(table.rounding?.mode).toBe('cell-key');
          }
          for (const i of d.indicators.filter((x) => x.unit === 'count'))
            expect(i.value === null || i.value === 0 || i.value >= K).toBe(true);
          // No identifier or name anywhere in the answer.
          expect(res.body).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|Ахметова|Айгерім|KZ-\d{4}/);
        }
      }
    }
    const all = (await analyst.get('/api/statistics/dashboard?period=2026&region=all')).json() as TDashboard;
    const byRegion = all.tables.find((x) => x.id === 'region')!.table;
    expect(isSuppressed(byRegion.cells[byRegion.rowKeys.indexOf('shymkent')]![0]!)).toBe(true);
  });

  it('services delivered by type: a delivered service counts under its type, per person, in its period and region; a small cell is suppressed', async () => {
    const services = async (period: string, region: string) => {
      const res = await analyst.get(`/api/statistics/dashboard?period=${period}&region=${region}`);
      expect(res.statusCode, res.body).toBe(200);
      const table = (res.json() as TDashboard).tables.find((x) => x.id === 'serviceType')?.table;
      expect(table, 'the dashboard has the services table').toBeDefined();
      return table!;
    };
    const year = await services('2026', 'all');
    expect(year.rowDim).toBe('serviceType');
    expect(year.rowKeys).toEqual([...SERVICE_CATEGORIES]);
    expect(year.rounding).toEqual({ mode: 'cell-key', base: K });
    // 12 people had medical care (one of them twice): cell-key rounded to base 5, so 10 or 15.
    expect([10, 15]).toContain(rowTotal(year, 'medical'));
    // Two people had legal aid: suppressed (primary), and so is a complement (the next smallest,
    // psychological care), so that the total minus the published rows does not give it back.
    expect(isSuppressed(rowTotal(year, 'legal_aid'))).toBe(true);
    expect(isSuppressed(rowTotal(year, 'psychological'))).toBe(true);
    expect(year.primarySuppressed).toBeGreaterThan(0);
    expect(year.secondarySuppressed).toBeGreaterThan(0);
    // Not delivered (shelter in progress) or delivered in another year (education 2025): zero.
    expect(rowTotal(year, 'shelter')).toBe(0);
    expect(rowTotal(year, 'education')).toBe(0);
    expect([5, 10]).toContain(rowTotal(await services('2025', 'all'), 'education'));
    // Period and region filters.
    expect([10, 15]).toContain(rowTotal(await services('2026-Q2', 'almaty'), 'medical'));
    expect(rowTotal(await services('2026-Q3', 'all'), 'medical')).toBe(0);
    const shymkent = await services('2026', 'shymkent');
    expect(rowTotal(shymkent, 'medical')).toBe(0);
    expect(isSuppressed(rowTotal(shymkent, 'legal_aid'))).toBe(true);
    expect(numbersOf(shymkent).every((n) => n === 0)).toBe(true);
    // The one-table lattice query reaches the same records, and nothing else can be crossed with them.
    const one = (await analyst.get('/api/statistics/query?period=2026&region=all&rows=serviceType')).json();
    expect(one.rowTotals).toEqual(year.rowTotals);
    expect(
      (await analyst.get('/api/statistics/query?period=2026&region=all&rows=serviceType&cols=sex')).statusCode,
    ).toBe(400);
    expect(
      (await analyst.get('/api/statistics/query?period=2026&region=all&rows=sex&cols=serviceType')).statusCode,
    ).toBe(400);
  });

  it('the per-year cache follows services: a newly delivered service changes the next dashboard', async () => {
    const vocational = async () => {
      const d = (await analyst.get('/api/statistics/dashboard?period=2026&region=all')).json() as TDashboard;
      return rowTotal(d.tables.find((x) => x.id === 'serviceType')!.table, 'vocational');
    };
    expect(await vocational()).toBe(0);
    const cases = await t.db.query<{ id: string; agency_id: string; created_by: string }>(
      "select id, agency_id, created_by from cases where encounter_region = 'astana' order by number limit 11",
    );
    for (const c of cases)
      await t.db.query(
        `insert into assistance_services (id, case_id, category, htcds_type, provider_agency_id, planned_start,
                                          actual_start, actual_end, status, created_by)
         values (gen_random_uuid(), $1, 'vocational', 'Livelihood', $2, '2026-01-01', '2026-02-01', '2026-02-01', 'delivered', $3)`,
        [c.id, c.agency_id, c.created_by],
      );
    expect([10, 15]).toContain(await vocational());
  });

  it('every read of statistics is audited with the actor and the filters, and nothing personal', async () => {
    const [{ since }] = (await t.db.query<{ since: string }>(
      'select coalesce(max(id), 0)::text as since from audit_events',
    )) as [{ since: string }];
    expect((await analyst.get('/api/statistics/dashboard?period=2026-Q2&region=almaty')).statusCode).toBe(200);
    expect(
      (await analyst.get('/api/statistics/query?period=2026&region=all&rows=childAdult&cols=sex')).statusCode,
    ).toBe(200);
    expect((await analyst.get('/api/statistics/report?period=2026&lang=en&format=pdf')).statusCode).toBe(200);
    const events = await t.db.query<{
      action: string;
      actor_username: string;
      actor_id: string | null;
      target_type: string | null;
      target_id: string | null;
      outcome: string;
      details: Record<string, unknown>;
    }>(
      `select action, actor_username, actor_id, target_type, target_id, outcome, details from audit_events
        where id > $1::bigint and action like 'statistics.%' order by id`,
      [since],
    );
    const [analystRow] = await t.db.query<{ id: string }>("select id from users where username = 'analyst'");
    expect(events.map((e) => e.action)).toEqual(['statistics.read', 'statistics.query', 'statistics.report']);
    for (const e of events) {
      expect(e).toMatchObject({
        actor_username: 'analyst',
        actor_id: analystRow!.id,
        outcome: 'success',
        target_id: null,
      });
    }
    expect(events[0]!.details).toEqual({ period: '2026-Q2', region: 'almaty' });
    expect(events[1]!.details).toEqual({ period: '2026', region: 'all', rows: 'childAdult', cols: 'sex' });
    expect(events[2]!.details).toEqual({ period: '2026', format: 'pdf', lang: 'en', k: 11 });
    // Filters only: no figure, no identifier, no name.
    expect(JSON.stringify(events)).not.toMatch(/Ахметова|Айгерім|KZ-\d{4}|"n"|grandTotal/);
  });

  it('a lattice query outside the lattice is refused (no free filters)', async () => {
    expect((await analyst.get('/api/statistics/query?period=2026&region=all&rows=sex&name=x')).statusCode).toBe(400);
    expect((await analyst.get('/api/statistics/query?period=2026-01-01&region=all&rows=sex')).statusCode).toBe(400);
    expect((await analyst.get('/api/statistics/query?period=2026&region=almaty&rows=region')).statusCode).toBe(400);
  });

  it.each([
    ['persons by sex', 'sex', (t: TProtectedTableOut) => t.grandTotal],
    ['services delivered: all types', 'serviceType', (t: TProtectedTableOut) => t.grandTotal],
    ['services delivered: legal aid', 'serviceType', (t: TProtectedTableOut) => rowTotal(t, 'legal_aid')],
  ] as const)(
    'attacker: two overlapping queries (all regions minus the other regions) do not recover the suppressed region (%s)',
    async (_name, rows, cellOf) => {
      const q = async (region: string) => {
        const res = await analyst.get(`/api/statistics/query?period=2026&region=${region}&rows=${rows}`);
        expect(res.statusCode, res.body).toBe(200);
        return res.json() as TProtectedTableOut;
      };
      const whole = await q('all');
      const target = await q('shymkent');
      // The target region is never published.
      expect(numbersOf(target).every((n) => n === 0)).toBe(true);
      const tThreshold = whole.rounding?.base ?? K;
      // Interval knowledge of a published, cell-key-rounded value p: n ∈ [max(t, p − t + 1), p + t − 1].
      const interval = (v: TProtectedTableOut['grandTotal']): [number, number] =>
        typeof v === 'number'
          ? v === 0
            ? [0, 0]
            : [Math.max(tThreshold, v - tThreshold + 1), v + tThreshold - 1]
          : [1, Number.POSITIVE_INFINITY];
      let lo = 0;
      let hi = 0;
      for (const region of KZ_REGIONS.filter((r) => r !== 'shymkent')) {
        const [a, b] = interval(cellOf(await q(region)));
        lo += a;
        hi += b;
      }
      const [wLo, wHi] = interval(cellOf(whole));
      // shymkent = whole − others: the attacker's interval, intersected with "suppressed, so 1..t−1".
      const from = Math.max(1, wLo - hi);
      const to = Math.min(tThreshold - 1, wHi - lo);
      expect(to - from + 1).toBeGreaterThan(1);
      // The true value (2) stays inside what the attacker can infer, with at least one other candidate.
      expect(2).toBeGreaterThanOrEqual(from);
      expect(2).toBeLessThanOrEqual(to);
    },
  );

  it('national report (XLSX): publication k = 11 stated, every published count 0 or a multiple of 11, audited', async () => {
    const res = await coordinator.get('/api/statistics/report?period=2026&lang=ru&format=xlsx');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const texts: string[] = [];
    const numbers: number[] = [];
    sheet.eachRow((row) =>
      row.eachCell((c) => {
        if (typeof c.value === 'number') numbers.push(c.value);
        else texts.push(String(c.value));
      }),
    );
    expect(texts.join(' ')).toContain('менее 11 человек');
    expect(texts.join(' ')).toContain('Выявленные лица по кварталам');
    // The services table is one of the report's standard tables, with its definition.
    expect(texts).toContain('Оказанные услуги по видам');
    expect(texts).toContain('Медицинская помощь');
    expect(numbers.length).toBeGreaterThan(0);
    for (const n of numbers) expect(n === 0 || (n >= 11 && n % 11 === 0), String(n)).toBe(true);
    const [audit] = await t.db.query<{ details: Record<string, unknown> }>(
      "select details from audit_events where action = 'statistics.report' order by at desc limit 1",
    );
    expect(audit?.details).toMatchObject({ period: '2026', format: 'xlsx', lang: 'ru', k: 11 });
  });

  it('national report (PDF): a PDF with an embedded Cyrillic font', async () => {
    const res = await analyst.get('/api/statistics/report?period=2026&lang=kk&format=pdf');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const body = res.rawPayload;
    expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(body.toString('latin1')).toContain('DejaVuSans');
    expect((await analyst.get('/api/statistics/report?period=2026&lang=de&format=pdf')).statusCode).toBe(400);
  });

  it('the per-year cache never serves stale figures: new cases change the next dashboard', async () => {
    const persons = async () => {
      const d = (await analyst.get('/api/statistics/dashboard?period=2026&region=all')).json() as TDashboard;
      return d.tables.find((x) => x.id === 'quarter')!.table.grandTotal;
    };
    const before = await persons();
    expect(await persons()).toEqual(before);
    expect(typeof before).toBe('number');
    const officer = await t.as('police.officer');
    for (let i = 0; i < 10; i++) {
      const res = await officer.post('/api/cases', intake({ case: { encounterDate: '2026-07-07' } }));
      expect(res.statusCode).toBe(201);
    }
    const after = await persons();
    expect(typeof after).toBe('number');
    // 10 more people: a cell-key-rounded total (base 5) moves by at least 5.
    expect((after as number) - (before as number)).toBeGreaterThanOrEqual(5);
  });
});
