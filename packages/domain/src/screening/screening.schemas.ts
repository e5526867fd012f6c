import { z } from 'zod';

/**
 * Screening profiles: the four ILO/EC 2009 indicator lists (adult/child × labour/sexual exploitation,
 * NRM.md section 5). A profile id always exists; whether a catalogue holds a list for it is data
 * (see `profileAvailable`).
 */
export const SCREENING_PROFILES = ['adult_labour', 'child_labour', 'adult_sexual', 'child_sexual'] as const;
export const ZScreeningProfile = z.enum(SCREENING_PROFILES);
export type TScreeningProfile = z.infer<typeof ZScreeningProfile>;

/** Forms of exploitation that have an indicator list; a profile is a form plus an age group. */
export const SCREENING_FORMS = ['labour', 'sexual'] as const;
export const ZScreeningForm = z.enum(SCREENING_FORMS);
export type TScreeningForm = z.infer<typeof ZScreeningForm>;

/** Age group of a profile; it selects the victim rule (`victimRule.adult` or `victimRule.child`). */
export type TScreeningAgeGroup = 'adult' | 'child';

/** Age group and form of each profile. */
export const PROFILE_META: Readonly<Record<TScreeningProfile, { ageGroup: TScreeningAgeGroup; form: TScreeningForm }>> =
  {
    adult_labour: { ageGroup: 'adult', form: 'labour' },
    child_labour: { ageGroup: 'child', form: 'labour' },
    adult_sexual: { ageGroup: 'adult', form: 'sexual' },
    child_sexual: { ageGroup: 'child', form: 'sexual' },
  };

/** The five ACTS of the trafficking definition (Palermo Protocol art. 3, CETS 197 art. 4; NRM.md section 2). */
export const TRAFFICKING_ACTS = ['recruitment', 'transportation', 'transfer', 'harbouring', 'receipt'] as const;
export const ZTraffickingAct = z.enum(TRAFFICKING_ACTS);
export type TTraffickingAct = z.infer<typeof ZTraffickingAct>;

/** Strength of an indicator within a profile (ILO/EC 2009 Delphi survey). */
export const INDICATOR_STRENGTHS = ['strong', 'medium', 'weak'] as const;
export const ZIndicatorStrength = z.enum(INDICATOR_STRENGTHS);
export type TIndicatorStrength = z.infer<typeof ZIndicatorStrength>;

/** Outcome of a screening (NRM.md section 5). */
export const SCREENING_OUTCOMES = ['indicators_present', 'some_indicators', 'no_indicators'] as const;
export const ZScreeningOutcome = z.enum(SCREENING_OUTCOMES);
export type TScreeningOutcome = z.infer<typeof ZScreeningOutcome>;

/**
 * What the screening suggests doing next. The screener's own judgement uses the same values, so the
 * two can be compared (decision support, never a decision).
 */
export const SCREENING_RECOMMENDATIONS = ['refer_for_identification', 'assess_further', 'no_action'] as const;
export const ZScreeningRecommendation = z.enum(SCREENING_RECOMMENDATIONS);
export type TScreeningRecommendation = z.infer<typeof ZScreeningRecommendation>;

/** The screener's own judgement, recorded beside the computed recommendation. */
export const ZScreeningJudgement = ZScreeningRecommendation;
export type TScreeningJudgement = TScreeningRecommendation;

const text = (max: number) => z.string().trim().min(1).max(max);

/** A text in every interface language (kk, ru, en); none may be empty. */
export const ZLocalisedText = z.strictObject({ kk: text(2000), ru: text(2000), en: text(2000) });
export type TLocalisedText = z.infer<typeof ZLocalisedText>;

/** Indicator id, e.g. `DR01`. Stable across catalogue versions: a stored screening refers to it. */
export const ZIndicatorId = z.string().regex(/^[A-Za-z0-9_]{1,32}$/);
/** Dimension id, e.g. `exploitative_conditions`. */
export const ZDimensionId = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/);

/** One indicator. `strength[profile]` absent or null means the indicator is not on that profile's list. */
export const ZIndicator = z.strictObject({
  id: ZIndicatorId,
  text: ZLocalisedText,
  help: ZLocalisedText,
  strength: z.partialRecord(ZScreeningProfile, ZIndicatorStrength.nullable()),
  /** Free-text note that the strength still needs checking against the primary source. */
  verify: z.string().max(500).optional(),
});
export type TIndicator = z.infer<typeof ZIndicator>;

