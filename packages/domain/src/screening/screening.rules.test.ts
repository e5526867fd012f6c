import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATALOGUE_2009_LABOUR_V1 as CAT } from './screening.catalogue.ts';
import {
  availableProfiles,
  evaluateScreening,
  profileAvailable,
  profileFor,
  ScreeningError,
} from './screening.rules.ts';
import {
  type TCatalogue,
  type TScreeningInput,
  type TScreeningProfile,
  type TTraffickingAct,
  TRAFFICKING_ACTS,
  ZCatalogue,
  ZScreeningInput,
  ZScreeningResult,
} from './screening.schemas.ts';

const run = (profile: TScreeningProfile, indicatorIds: string[], acts: TTraffickingAct[] = []) =>
  evaluateScreening(CAT, { profile, acts, indicatorIds, judgement: 'assess_further', reasons: '' });
const dim = (profile: TScreeningProfile, id: string, ids: string[]) => {
  const d = run(profile, ids).dimensions.find((x) => x.id === id);
  if (!d) throw new Error(`no dimension ${id}`);
  return d;
};

describe('dimension rule boundaries (adult_labour, real catalogue)', () => {
  // exploitative_conditions: EX01 strong; EX02–EX08 medium; EX09 weak.
  // vulnerability_at_destination: VD01–VD05 medium; VD06, VD07 weak.
  // coercion_at_destination: CD01–CD04 strong; CD15 weak.
  it('1 strong alone is negative', () => {
    const d = dim('adult_labour', 'exploitative_conditions', ['EX01']);
    expect(d.counts).toEqual({ strong: 1, medium: 0, weak: 0 });
    expect(d.positive).toBe(false);
  });
  it('1 strong + 1 weak is positive (strong:1, mediumOrWeak:1)', () => {
    const d = dim('adult_labour', 'exploitative_conditions', ['EX01', 'EX09']);
    expect(d.positive).toBe(true);
    expect(d.matchedClauses).toEqual([1]);
    expect(d.drivingIndicatorIds).toEqual(['EX01', 'EX09']);
  });
  it('1 strong + 1 medium is positive', () => {
    expect(dim('adult_labour', 'exploitative_conditions', ['EX01', 'EX02']).positive).toBe(true);
  });
  it('2 strong is positive', () => {
    const d = dim('adult_labour', 'coercion_at_destination', ['CD01', 'CD02']);
    expect(d.positive).toBe(true);
    expect(d.matchedClauses).toEqual([0]);
  });
  it('2 medium is negative', () => {
    expect(dim('adult_labour', 'exploitative_conditions', ['EX02', 'EX03']).positive).toBe(false);
  });
  it('2 medium + 1 weak is positive', () => {
    const d = dim('adult_labour', 'exploitative_conditions', ['EX02', 'EX03', 'EX09']);
    expect(d.positive).toBe(true);
    expect(d.matchedClauses).toEqual([3]);
  });
  it('3 medium is positive', () => {
    const d = dim('adult_labour', 'exploitative_conditions', ['EX02', 'EX03', 'EX04']);
    expect(d.positive).toBe(true);
    expect(d.matchedClauses).toEqual([2]);
  });
  it('1 medium + 2 weak is negative', () => {
    const d = dim('adult_labour', 'vulnerability_at_destination', ['VD01', 'VD06', 'VD07']);
    expect(d.counts).toEqual({ strong: 0, medium: 1, weak: 2 });
    expect(d.positive).toBe(false);
  });
  it('weak only is negative, however many', () => {
    expect(dim('adult_labour', 'vulnerability_at_destination', ['VD06', 'VD07']).positive).toBe(false);
  });
  it('the same indicator counts differently per profile (DR10 weak for adults, strong for children)', () => {
    expect(dim('adult_labour', 'deceptive_recruitment', ['DR10', 'DR01']).counts).toEqual({
      strong: 1,
      medium: 0,
      weak: 1,
    });
    expect(dim('child_labour', 'deceptive_recruitment', ['DR10', 'DR01']).counts).toEqual({
      strong: 2,
      medium: 0,
      weak: 0,
    });
  });
});

