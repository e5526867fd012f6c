import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cellKeyRound,
  dashboardThreshold,
  recordGroups,
  recordKey,
  runDashboardGroupQuery,
  runDashboardQuery,
  type TDashboardGroup,
  type TDashboardQuery,
  type TDashboardRecord,
  ZDashboardQuery,
} from './query.ts';
import { countTable, isSuppressed, protectTable, SUPPRESSED, type TCellValue } from './table.ts';

const SALT = 'test-salt';
let seq = 0;
const person = (region: string, sex: 'F' | 'M', quarter = '2026-Q1'): TDashboardRecord => ({
  id: `p${++seq}`,
  year: quarter.slice(0, 4),
  quarter,
  region,
  sex,
});
const many = (n: number, region: string, sex: 'F' | 'M', quarter?: string) =>
  Array.from({ length: n }, () => person(region, sex, quarter));

/**
 * What the attacker learns about a true count n from its published value. The attacker is given an
 * oracle: for a suppressed cell it knows whether n < t (a small cell, [1, t-1]) or not (withheld,
 * [t, ∞)) — stronger than any real attacker.
 */
function knowledge(v: TCellValue, n: number, t: number): [number, number] {
  if (isSuppressed(v)) return n < t ? [1, t - 1] : [t, Number.POSITIVE_INFINITY];
  if (v === 0) return [0, 0];
  return [Math.max(t, v - t + 1), v + t - 1];
}

/**
 * Differencing attacker: whole = target + Σ parts. Enumerates every value of the target consistent
 * with what is published about the whole and the parts.
 */
function feasibleByDifference(
  whole: [TCellValue, number],
  parts: [TCellValue, number][],
  target: [TCellValue, number],
  t: number,
): number[] {
  const [wLo, wHi] = knowledge(...whole, t);
  const [xLo, xHi] = knowledge(...target, t);
  const sumLo = parts.reduce<number>((s, p) => s + knowledge(...p, t)[0], 0);
  const sumHi = parts.reduce<number>((s, p) => s + knowledge(...p, t)[1], 0);
  const out: number[] = [];
  const top = Math.min(xHi, 10_000);
  for (let x = xLo; x <= top; x++) if (x <= wHi - sumLo && x >= wLo - sumHi) out.push(x);
  return out;
}

const q = (over: Partial<TDashboardQuery>): TDashboardQuery => ({
  period: '2026',
  region: 'all',
  rows: 'sex',
  ...over,
});
const cell = (t: ReturnType<typeof runDashboardQuery>, row: string) => t.cells[t.rowKeys.indexOf(row)]?.[0] ?? 0;