/** One of the six dimensions (deceptive recruitment, …, abuse of vulnerability at destination). */
export const ZDimension = z.strictObject({
  id: ZDimensionId,
  label: ZLocalisedText,
  indicators: z.array(ZIndicator).min(1),
});
export type TDimension = z.infer<typeof ZDimension>;

const atLeast = z.number().int().min(1).max(100).optional();

/**
 * One clause of the dimension rule: every key present is an independent lower bound ("at least N")
 * on the number of selected indicators of that strength in the dimension; `mediumOrWeak` bounds
 * medium + weak together. `{ strong: 1, mediumOrWeak: 1 }` reads "1 strong and ≥1 medium or weak".
 */
export const ZDimensionClause = z
  .strictObject({ strong: atLeast, medium: atLeast, weak: atLeast, mediumOrWeak: atLeast })
  .refine((c) => Object.values(c).some((v) => v !== undefined), { message: 'A clause needs at least one bound' });
export type TDimensionClause = z.infer<typeof ZDimensionClause>;

/** A dimension is positive when any clause matches. */
export const ZDimensionRule = z.strictObject({ positiveIfAnyOf: z.array(ZDimensionClause).min(1).max(20) });
export type TDimensionRule = z.infer<typeof ZDimensionRule>;

/** A condition of the victim rule: any of the listed dimensions positive, or at least one ACT recorded. */
export const ZVictimCondition = z.union([
  z.strictObject({ anyOf: z.array(ZDimensionId).min(1) }),
  z.strictObject({ act: z.literal(true) }),
]);
export type TVictimCondition = z.infer<typeof ZVictimCondition>;

/** All conditions must hold. */
export const ZVictimRuleBranch = z.strictObject({ allOf: z.array(ZVictimCondition).min(1).max(20) });
export type TVictimRuleBranch = z.infer<typeof ZVictimRuleBranch>;

/** Victim rule per age group: for a child no MEANS is required (Palermo art. 3(c)). */
export const ZVictimRule = z.strictObject({ adult: ZVictimRuleBranch, child: ZVictimRuleBranch });
export type TVictimRule = z.infer<typeof ZVictimRule>;

/**
 * A versioned screening catalogue (ARCHITECTURE.md principle 2: rules are data). An administrator
 * publishes a new version to correct a text or a strength, or to add the sexual-exploitation lists
 * (strengths keyed `adult_sexual` / `child_sexual`); no code changes. Every profile and every act is
 * listed with its labels; ids are unique; the victim rule may only name dimensions that exist.
 */
export const ZCatalogue = z
  .strictObject({
    catalogue: text(500),
    version: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
    provenance: text(4000),
    profiles: z.array(z.strictObject({ id: ZScreeningProfile, label: ZLocalisedText })),
    acts: z.array(z.strictObject({ id: ZTraffickingAct, label: ZLocalisedText })),
    dimensionRule: ZDimensionRule,
    victimRule: ZVictimRule,
    dimensions: z.array(ZDimension).min(1).max(50),
  })
  .superRefine((cat, ctx) => {
    const everyOnce = (key: 'profiles' | 'acts', expected: readonly string[]) => {
      const ids: string[] = cat[key].map((p) => p.id);
      if (ids.length !== expected.length || expected.some((id) => !ids.includes(id))) {
        ctx.addIssue({ code: 'custom', path: [key], message: `Must list each of ${expected.join(', ')} exactly once` });
      }
    };
    everyOnce('profiles', SCREENING_PROFILES);
    everyOnce('acts', TRAFFICKING_ACTS);
    const dimIds = new Set<string>();
    const indIds = new Set<string>();
    cat.dimensions.forEach((d, di) => {
      if (dimIds.has(d.id)) ctx.addIssue({ code: 'custom', path: ['dimensions', di, 'id'], message: 'Duplicate id' });
      dimIds.add(d.id);
      d.indicators.forEach((ind, ii) => {
        if (indIds.has(ind.id)) {
          ctx.addIssue({ code: 'custom', path: ['dimensions', di, 'indicators', ii, 'id'], message: 'Duplicate id' });
        }
        indIds.add(ind.id);
      });
    });
    for (const group of ['adult', 'child'] as const) {
      cat.victimRule[group].allOf.forEach((cond, ci) => {
        if (!('anyOf' in cond)) return;
        for (const id of cond.anyOf) {
          if (!dimIds.has(id)) {
            ctx.addIssue({
              code: 'custom',
              path: ['victimRule', group, 'allOf', ci, 'anyOf'],
              message: `Unknown dimension ${id}`,
            });
          }
        }
      });
    }
  });
