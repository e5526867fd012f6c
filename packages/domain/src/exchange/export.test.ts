import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXPORT_QUASI_IDENTIFIERS, exportGroups, exportRecords, type TExportSource } from './export.ts';

const SEX = ['Feminine', 'Masculine', 'NonSpecifiedUnknown'];
const BANDS = ['0-8', '9-17', '18-20', '21-23', '24-26', '27-29', '30-38', '39-47', '48+', 'unknown'];
const COUNTRIES = ['KZ', 'UZ', 'KG', 'TJ', 'RU', 'TR', 'AE', 'KR', 'unknown'];
const FORMS = ['ForcedLabour', 'SexualExploitation', 'ForcedBegging', 'ForcedMarriage', 'ForcedCriminality'];

const source = fc.record({
  sex: fc.constantFrom(...SEX),
  ageBand: fc.constantFrom(...BANDS),
  citizenship: fc.constantFrom(...COUNTRIES),
  countryOfExploitation: fc.constantFrom(...COUNTRIES),
  year: fc.constantFrom('2024', '2025', '2026'),
  forms: fc.array(fc.constantFrom(...FORMS), { maxLength: 2 }),
  crossBorder: fc.boolean(),
  traffickingStatus: fc.constantFrom('PossibleVictimOfTrafficking', 'ActualVictimOfTrafficking'),
}) as fc.Arbitrary<TExportSource>;

const classSizes = (records: readonly Record<string, string>[]) => {
  const m = new Map<string, number>();
  for (const r of records) {
    const key = EXPORT_QUASI_IDENTIFIERS.map((q) => r[q]).join('|');
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  return [...m.values()];
};

describe('HTCDS export (k-anonymous)', () => {
  it('every exported equivalence class over the quasi-identifiers has at least k = 11 records', () => {
    fc.assert(
      fc.property(fc.array(source, { minLength: 0, maxLength: 400 }), (sources) => {
        const { records, report } = exportRecords(sources, 11, 0.05);
        for (const n of classSizes(records)) expect(n).toBeGreaterThanOrEqual(11);
        expect(records.length + report.recordsSuppressed).toBe(sources.length);
        if (sources.length >= 11)
          expect(report.recordsSuppressed).toBeLessThanOrEqual(Math.floor(0.05 * sources.length));
        // Nothing but the export's columns.
        for (const r of records)
          expect(Object.keys(r).sort()).toEqual(
            [...EXPORT_QUASI_IDENTIFIERS, 'crossBorder', 'traffickingStatus'].sort(),
          );
      }),
      { numRuns: 60 },
    );
  });

  it('reports how much was generalised and suppressed', () => {
    const many: TExportSource[] = Array.from({ length: 60 }, (_, i) => ({
      sex: i % 2 ? 'Feminine' : 'Masculine',
      ageBand: i % 3 ? '21-23' : '9-17',
      citizenship: i % 5 ? 'UZ' : 'KG',
      countryOfExploitation: 'KZ',
      year: '2026',
      forms: [i % 4 ? 'ForcedLabour' : 'SexualExploitation'],
      crossBorder: true,
      traffickingStatus: 'PossibleVictimOfTrafficking',
    }));
    const { report } = exportRecords(many, 11, 0.05);
    expect(report.k).toBe(11);
    expect(Object.keys(report.levels).sort()).toEqual([...EXPORT_QUASI_IDENTIFIERS].sort());
    expect(report.informationLoss).toBeGreaterThan(0);
    expect(report.minClassSize).toBeGreaterThanOrEqual(11);
  });

  it('counted sources (as the database sends them) export the same records as one source per person', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(source, fc.integer({ min: 1, max: 30 })), { maxLength: 60 }), (counted) => {
        const expanded = counted.flatMap(([s, n]) => Array.from({ length: n }, () => s));
        const one = exportRecords(expanded, 11, 0.05);
        const many = exportGroups(
          counted.map(([source, n]) => ({ source, n })),
          11,
          0.05,
        );
        expect(many.report).toEqual(one.report);
        const lines = (rs: readonly Record<string, string>[]) => rs.map((r) => JSON.stringify(r)).sort();
        expect(lines(many.groups.flatMap((g) => Array.from({ length: g.n }, () => g.record)))).toEqual(
          lines(one.records),
        );
      }),
      { numRuns: 60 },
    );
  });
});
