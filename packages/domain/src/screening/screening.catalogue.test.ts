import { describe, expect, it } from 'vitest';
import raw from './catalogue.2009-labour-v1.json' with { type: 'json' };
import { CATALOGUE_2009_LABOUR_V1 as CAT } from './screening.catalogue.ts';
import { LOCALES } from '../common/locale.ts';
import { SCREENING_PROFILES, TRAFFICKING_ACTS, ZCatalogue } from './screening.schemas.ts';

const CYRILLIC = /[\u0400-\u04FF]/;
const KAZAKH_LETTERS = /[әғқңөұүһі]/i;

describe('catalogue 2009-labour-v1', () => {
  it('parses with ZCatalogue', () => {
    const parsed = ZCatalogue.safeParse(raw);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(CAT.version).toBe('2009-labour-v1');
  });

  it('has 6 dimensions and 67 indicators with unique ids (10/10/16/9/15/7)', () => {
    expect(CAT.dimensions.map((d) => d.indicators.length)).toEqual([10, 10, 16, 9, 15, 7]);
  });

  it('every indicator has non-empty en/ru/kk text and help; ru and kk are Cyrillic', () => {
    for (const d of CAT.dimensions) {
      for (const l of LOCALES) expect(d.label[l].trim(), `${d.id} label ${l}`).not.toBe('');
      for (const i of d.indicators) {
        for (const l of LOCALES) {
          expect(i.text[l].trim(), `${i.id} text ${l}`).not.toBe('');
          expect(i.help[l].trim(), `${i.id} help ${l}`).not.toBe('');
        }
        expect(i.text.ru, i.id).toMatch(CYRILLIC);
        expect(i.text.kk, i.id).toMatch(CYRILLIC);
        expect(i.help.ru, i.id).toMatch(CYRILLIC);
        expect(i.help.kk, i.id).toMatch(CYRILLIC);
      }
    }
    // The Kazakh texts really are Kazakh: most use letters that Russian lacks.
    const kk = CAT.dimensions.flatMap((d) => d.indicators.map((i) => i.help.kk));
    expect(kk.filter((t) => KAZAKH_LETTERS.test(t)).length).toBeGreaterThan(kk.length * 0.9);
  });

  it('labels every profile and every act in three languages', () => {
    expect(CAT.profiles.map((p) => p.id)).toEqual([...SCREENING_PROFILES]);
    expect(CAT.acts.map((a) => a.id)).toEqual([...TRAFFICKING_ACTS]);
    for (const x of [...CAT.profiles, ...CAT.acts]) for (const l of LOCALES) expect(x.label[l]).not.toBe('');
  });

  it('keeps the source rules and strengths (spot checks against shared/domain/indicators.json)', () => {
    expect(CAT.dimensionRule.positiveIfAnyOf).toEqual([
      { strong: 2 },
      { strong: 1, mediumOrWeak: 1 },
      { medium: 3 },
      { medium: 2, weak: 1 },
    ]);
    expect(CAT.victimRule.child.allOf).toEqual([{ act: true }, { anyOf: ['exploitative_conditions'] }]);
    const byId = new Map(CAT.dimensions.flatMap((d) => d.indicators.map((i) => [i.id, i] as const)));
    expect(byId.get('DR10')?.strength).toEqual({ adult_labour: 'weak', child_labour: 'strong' });
    expect(byId.get('RV08')?.strength).toEqual({ adult_labour: 'medium', child_labour: null });
    expect(byId.get('EX06')?.strength).toEqual({ adult_labour: 'medium', child_labour: null });
    expect(byId.get('CD15')?.strength).toEqual({ adult_labour: 'weak', child_labour: 'medium' });
    expect(byId.get('RV13')?.verify).toBe('adult strength may be weak');
    expect(byId.get('EX01')?.text.en).toBe('Excessive working days or hours');
    expect(byId.size).toBe(67);
  });

  it('rejects a catalogue whose victim rule names an unknown dimension, or with a duplicate id', () => {
    const badRule = { ...raw, victimRule: { ...raw.victimRule, child: { allOf: [{ anyOf: ['nope'] }] } } };
    expect(ZCatalogue.safeParse(badRule).success).toBe(false);
    const [first, ...rest] = CAT.dimensions;
    const dup = { ...CAT, dimensions: [first, { ...first!, id: 'copy' }, ...rest] };
    expect(ZCatalogue.safeParse(dup).success).toBe(false);
    expect(ZCatalogue.safeParse({ ...CAT, acts: CAT.acts.slice(1) }).success).toBe(false);
    expect(ZCatalogue.safeParse({ ...CAT, dimensionRule: { positiveIfAnyOf: [{}] } }).success).toBe(false);
    expect(ZCatalogue.safeParse({ ...CAT, dimensionRule: { positiveIfAnyOf: [{ stong: 2 }] } }).success).toBe(false);
  });
});