describe('victim rules', () => {
  const recruitment = ['DR01', 'DR02']; // deceptive_recruitment positive
  const exploitation = ['EX01', 'EX02']; // exploitative_conditions positive
  const coercion = ['CD01', 'CD02']; // coercion_at_destination positive
  const vulnerability = ['VD01', 'VD02', 'VD03']; // vulnerability_at_destination positive (3 medium)

  it('adult: recruitment + exploitation + coercion → indicators present → refer', () => {
    const r = run('adult_labour', [...recruitment, ...exploitation, ...coercion]);
    expect(r.outcome).toBe('indicators_present');
    expect(r.recommendation).toBe('refer_for_identification');
    expect(r.ruleTrace.victimRule).toMatchObject({ ageGroup: 'adult', satisfied: true });
    expect(r.ruleTrace.victimRule.conditions.map((c) => c.matched)).toEqual([
      ['deceptive_recruitment'],
      ['exploitative_conditions'],
      ['coercion_at_destination'],
    ]);
  });
  it('adult: abuse of vulnerability at destination stands in for coercion', () => {
    expect(run('adult_labour', [...recruitment, ...exploitation, ...vulnerability]).outcome).toBe('indicators_present');
  });
  it('adult: any recruitment dimension will do (coercive recruitment)', () => {
    expect(run('adult_labour', ['CR01', 'CR02', ...exploitation, ...coercion]).outcome).toBe('indicators_present');
  });
  it('adult: missing the recruitment dimension → some indicators → assess further', () => {
    const r = run('adult_labour', [...exploitation, ...coercion], ['recruitment', 'transportation']);
    expect(r.outcome).toBe('some_indicators');
    expect(r.recommendation).toBe('assess_further');
    expect(r.ruleTrace.victimRule.conditions[0]).toMatchObject({ satisfied: false, matched: [] });
  });
  it('adult: missing exploitative conditions → some indicators', () => {
    expect(run('adult_labour', [...recruitment, ...coercion]).outcome).toBe('some_indicators');
  });
  it('adult: missing coercion and vulnerability at destination → some indicators', () => {
    expect(run('adult_labour', [...recruitment, ...exploitation]).outcome).toBe('some_indicators');
  });
  it('child: an act + exploitative conditions → present, no means needed', () => {
    const r = run('child_labour', exploitation, ['harbouring']);
    expect(r.outcome).toBe('indicators_present');
    expect(r.recommendation).toBe('refer_for_identification');
    expect(r.ruleTrace.victimRule).toMatchObject({ ageGroup: 'child', satisfied: true });
    expect(r.ruleTrace.victimRule.conditions[0]?.matched).toEqual(['harbouring']);
  });
  it('child: exploitative conditions without an act → some indicators', () => {
    expect(run('child_labour', exploitation, []).outcome).toBe('some_indicators');
  });
  it('child: an act without exploitative conditions → some indicators when another dimension is positive', () => {
    expect(run('child_labour', coercion, ['recruitment']).outcome).toBe('some_indicators');
  });
  it('an act alone, nothing positive → no indicators → no action', () => {
    const r = run('child_labour', ['EX01'], ['recruitment']);
    expect(r.outcome).toBe('no_indicators');
    expect(r.recommendation).toBe('no_action');
    expect(r.ruleTrace.outcomeBecause).toBe('no_dimension_positive');
  });
  it('the same facts are only "some indicators" for an adult (means required)', () => {
    expect(run('adult_labour', exploitation, ['harbouring']).outcome).toBe('some_indicators');
  });
});

describe('ignored indicators', () => {
  it('indicators absent from the profile are not counted and are listed', () => {
    // EX06 has no strength for child_labour; EX02 + EX03 + EX06 would be 3 medium for an adult.
    const child = run('child_labour', ['EX02', 'EX03', 'EX06']);
    const d = child.dimensions.find((x) => x.id === 'exploitative_conditions');
    expect(d?.positive).toBe(false);
    expect(d?.drivingIndicatorIds).toEqual(['EX02', 'EX03']);
    expect(child.ignoredIndicators).toEqual([{ id: 'EX06', reason: 'not_in_profile' }]);
    expect(run('adult_labour', ['EX02', 'EX03', 'EX06']).ignoredIndicators).toEqual([]);
  });
  it('unknown ids are ignored and listed once', () => {
    const r = run('adult_labour', ['ZZ99', 'EX01', 'ZZ99', 'nonsense']);
    expect(r.countedIndicatorIds).toEqual(['EX01']);
    expect(r.ignoredIndicators).toEqual([
      { id: 'ZZ99', reason: 'unknown' },
      { id: 'nonsense', reason: 'unknown' },
    ]);
  });
});

