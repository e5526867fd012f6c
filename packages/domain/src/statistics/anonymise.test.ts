import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anonymiseGroups, anonymiseRecords, DEFAULT_HIERARCHIES, generalise } from './anonymise.ts';

const QI = ['sex', 'age', 'citizenship', 'countryOfExploitation', 'date', 'exploitation'] as const;
const H = DEFAULT_HIERARCHIES;

const classSizes = (records: readonly Record<string, unknown>[], qi: readonly string[]) => {
  const m = new Map<string, number>();
  for (const r of records) {
    const key = JSON.stringify(qi.map((q) => r[q]));
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  return [...m.values()];
};

describe('generalisation hierarchies (data)', () => {
  it('age → CTDC band → child/adult → unknown', () => {
    expect([0, 1, 2, 3].map((l) => generalise('34', H.age!, l))).toEqual(['34', '30-38', 'adult', 'unknown']);
    expect(generalise('17', H.age!, 1)).toBe('9-17');
    expect(generalise('8', H.age!, 2)).toBe('child');
    expect(generalise('71', H.age!, 1)).toBe('48+');
    expect(generalise('unknown', H.age!, 2)).toBe('unknown');
  });
  it('date → year, country → M49 sub-region (with fallback), HTCDS form → GLOTIP', () => {
    expect(generalise('2026-03-14', H.date!, 1)).toBe('2026');
    expect(generalise('KZ', H.citizenship!, 1)).toBe('central_asia');
    expect(generalise('UA', H.citizenship!, 1)).toBe('eastern_europe');
    expect(generalise('AZ', H.citizenship!, 1)).toBe('western_asia');
    expect(generalise('AQ', H.citizenship!, 1)).toBe('other');
    expect(generalise('KZ', H.citizenship!, 2)).toBe('unknown');
    expect(generalise('ChildLabour', H.exploitation!, 1)).toBe('forced_labour');
    expect(generalise('mixed', H.exploitation!, 1)).toBe('mixed');
  });
});

const person = (sex: string, age: number, cit: string, coe: string, date: string, form: string) => ({
  sex,
  age,
  citizenship: cit,
  countryOfExploitation: coe,
  date,
  exploitation: form,
  caseRef: 'not a QI',
});

describe('anonymiseRecords', () => {
  it('leaves a population that is already k-anonymous untouched', () => {
    const rs = Array.from({ length: 6 }, () => person('Feminine', 25, 'KZ', 'KZ', '2026-01-01', 'ForcedLabour'));
    const { records, report } = anonymiseRecords(rs, QI, 3);
    expect(records).toEqual(rs);
    expect(report.informationLoss).toBe(0);
    expect(report.recordsSuppressed).toBe(0);
    expect(report.equivalenceClasses).toBe(1);
    expect(report.minClassSize).toBe(6);
  });

  it('generalises age to bands and dates to years before suppressing, and reports it', () => {
    const rs = [
      ...[22, 23, 21, 22, 20, 22].map((a, i) =>
        person('Feminine', a, 'UZ', 'KZ', `2025-0${1 + i}-10`, 'SexualExploitation'),
      ),
      ...[31, 33, 35, 30, 37].map((a, i) => person('Masculine', a, 'KG', 'KZ', `2025-1${i % 2}-02`, 'ForcedLabour')),
      person('Masculine', 61, 'CN', 'KZ', '2025-05-05', 'OrganRemoval'),
    ];
    const { records, report } = anonymiseRecords(rs, QI, 5, H, { maxSuppression: 0.1 });
    expect(report.levels.date).toEqual({ level: 1, height: 2 });
    expect(report.levels.age!.level).toBeGreaterThanOrEqual(1);
    expect(report.levels.sex).toEqual({ level: 0, height: 1 });
    expect(report.recordsSuppressed).toBe(1); // the single organ-removal case
    expect(report.suppressionRate).toBeLessThanOrEqual(0.1);
    expect(Math.min(...classSizes(records, QI))).toBeGreaterThanOrEqual(5);
    expect(records.every((r) => r.caseRef === 'not a QI')).toBe(true);
  });

  it('suppresses everything (and says so) when there are fewer than k records', () => {
    const rs = [person('Feminine', 25, 'KZ', 'KZ', '2026-01-01', 'Other')];
    const { records, report } = anonymiseRecords(rs, QI, 11);
    expect(records).toEqual([]);
    expect(report.withinMaxSuppression).toBe(false);
    expect(report.minClassSize).toBe(0);
  });

  it('refuses a quasi-identifier without a hierarchy', () => {
    expect(() => anonymiseRecords([], ['shoeSize'], 5)).toThrow(/hierarchy/);
  });
});

const arbPerson = fc.record({
  sex: fc.constantFrom('Feminine', 'Masculine', 'NonSpecifiedUnknown'),
  age: fc.oneof(fc.integer({ min: 0, max: 80 }), fc.constant(null)),
  citizenship: fc.constantFrom('KZ', 'UZ', 'KG', 'TJ', 'RU', 'UA', 'CN', 'TR', 'AE', 'DE', 'NG', 'AQ'),
  countryOfExploitation: fc.constantFrom('KZ', 'KZ', 'KZ', 'RU', 'AE', 'TR', 'KR'),
  date: fc.constantFrom('2023-02-01', '2024-06-30', '2025-11-11', '2026-01-15'),
  exploitation: fc.constantFrom('ForcedLabour', 'SexualExploitation', 'ForcedBegging', 'OrganRemoval', 'mixed'),
});

describe('anonymiseRecords properties', () => {
  it('every output class has ≥ k records; suppression ≤ the maximum whenever there are ≥ k records; the choice is minimal', () => {
    fc.assert(
      fc.property(
        fc.array(arbPerson, { maxLength: 250 }),
        fc.constantFrom(3, 5, 11),
        fc.constantFrom(0, 0.05, 0.2),
        (rs, k, maxSuppression) => {
          const { records, report } = anonymiseRecords(rs, QI, k, H, { maxSuppression });
          const sizes = classSizes(records, QI);
          for (const s of sizes) expect(s).toBeGreaterThanOrEqual(k);
          expect(report.equivalenceClasses).toBe(sizes.length);
          expect(report.minClassSize).toBe(sizes.length ? Math.min(...sizes) : 0);
          expect(report.recordsSuppressed).toBe(rs.length - records.length);
          if (rs.length >= k) {
            expect(report.withinMaxSuppression).toBe(true);
            expect(report.recordsSuppressed).toBeLessThanOrEqual(Math.floor(maxSuppression * rs.length + 1e-9));
          }
          // Minimality: lowering any single attribute's level would break the suppression budget.
          for (const q of QI) {
            const { level } = report.levels[q]!;
            if (level === 0 || rs.length < k) continue;
            const lower = QI.map((a) => (a === q ? level - 1 : report.levels[a]!.level));
            const regen = rs.map((r) =>
              QI.map((a, i) => generalise(r[a] === null ? 'unknown' : String(r[a]), H[a]!, lower[i]!)),
            );
            const counts = new Map<string, number>();
            for (const key of regen.map((x) => x.join('|'))) counts.set(key, (counts.get(key) ?? 0) + 1);
            const wouldSuppress = [...counts.values()].filter((c) => c < k).reduce((a, b) => a + b, 0);
            expect(wouldSuppress).toBeGreaterThan(Math.floor(maxSuppression * rs.length + 1e-9));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('property: counted groups are generalised and suppressed exactly like the records they stand for', () => {
    const rec = fc.record({
      sex: fc.constantFrom('Feminine', 'Masculine'),
      age: fc.integer({ min: 5, max: 60 }).map(String),
      citizenship: fc.constantFrom('KZ', 'UZ', 'KG', 'RU', 'TR'),
      countryOfExploitation: fc.constantFrom('KZ', 'RU', 'AE'),
      date: fc.constantFrom('2025-03-01', '2026-07-15'),
      exploitation: fc.constantFrom('ForcedLabour', 'SexualExploitation', 'ForcedBegging'),
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(rec, fc.integer({ min: 1, max: 6 })), { maxLength: 40 }),
        fc.integer({ min: 2, max: 11 }),
        (groups, k) => {
          const expanded = groups.flatMap(([r, n]) => Array.from({ length: n }, () => r));
          const one = anonymiseRecords(expanded, QI, k);
          const many = anonymiseGroups(
            groups.map(([record, n]) => ({ record, n })),
            QI,
            k,
          );
          expect(many.report).toEqual(one.report);
          const sorted = (rs: readonly Record<string, unknown>[]) => rs.map((r) => JSON.stringify(r)).sort();
          expect(sorted(many.groups.flatMap((g) => Array.from({ length: g.n }, () => g.record)))).toEqual(
            sorted(one.records),
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});
