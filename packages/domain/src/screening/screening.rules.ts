import {
  PROFILE_META,
  type TCatalogue,
  type TDimensionClause,
  type TDimensionResult,
  type TIgnoredIndicator,
  type TIndicator,
  type TIndicatorStrength,
  type TScreeningForm,
  type TScreeningInput,
  type TScreeningOutcome,
  type TScreeningProfile,
  type TScreeningRecommendation,
  type TScreeningResult,
  type TStrengthCounts,
  type TTraffickingAct,
  type TVictimConditionTrace,
  TRAFFICKING_ACTS,
} from './screening.schemas.ts';

/** Why a screening cannot be evaluated. */
export type TScreeningErrorCode = 'profile_unavailable' | 'catalogue_version_mismatch';

/** Thrown by `evaluateScreening` when the input cannot be evaluated against the catalogue. */
export class ScreeningError extends Error {
  constructor(
    readonly code: TScreeningErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ScreeningError';
  }
}

/**
 * The profile to screen with. A person who is, or may be, a minor (CETS 197 art. 10(3): age uncertain
 * and reason to believe a child) is screened with the child list and the child rule; everyone else
 * with the adult list. `base` is a form (`labour`) or any profile of that form (`adult_labour`).
 */
export function profileFor(base: TScreeningProfile | TScreeningForm, isChildForRules: boolean): TScreeningProfile {
  const form: TScreeningForm = base === 'labour' || base === 'sexual' ? base : PROFILE_META[base].form;
  return isChildForRules ? `child_${form}` : `adult_${form}`;
}

/** Strength of an indicator for a profile, or null when it is not on that profile's list. */
export function indicatorStrength(indicator: TIndicator, profile: TScreeningProfile): TIndicatorStrength | null {
  return indicator.strength[profile] ?? null;
}

/**
 * True when the catalogue has an indicator list for the profile (at least one indicator has a
 * strength for it). False means "no list yet": the UI must not offer an automatic screening.
 */
export function profileAvailable(catalogue: TCatalogue, profile: TScreeningProfile): boolean {
  return catalogue.dimensions.some((d) => d.indicators.some((i) => indicatorStrength(i, profile) !== null));
}

/** The profiles that have an indicator list in this catalogue, in the catalogue's order. */
export function availableProfiles(catalogue: TCatalogue): TScreeningProfile[] {
  return catalogue.profiles.map((p) => p.id).filter((id) => profileAvailable(catalogue, id));
}

/** The screening form for a profile: each dimension with only the indicators on that profile's list. */
export function indicatorsForProfile(
  catalogue: TCatalogue,
  profile: TScreeningProfile,
): { dimensionId: string; indicators: (TIndicator & { profileStrength: TIndicatorStrength })[] }[] {
  return catalogue.dimensions.map((d) => ({
    dimensionId: d.id,
    indicators: d.indicators.flatMap((i) => {
      const s = indicatorStrength(i, profile);
      return s ? [{ ...i, profileStrength: s }] : [];
    }),
  }));
}

/** True when every bound of the clause is met by the counts ("at least N" for each key). */
export function clauseMatches(clause: TDimensionClause, counts: TStrengthCounts): boolean {
  return (
    counts.strong >= (clause.strong ?? 0) &&
    counts.medium >= (clause.medium ?? 0) &&
    counts.weak >= (clause.weak ?? 0) &&
    counts.medium + counts.weak >= (clause.mediumOrWeak ?? 0)
  );
}

const OUTCOME_RECOMMENDATION: Record<TScreeningOutcome, TScreeningRecommendation> = {
  indicators_present: 'refer_for_identification',
  some_indicators: 'assess_further',
  no_indicators: 'no_action',
};