describe('profiles', () => {
  it('sexual-exploitation profiles have no list yet', () => {
    expect(profileAvailable(CAT, 'adult_labour')).toBe(true);
    expect(profileAvailable(CAT, 'child_labour')).toBe(true);
    expect(profileAvailable(CAT, 'adult_sexual')).toBe(false);
    expect(profileAvailable(CAT, 'child_sexual')).toBe(false);
    expect(availableProfiles(CAT)).toEqual(['adult_labour', 'child_labour']);
  });
  it('evaluating an unavailable profile throws profile_unavailable', () => {
    expect(() => run('child_sexual', ['EX01'])).toThrowError(ScreeningError);
    expect(() => run('adult_sexual', [])).toThrowError(expect.objectContaining({ code: 'profile_unavailable' }));
  });
  it('a catalogue version mismatch is refused when the input names a version', () => {
    const input: TScreeningInput = {
      profile: 'adult_labour',
      catalogueVersion: 'older',
      acts: [],
      indicatorIds: [],
      judgement: 'no_action',
      reasons: '',
    };
    expect(() => evaluateScreening(CAT, input)).toThrowError(/catalogue/);
    expect(evaluateScreening(CAT, { ...input, catalogueVersion: CAT.version }).catalogueVersion).toBe(CAT.version);
  });
  it('profileFor forces the child variant for a (possible) minor', () => {
    expect(profileFor('labour', true)).toBe('child_labour');
    expect(profileFor('adult_labour', true)).toBe('child_labour');
    expect(profileFor('adult_sexual', true)).toBe('child_sexual');
    expect(profileFor('labour', false)).toBe('adult_labour');
    expect(profileFor('child_labour', false)).toBe('adult_labour');
  });
  it('a new catalogue version can add a sexual-exploitation list as data only', () => {
    const next: TCatalogue = ZCatalogue.parse({
      ...CAT,
      version: '2009-v2',
      dimensions: CAT.dimensions.map((d) => ({
        ...d,
        indicators: d.indicators.map((i) => ({ ...i, strength: { ...i.strength, adult_sexual: 'strong' } })),
      })),
    });
    expect(profileAvailable(next, 'adult_sexual')).toBe(true);
    const r = evaluateScreening(next, {
      profile: 'adult_sexual',
      acts: [],
      indicatorIds: ['DR01', 'DR02', 'EX01', 'EX02', 'CD01', 'CD02'],
      judgement: 'refer_for_identification',
      reasons: '',
    });
    expect(r.outcome).toBe('indicators_present');
    expect(r.judgementDiffers).toBe(false);
  });
  it('the rule is read from the data, not hard-coded', () => {
    const strict: TCatalogue = { ...CAT, dimensionRule: { positiveIfAnyOf: [{ strong: 3 }] } };
    const input: TScreeningInput = {
      profile: 'adult_labour',
      acts: [],
      indicatorIds: ['CD01', 'CD02'],
      judgement: 'no_action',
      reasons: '',
    };
    expect(evaluateScreening(CAT, input).outcome).toBe('some_indicators');
    expect(evaluateScreening(strict, input).outcome).toBe('no_indicators');
    const lenientChild: TCatalogue = { ...CAT, victimRule: { ...CAT.victimRule, child: { allOf: [{ act: true }] } } };
    expect(evaluateScreening(lenientChild, { ...input, profile: 'child_labour', acts: ['receipt'] }).outcome).toBe(
      'indicators_present',
    );
  });
});