describe('the dashboard query lattice', () => {
  it('accepts only predefined dimensions, periods and region filters', () => {
    expect(ZDashboardQuery.safeParse(q({})).success).toBe(true);
    expect(ZDashboardQuery.safeParse(q({ period: '2026-Q3', region: 'almaty', cols: 'ageBand' })).success).toBe(true);
    expect(ZDashboardQuery.safeParse(q({ region: 'all_except_almaty' as never })).success).toBe(false);
    expect(ZDashboardQuery.safeParse({ ...q({}), exclude: ['almaty'] }).success).toBe(false);
    expect(ZDashboardQuery.safeParse(q({ rows: 'name' as never })).success).toBe(false);
    expect(ZDashboardQuery.safeParse(q({ period: '2026-05' })).success).toBe(false);
    expect(ZDashboardQuery.safeParse(q({ rows: 'sex', cols: 'sex' })).success).toBe(false);
    expect(ZDashboardQuery.safeParse(q({ region: 'almaty', rows: 'region' })).success).toBe(false);
  });

  it('uses a threshold of at least 4 and never publishes a value below it', () => {
    expect(dashboardThreshold(3)).toBe(4);
    expect(dashboardThreshold(5)).toBe(5);
    expect(() => dashboardThreshold(2)).toThrow();
    const records = [...many(2, 'almaty', 'F'), ...many(17, 'astana', 'F'), ...many(9, 'astana', 'M')];
    const t = runDashboardQuery(records, q({ cols: 'region' }), { k: 5, salt: SALT });
    expect(t.rounding).toEqual({ mode: 'cell-key', base: 5 });
    const all = [...t.cells.flat(), ...t.rowTotals, ...t.colTotals, t.grandTotal];
    for (const v of all) if (!isSuppressed(v)) expect(v === 0 || (v >= 5 && v % 5 === 0)).toBe(true);
  });

  it('cell-key rounding is unbiased and a function of the set of people only', () => {
    expect(cellKeyRound(10, 12345, 5)).toBe(10);
    expect(cellKeyRound(12, 0, 5)).toBe(15); // key 0 < 2/5 → up
    expect(cellKeyRound(12, 2 ** 32 - 1, 5)).toBe(10);
    let up = 0;
    for (let i = 0; i < 5000; i++) if (cellKeyRound(7, recordKey('s', String(i)), 5) === 10) up++;
    expect(up / 5000).toBeGreaterThan(0.36);
    expect(up / 5000).toBeLessThan(0.44);
    // Same people reached by different queries → same published number.
    const records = [...many(13, 'almaty', 'F'), ...many(8, 'almaty', 'M'), ...many(23, 'astana', 'F')];
    const byRegion = runDashboardQuery(records, q({ rows: 'region' }), { k: 5, salt: SALT });
    const almaty = runDashboardQuery(records, q({ region: 'almaty' }), { k: 5, salt: SALT });
    expect(almaty.grandTotal).toEqual(cell(byRegion, 'almaty'));
    const bySex = runDashboardQuery(records, q({}), { k: 5, salt: SALT });
    expect(bySex.grandTotal).toEqual(byRegion.grandTotal);
    // …and the direction cannot be predicted without the salt.
    expect(recordKey('a', 'p1')).not.toBe(recordKey('b', 'p1'));
  });
});