export type TCatalogue = z.infer<typeof ZCatalogue>;

/**
 * What a screener submits. Unknown indicator ids are tolerated (and reported as ignored) so that a
 * form built on an older catalogue still evaluates; send `catalogueVersion` to refuse that instead.
 */
export const ZScreeningInput = z.object({
  profile: ZScreeningProfile,
  /** Version the form was built from; when present it must equal the catalogue's. */
  catalogueVersion: z.string().max(64).optional(),
  acts: z.array(ZTraffickingAct).max(20),
  indicatorIds: z.array(z.string().max(32)).max(500),
  judgement: ZScreeningJudgement,
  reasons: z.string().trim().max(4000),
});
export type TScreeningInput = z.infer<typeof ZScreeningInput>;

/** Alias of `ZScreeningInput`: the request body of "screen a case" (the server forces the profile's age group). */
export const ZScreeningRequest = ZScreeningInput;
export type TScreeningRequest = TScreeningInput;

/** Counts of selected (and counted) indicators by strength. */
export const ZStrengthCounts = z.object({
  strong: z.number().int().min(0),
  medium: z.number().int().min(0),
  weak: z.number().int().min(0),
});
export type TStrengthCounts = z.infer<typeof ZStrengthCounts>;

/** Result for one dimension. `drivingIndicatorIds` are the counted indicators, in catalogue order. */
export const ZDimensionResult = z.object({
  id: z.string(),
  positive: z.boolean(),
  counts: ZStrengthCounts,
  drivingIndicatorIds: z.array(z.string()),
  /** Indexes into `dimensionRule.positiveIfAnyOf` of the clauses that matched. */
  matchedClauses: z.array(z.number().int().min(0)),
});
export type TDimensionResult = z.infer<typeof ZDimensionResult>;

/** Why a submitted indicator id was not counted. */
export const ZIgnoredIndicator = z.object({
  id: z.string(),
  reason: z.enum(['unknown', 'not_in_profile']),
});
export type TIgnoredIndicator = z.infer<typeof ZIgnoredIndicator>;

/** Trace of one victim-rule condition, for the explanation shown to the screener. */
export const ZVictimConditionTrace = z.object({
  index: z.number().int().min(0),
  condition: ZVictimCondition,
  satisfied: z.boolean(),
  /** The positive dimension ids (anyOf) or the recorded acts (act) that satisfied it. */
  matched: z.array(z.string()),
});
export type TVictimConditionTrace = z.infer<typeof ZVictimConditionTrace>;

/** Which rule clauses matched, so the UI can explain the outcome. */
export const ZRuleTrace = z.object({
  dimensionClauses: z.array(
    z.object({ dimensionId: z.string(), clauseIndex: z.number().int().min(0), clause: ZDimensionClause }),
  ),
  victimRule: z.object({
    ageGroup: z.enum(['adult', 'child']),
    satisfied: z.boolean(),
    conditions: z.array(ZVictimConditionTrace),
  }),
  outcomeBecause: z.enum(['victim_rule_satisfied', 'some_dimension_positive', 'no_dimension_positive']),
});
export type TRuleTrace = z.infer<typeof ZRuleTrace>;

/** The evaluated screening; store it with the input (it names the catalogue version). */
export const ZScreeningResult = z.object({
  catalogueVersion: z.string(),
  profile: ZScreeningProfile,
  acts: z.array(ZTraffickingAct),
  countedIndicatorIds: z.array(z.string()),
  ignoredIndicators: z.array(ZIgnoredIndicator),
  dimensions: z.array(ZDimensionResult),
  outcome: ZScreeningOutcome,
  recommendation: ZScreeningRecommendation,
  judgement: ZScreeningJudgement,
  /** True when the screener's judgement differs from the recommendation (the UI may ask for reasons). */
  judgementDiffers: z.boolean(),
  ruleTrace: ZRuleTrace,
});
export type TScreeningResult = z.infer<typeof ZScreeningResult>;