/**
 * Evaluates a screening against a catalogue (pure; NRM.md section 5). Rules are read from the data:
 * a dimension is positive when any clause of `dimensionRule.positiveIfAnyOf` matches its counts; the
 * victim rule of the profile's age group (`victimRule.adult|child.allOf`) decides "indicators present".
 * Outcome: victim rule satisfied → indicators_present → refer_for_identification; else any dimension
 * positive → some_indicators → assess_further; else no_indicators → no_action.
 * Indicator ids not in the catalogue, or without a strength for the profile, are not counted and are
 * listed in `ignoredIndicators`. Order and duplicates of ids and acts do not change the result.
 * @throws ScreeningError `profile_unavailable` when the catalogue has no list for the profile;
 *   `catalogue_version_mismatch` when `input.catalogueVersion` is given and differs.
 */
export function evaluateScreening(catalogue: TCatalogue, input: TScreeningInput): TScreeningResult {
  const { profile } = input;
  if (input.catalogueVersion !== undefined && input.catalogueVersion !== catalogue.version) {
    throw new ScreeningError(
      'catalogue_version_mismatch',
      `Screening built on catalogue ${input.catalogueVersion}, current is ${catalogue.version}`,
    );
  }
  if (!profileAvailable(catalogue, profile)) {
    throw new ScreeningError('profile_unavailable', `Catalogue ${catalogue.version} has no list for ${profile}`);
  }

  const selected = new Set(input.indicatorIds);
  const known = new Set<string>();
  const counted: string[] = [];
  const ignored: TIgnoredIndicator[] = [];
  const positive = new Set<string>();
  const ruleClauses = catalogue.dimensionRule.positiveIfAnyOf;
  const dimensionClauses: TScreeningResult['ruleTrace']['dimensionClauses'] = [];

  const dimensions: TDimensionResult[] = catalogue.dimensions.map((d) => {
    const counts: TStrengthCounts = { strong: 0, medium: 0, weak: 0 };
    const driving: string[] = [];
    for (const ind of d.indicators) {
      known.add(ind.id);
      if (!selected.has(ind.id)) continue;
      const strength = indicatorStrength(ind, profile);
      if (strength === null) {
        ignored.push({ id: ind.id, reason: 'not_in_profile' });
        continue;
      }
      counts[strength] += 1;
      driving.push(ind.id);
      counted.push(ind.id);
    }
    const matchedClauses = ruleClauses.flatMap((c, i) => (clauseMatches(c, counts) ? [i] : []));
    for (const i of matchedClauses)
      dimensionClauses.push({ dimensionId: d.id, clauseIndex: i, clause: ruleClauses[i]! });
    const isPositive = matchedClauses.length > 0;
    if (isPositive) positive.add(d.id);
    return { id: d.id, positive: isPositive, counts, drivingIndicatorIds: driving, matchedClauses };
  });
  for (const id of selected) if (!known.has(id)) ignored.push({ id, reason: 'unknown' });
  ignored.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const actSet = new Set<string>(input.acts);
  const acts: TTraffickingAct[] = TRAFFICKING_ACTS.filter((a) => actSet.has(a));

  const ageGroup = PROFILE_META[profile].ageGroup;
  const conditions: TVictimConditionTrace[] = catalogue.victimRule[ageGroup].allOf.map((condition, index) => {
    const matched = 'act' in condition ? [...acts] : condition.anyOf.filter((id) => positive.has(id));
    return { index, condition, satisfied: matched.length > 0, matched };
  });
  const victimRuleSatisfied = conditions.every((c) => c.satisfied);

  const outcome: TScreeningOutcome = victimRuleSatisfied
    ? 'indicators_present'
    : positive.size > 0
      ? 'some_indicators'
      : 'no_indicators';
  const recommendation = OUTCOME_RECOMMENDATION[outcome];

  return {
    catalogueVersion: catalogue.version,
    profile,
    acts,
    countedIndicatorIds: counted,
    ignoredIndicators: ignored,
    dimensions,
    outcome,
    recommendation,
    judgement: input.judgement,
    judgementDiffers: input.judgement !== recommendation,
    ruleTrace: {
      dimensionClauses,
      victimRule: { ageGroup, satisfied: victimRuleSatisfied, conditions },
      outcomeBecause: victimRuleSatisfied
        ? 'victim_rule_satisfied'
        : positive.size > 0
          ? 'some_dimension_positive'
          : 'no_dimension_positive',
    },
  };
}
