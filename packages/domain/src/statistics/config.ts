import { z } from 'zod';
import type { EXPLOITATION_FORMS } from '../case/case.enums.ts';

/**
 * Disclosure-control thresholds (NRM.md section 7, issue 7). A published cell never describes
 * fewer than k people. Inside the dashboard k defaults to 5; anything exported or published uses
 * CTDC's k = 11. No configuration may go below 3: with k = 2 a single person can always learn
 * the other person's attributes in a cell of two.
 */
export const MIN_K = 3;
export const ZDisclosureConfig = z
  .object({
    kDashboard: z.number().int().min(MIN_K).default(5),
    kPublication: z.number().int().min(MIN_K).default(11),
    /** Largest share of records the k-anonymous export may suppress after generalisation. */
    maxSuppression: z.number().min(0).max(1).default(0.05),
  })
  .refine((c) => c.kPublication >= c.kDashboard, {
    message: 'kPublication must be at least kDashboard',
    path: ['kPublication'],
  });
export type TDisclosureConfig = z.infer<typeof ZDisclosureConfig>;
export const DEFAULT_DISCLOSURE_CONFIG: TDisclosureConfig = ZDisclosureConfig.parse({});

/** UNODC GLOTIP forms of exploitation (the national report and international reporting). */
export const GLOTIP_FORMS = [
  'sexual',
  'forced_labour',
  'forced_criminality',
  'begging',
  'forced_marriage',
  'organ_removal',
  'mixed',
  'other',
] as const;
export type TGlotipForm = (typeof GLOTIP_FORMS)[number];
export type TExploitationForm = (typeof EXPLOITATION_FORMS)[number];

/**
 * HTCDS vic_TypeOfExploitation → GLOTIP category (data, not code). Child labour and servitude are
 * counted as forced labour, as GLOTIP does; child soldiers, illegal adoption and surrogacy fall in
 * GLOTIP's "other purposes". 'mixed' is never a target here: it is what a person with more than
 * one category gets (see glotipForm).
 */
export const GLOTIP_BY_HTCDS: Readonly<Record<TExploitationForm, Exclude<TGlotipForm, 'mixed'>>> = {
  ForcedLabour: 'forced_labour',
  SexualExploitation: 'sexual',
  ChildLabour: 'forced_labour',
  ForcedMarriage: 'forced_marriage',
  Servitude: 'forced_labour',
  ForcedMilitaryByNonStateActors: 'other',
  OrganRemoval: 'organ_removal',
  ForcedBegging: 'begging',
  ForcedAdoption: 'other',
  Surrogacy: 'other',
  ForcedCriminality: 'forced_criminality',
  Other: 'other',
};

/**
 * The GLOTIP category of a person from all HTCDS forms recorded for them: the single category,
 * 'mixed' when the forms fall in more than one category, 'other' when none is recorded.
 */
export function glotipForm(forms: readonly TExploitationForm[]): TGlotipForm {
  const categories = new Set(forms.map((f) => GLOTIP_BY_HTCDS[f]));
  if (categories.size === 0) return 'other';
  if (categories.size > 1) return 'mixed';
  return [...categories][0]!;
}

/** Child/adult from a CTDC age band (the coarser age generalisation). */
export const CHILD_ADULT_BY_AGE_BAND: Readonly<Record<string, 'child' | 'adult' | 'unknown'>> = {
  '0-8': 'child',
  '9-17': 'child',
  '18-20': 'adult',
  '21-23': 'adult',
  '24-26': 'adult',
  '27-29': 'adult',
  '30-38': 'adult',
  '39-47': 'adult',
  '48+': 'adult',
  unknown: 'unknown',
};

/**
 * The breakdowns of the national report (NRM.md section 7). A statistical record is a plain object
 * with (some of) these keys holding already de-identified values; the dashboard only ever groups by
 * these dimensions (see query.ts).
 */
export const BREAKDOWN_DIMENSIONS = [
  'year',
  'quarter',
  'sex',
  'childAdult',
  'ageBand',
  'citizenship',
  'exploitation',
  'agencyType',
  'region',
  'crossBorder',
  'serviceType',
] as const;
export type TBreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];
export const ZBreakdownDimension = z.enum(BREAKDOWN_DIMENSIONS);

/**
 * The dimensions of the delivered-services records (one per person and type of service delivered;
 * see dashboard.ts). They carry no person breakdown, so `serviceType` is only crossed with these.
 */
export const SERVICE_DIMENSIONS: readonly TBreakdownDimension[] = ['year', 'quarter', 'region', 'serviceType'];