describe('result shape', () => {
  it('matches ZScreeningResult and records judgement disagreement', () => {
    const r = evaluateScreening(CAT, {
      profile: 'adult_labour',
      acts: ['recruitment'],
      indicatorIds: ['EX01', 'EX02'],
      judgement: 'refer_for_identification',
      reasons: 'Saw locked dormitory',
    });
    expect(ZScreeningResult.parse(r)).toEqual(r);
    expect(r.catalogueVersion).toBe('2009-labour-v1');
    expect(r.recommendation).toBe('assess_further');
    expect(r.judgementDiffers).toBe(true);
    expect(r.dimensions.map((d) => d.id)).toEqual(CAT.dimensions.map((d) => d.id));
  });
  it('ZScreeningInput validates acts, reasons length and judgement', () => {
    const ok = {
      profile: 'child_labour',
      acts: ['receipt'],
      indicatorIds: ['EX01'],
      judgement: 'no_action',
      reasons: '',
    };
    expect(ZScreeningInput.safeParse(ok).success).toBe(true);
    expect(ZScreeningInput.safeParse({ ...ok, acts: ['smuggling'] }).success).toBe(false);
    expect(ZScreeningInput.safeParse({ ...ok, reasons: 'x'.repeat(4001) }).success).toBe(false);
    expect(ZScreeningInput.safeParse({ ...ok, judgement: 'maybe' }).success).toBe(false);
    expect(ZScreeningInput.safeParse({ ...ok, profile: 'adult_organ' }).success).toBe(false);
  });
});

describe('properties', () => {
  const allIds = [...CAT.dimensions.flatMap((d) => d.indicators.map((i) => i.id)), 'ZZ01', 'XX'];
  const profile = fc.constantFrom<TScreeningProfile>('adult_labour', 'child_labour');
  const ids = fc.array(fc.constantFrom(...allIds), { maxLength: 30 });
  const acts = fc.array(fc.constantFrom(...TRAFFICKING_ACTS), { maxLength: 8 });

  it('the result does not depend on the order or duplication of indicator ids and acts', () => {
    fc.assert(
      fc.property(profile, ids, acts, fc.nat(), (p, i, a, seed) => {
        const base = evaluateScreening(CAT, {
          profile: p,
          acts: a,
          indicatorIds: i,
          judgement: 'no_action',
          reasons: '',
        });
        const shuffle = <T>(xs: T[]) =>
          xs
            .map((x, k) => ({ x, k: (k * 7919 + seed) % 104729 }))
            .sort((m, n) => m.k - n.k)
            .map((m) => m.x);
        const dup = <T>(xs: T[]) => [...xs, ...xs.slice(0, seed % (xs.length + 1))];
        const other = evaluateScreening(CAT, {
          profile: p,
          acts: shuffle(dup(a)).reverse(),
          indicatorIds: shuffle(dup(i)).reverse(),
          judgement: 'no_action',
          reasons: '',
        });
        expect(other).toEqual(base);
      }),
      { numRuns: 300 },
    );
  });

  it('adding an indicator never lowers the outcome (monotone)', () => {
    const rank = { no_indicators: 0, some_indicators: 1, indicators_present: 2 } as const;
    fc.assert(
      fc.property(profile, ids, acts, fc.constantFrom(...allIds), (p, i, a, extra) => {
        const input = { profile: p, acts: a, judgement: 'no_action' as const, reasons: '' };
        const before = evaluateScreening(CAT, { ...input, indicatorIds: i });
        const after = evaluateScreening(CAT, { ...input, indicatorIds: [...i, extra] });
        expect(rank[after.outcome]).toBeGreaterThanOrEqual(rank[before.outcome]);
      }),
      { numRuns: 300 },
    );
  });

  it('with permutations from fast-check itself', () => {
    fc.assert(
      fc.property(
        profile,
        ids.chain((i) =>
          fc.tuple(fc.constant(i), fc.shuffledSubarray(i, { minLength: i.length, maxLength: i.length })),
        ),
        (p, [i, permuted]) => {
          const a = evaluateScreening(CAT, {
            profile: p,
            acts: [],
            indicatorIds: i,
            judgement: 'no_action',
            reasons: '',
          });
          const b = evaluateScreening(CAT, {
            profile: p,
            acts: [],
            indicatorIds: permuted,
            judgement: 'no_action',
            reasons: '',
          });
          expect(b).toEqual(a);
        },
      ),
    );
  });
});