describe('ATTACKER: differencing overlapping queries', () => {
  // Two women identified in Kyzylorda, many elsewhere.
  const records = [
    ...many(2, 'kyzylorda', 'F'),
    ...many(3, 'kyzylorda', 'M'),
    ...many(24, 'almaty', 'F'),
    ...many(11, 'almaty', 'M'),
    ...many(18, 'astana', 'F'),
    ...many(6, 'astana', 'M'),
  ];
  const regions = ['kyzylorda', 'almaty', 'astana'];
  const count = (recs: readonly TDashboardRecord[], pred: (r: TDashboardRecord) => boolean) => recs.filter(pred).length;

  it('without rounding, per-query suppression alone leaks the cell (the attack works)', () => {
    const exact = (region: string | null) => {
      const sel = records.filter((r) => region === null || r.region === region);
      return protectTable(countTable(sel, 'sex', null, { rowKeys: ['F', 'M'] }), 5);
    };
    const a = exact(null).cells[0]![0]!;
    const others = regions.slice(1).map((r) => exact(r).cells[0]![0]!);
    expect(isSuppressed(exact('kyzylorda').cells[0]![0]!)).toBe(true);
    expect(a).toBe(44);
    expect(others).toEqual([24, 18]);
    // A − (all regions except Kyzylorda) = 2: recovered.
    expect((a as number) - (others as number[]).reduce((x, y) => x + y, 0)).toBe(2);
  });

  it('with the dashboard model, "all regions" minus "every other region" does not pin the suppressed cell', () => {
    for (const salt of ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8']) {
      const opts = { k: 5, salt, categories: { sex: ['F', 'M'] } };
      const all = runDashboardQuery(records, q({}), opts);
      const per = Object.fromEntries(
        regions.map((r) => [r, runDashboardQuery(records, q({ region: r as never }), opts)]),
      );
      const n = (r: string) => count(records, (x) => x.region === r && x.sex === 'F');
      const target = cell(per.kyzylorda!, 'F');
      expect(isSuppressed(target)).toBe(true);
      const feasible = feasibleByDifference(
        [cell(all, 'F'), 44],
        regions.slice(1).map((r) => [cell(per[r]!, 'F'), n(r)]),
        [target, 2],
        5,
      );
      expect(feasible).toContain(2);
      expect(feasible.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('withholds a total whose parts are all small when its rounding would pin them', () => {
    // Four regions with 4 women each: 16 rounds to 15 or 20. Published as 20, the attacker would
    // know 16 ≤ total and every part ≤ 4, so every part = 4. The lattice withholds the total instead.
    const small = ['abai', 'aktobe', 'atyrau', 'jambyl'];
    const recs = small.flatMap((r) => many(4, r, 'F'));
    let withheld = 0;
    for (let i = 0; i < 40; i++) {
      const opts = { k: 5, salt: `salt-${i}`, categories: { sex: ['F', 'M'] } };
      const total = cell(runDashboardQuery(recs, q({}), opts), 'F');
      if (isSuppressed(total)) withheld++;
      else expect(total).toBe(15);
      const feasible = feasibleByDifference(
        [total, 16],
        small.slice(1).map(() => [SUPPRESSED, 4]),
        [SUPPRESSED, 4],
        5,
      );
      expect(feasible.length).toBeGreaterThanOrEqual(2);
    }
    expect(withheld).toBeGreaterThan(0);
  });

  it('property: a difference of any two published counts never pins a suppressed cell (t ≥ 4)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 12 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 60 }),
        fc.string(),
        (k, xSeed, ySize, salt) => {
          const t = dashboardThreshold(k);
          const x = 1 + (xSeed % (t - 1));
          const y = t + ySize;
          const recs = [...many(x, 'kyzylorda', 'F'), ...many(y, 'almaty', 'F')];
          const opts = { k, salt, categories: { sex: ['F', 'M'] } };
          const all = runDashboardQuery(recs, q({}), opts);
          const other = runDashboardQuery(recs, q({ region: 'almaty' }), opts);
          const target = cell(runDashboardQuery(recs, q({ region: 'kyzylorda' }), opts), 'F');
          expect(isSuppressed(target)).toBe(true);
          const feasible = feasibleByDifference([cell(all, 'F'), x + y], [[cell(other, 'F'), y]], [target, x], t);
          expect(feasible).toContain(x);
          expect(feasible.length).toBeGreaterThanOrEqual(2);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: no region and no quarter is pinned by "all regions" / "whole year" minus the other parts', () => {
    const REGIONS = ['abai', 'akmola', 'aktobe', 'almaty'] as const;
    const QUARTERS = ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'] as const;
    const arbCounts = fc.array(
      fc.oneof(
        { arbitrary: fc.constant(0), weight: 1 },
        { arbitrary: fc.integer({ min: 1, max: 4 }), weight: 4 },
        { arbitrary: fc.integer({ min: 5, max: 14 }), weight: 1 },
      ),
      {
        minLength: REGIONS.length * QUARTERS.length,
        maxLength: REGIONS.length * QUARTERS.length,
      },
    );
    fc.assert(
      fc.property(arbCounts, fc.constantFrom(4, 5), fc.string(), (counts, k, salt) => {
        const t = dashboardThreshold(k);
        const recs = REGIONS.flatMap((r, i) =>
          QUARTERS.flatMap((qu, j) => many(counts[i * QUARTERS.length + j]!, r, 'F', qu)),
        );
        const opts = { k, salt, categories: { sex: ['F', 'M'] } };
        const ask = (period: string, region: string) => {
          const pub = cell(runDashboardQuery(recs, q({ period, region: region as never }), opts), 'F');
          const n = count(
            recs,
            (r) => (period.length === 4 || r.quarter === period) && (region === 'all' || r.region === region),
          );
          return [pub, n] as [TCellValue, number];
        };
        const check = (whole: [TCellValue, number], parts: [TCellValue, number][]) => {
          // A whole that is itself below t is a table below t: see the known limitation below.
          if (whole[1] < t) return;
          parts.forEach((target, i) => {
            if (!isSuppressed(target[0]) || target[1] >= t) return;
            const others = parts.filter((_, j) => j !== i);
            const feasible = feasibleByDifference(whole, others, target, t);
            expect(feasible).toContain(target[1]);
            expect(feasible.length).toBeGreaterThanOrEqual(2);
          });
        };
        for (const period of ['2026', ...QUARTERS])
          check(
            ask(period, 'all'),
            REGIONS.map((r) => ask(period, r)),
          );
        for (const region of ['all', ...REGIONS])
          check(
            ask('2026', region),
            QUARTERS.map((p) => ask(p, region)),
          );
      }),
      { numRuns: 300 },
    );
  });

  it('year minus three published quarters: the fourth quarter is not pinned', () => {
    const recs = [
      ...many(3, 'almaty', 'F', '2026-Q4'),
      ...many(12, 'almaty', 'F', '2026-Q1'),
      ...many(9, 'almaty', 'F', '2026-Q2'),
      ...many(14, 'almaty', 'F', '2026-Q3'),
    ];
    const opts = { k: 5, salt: SALT, categories: { sex: ['F', 'M'] } };
    const year = cell(runDashboardQuery(recs, q({}), opts), 'F');
    const quarters = (['Q1', 'Q2', 'Q3'] as const).map((p, i): [TCellValue, number] => [
      cell(runDashboardQuery(recs, q({ period: `2026-${p}` }), opts), 'F'),
      [12, 9, 14][i]!,
    ]);
    const q4 = cell(runDashboardQuery(recs, q({ period: '2026-Q4' }), opts), 'F');
    expect(isSuppressed(q4)).toBe(true);
    expect(feasibleByDifference([year, 38], quarters, [q4, 3], 5).length).toBeGreaterThanOrEqual(2);
  });

  it('property: counted groups give exactly the answer of the records they stand for, however grouped', () => {
    const REGIONS = ['almaty', 'astana', 'shymkent', 'abai'];
    const QUARTERS = ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'];
    const record = fc.record({
      region: fc.constantFrom(...REGIONS),
      quarter: fc.constantFrom(...QUARTERS),
      sex: fc.constantFrom('F', 'M'),
      ageBand: fc.constantFrom('9-17', '18-20', '30-38'),
    });
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 120 }),
        fc.integer({ min: 3, max: 8 }),
        fc.constantFrom('2026', '2026-Q2'),
        fc.constantFrom('all', 'almaty'),
        fc.boolean(),
        fc.string(),
        (rows, k, period, region, twoD, salt) => {
          const records: TDashboardRecord[] = rows.map((r, i) => ({ id: `r${i}`, year: '2026', ...r }));
          const query = q({ period, region: region as never, rows: 'sex', cols: twoD ? 'ageBand' : undefined });
          const opts = { k, salt, categories: { sex: ['F', 'M'] } };
          // What the server sends: one group per combination of values, counts and key sums added up
          // (as SQL's count(*) and sum(key) mod 2³² do), in no particular order.
          const byValues = new Map<string, TDashboardGroup>();
          for (const g of recordGroups(records, salt)) {
            const { id: _id, n, key, ...values } = g as TDashboardGroup & { id: string };
            const at = JSON.stringify(values);
            const prev = byValues.get(at);
            byValues.set(
              at,
              prev ? { ...prev, n: prev.n + n, key: (prev.key + key) % 2 ** 32 } : { ...values, n, key },
            );
          }
          const grouped = [...byValues.values()].reverse();
          expect(runDashboardGroupQuery(grouped, query, opts)).toEqual(runDashboardQuery(records, query, opts));
        },
      ),
      { numRuns: 300 },
    );
  });
});
