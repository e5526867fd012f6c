import { z } from 'zod';
import type { TAgencyType } from '../agency/agency.ts';
import { ZIsoDate } from '../case/person.schemas.ts';

/**
 * Status decisions of the competent authority (NRM.md sections 2–3; CoE Convention arts. 10, 13).
 * A decision never requires a criminal case, testimony or cooperation with the police: nothing in
 * these schemas refers to them, on purpose (CoE art. 12(6)).
 */
export const DECISION_KINDS = ['preliminary', 'final'] as const;
export type TDecisionKind = (typeof DECISION_KINDS)[number];

export const PRELIMINARY_OUTCOMES = ['presumed_victim', 'not_presumed_victim'] as const;
export const FINAL_OUTCOMES = ['victim', 'not_victim'] as const;
export type TDecisionOutcome = (typeof PRELIMINARY_OUTCOMES)[number] | (typeof FINAL_OUTCOMES)[number];

export const ZDecisionInput = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('preliminary'),
    outcome: z.enum(PRELIMINARY_OUTCOMES),
    reasons: z.string().trim().min(10).max(20000),
    legalBasis: z.string().trim().min(3).max(500),
    decidedOn: ZIsoDate,
  }),
  z.object({
    kind: z.literal('final'),
    outcome: z.enum(FINAL_OUTCOMES),
    reasons: z.string().trim().min(10).max(20000),
    legalBasis: z.string().trim().min(3).max(500),
    decidedOn: ZIsoDate,
    /** The person asked for the final decision before the reflection period ends. */
    requestedByPerson: z.boolean().default(false),
  }),
]);
export type TDecisionInput = z.infer<typeof ZDecisionInput>;

export function isPositive(outcome: TDecisionOutcome): boolean {
  return outcome === 'presumed_victim' || outcome === 'victim';
}

/** HTCDS vic_TraffickingStatus. */
export type THtcdsTraffickingStatus =
  | 'PossibleVictimOfTrafficking'
  | 'ActualVictimOfTrafficking'
  | 'NotAVictimOfTrafficking';

/**
 * HTCDS trafficking status from the decisions taken so far (latest last): no decision or a positive
 * preliminary one → Possible (a presumed victim exports as Possible); a positive final → Actual;
 * the latest decision negative → NotA.
 */
export function htcdsStatus(
  decisions: readonly { kind: TDecisionKind; outcome: TDecisionOutcome }[],
): THtcdsTraffickingStatus {
  const latest = decisions[decisions.length - 1];
  if (!latest) return 'PossibleVictimOfTrafficking';
  if (!isPositive(latest.outcome)) return 'NotAVictimOfTrafficking';
  return latest.kind === 'final' ? 'ActualVictimOfTrafficking' : 'PossibleVictimOfTrafficking';
}

/** HTCDS vic_TraffickingStatusDecisionMakingOrg of each agency type (data: a correction is an edit here). */
export const HTCDS_DECISION_ORG: Record<
  TAgencyType,
  'Police' | 'NGO' | 'CourtOrProsecution' | 'NonPoliceGovernmentalOrganization' | 'Other'
> = {
  police: 'Police',
  migration_police: 'Police',
  border_service: 'Police',
  ngo: 'NGO',
  hotline: 'NGO',
  prosecutor: 'CourtOrProsecution',
  social_protection: 'NonPoliceGovernmentalOrganization',
  labour_inspection: 'NonPoliceGovernmentalOrganization',
  health: 'NonPoliceGovernmentalOrganization',
  education: 'NonPoliceGovernmentalOrganization',
  national_coordinator: 'NonPoliceGovernmentalOrganization',
  oversight: 'Other',
  international_org: 'Other',
  embassy: 'Other',
};

/** HTCDS vic_TraffickingStatusDecisionMakingOrg from the deciding agency's type. */
export function htcdsDecisionOrg(type: TAgencyType) {
  return HTCDS_DECISION_ORG[type];
}

/** The legal floor of the recovery and reflection period (CoE Convention art. 13(1)). */
export const MIN_REFLECTION_DAYS = 30;

/** Reasons that alone allow ending the period early (art. 13(3)). */
export const EARLY_END_REASONS = ['public_order', 'improper_claim'] as const;
export const ZEarlyEnd = z.object({
  reason: z.enum(EARLY_END_REASONS),
  justification: z.string().trim().min(20).max(10000),
  endedOn: ZIsoDate,
});
export type TEarlyEnd = z.infer<typeof ZEarlyEnd>;

/** A configured period length: any number of days, but never fewer than the legal 30. */
export const ZReflectionDays = z.number().int().min(MIN_REFLECTION_DAYS).max(365);

/** Adds calendar days to an ISO date (periods run in calendar days, in the deployment's zone). */
export function addCalendarDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Days from one ISO date to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * Whether a positive preliminary decision opens a reflection period for this person: always for a
 * person who is not a citizen of the deployment country, for citizens only when configured.
 */
export function reflectionApplies(citizenships: readonly string[], country: string, forCitizens: boolean): boolean {
  return forCitizens || !citizenships.includes(country);
}

/** The end date of a period opened on `start` for `days` (validated against the legal floor). */
export function reflectionEnd(start: string, days: number): string {
  return addCalendarDays(start, ZReflectionDays.parse(days));
}

export type TReflectionProblem =
  | 'below_minimum'
  | 'not_after_current_end'
  | 'early_end_reason_required'
  | 'final_before_reflection_end';

/** An extension must move the end later. */
export function checkExtension(currentEnd: string, newEnd: string): TReflectionProblem | null {
  return newEnd > currentEnd ? null : 'not_after_current_end';
}

/**
 * An end before the planned end is an early end: allowed only with one of the art. 13(3) reasons
 * (the schema of `ZEarlyEnd` also demands a written justification).
 */
export function checkEnd(
  period: { start: string; plannedEnd: string },
  endedOn: string,
  reason: string | null,
): TReflectionProblem | null {
  if (endedOn >= period.plannedEnd) return null;
  if (!reason || !(EARLY_END_REASONS as readonly string[]).includes(reason)) return 'early_end_reason_required';
  return null;
}

/** A final decision comes after the reflection period ends, unless the person asks for it sooner. */
export function checkFinalTiming(
  decidedOn: string,
  reflectionPlannedEnd: string | null,
  requestedByPerson: boolean,
): TReflectionProblem | null {
  if (!reflectionPlannedEnd || requestedByPerson) return null;
  return decidedOn >= reflectionPlannedEnd ? null : 'final_before_reflection_end';
}

/** Days allowed to ask for a review of a negative decision (NRM.md section 3). */
export const REVIEW_WINDOW_DAYS = 30;

/** A review is possible within the window, of a negative decision, by a different decision maker. */
export function reviewProblem(
  decision: { outcome: TDecisionOutcome; decidedOn: string; decidedBy: string },
  requestedOn: string,
  reviewerId: string,
): 'not_negative' | 'window_closed' | 'same_decision_maker' | null {
  if (isPositive(decision.outcome)) return 'not_negative';
  if (daysBetween(decision.decidedOn, requestedOn) > REVIEW_WINDOW_DAYS) return 'window_closed';
  if (decision.decidedBy === reviewerId) return 'same_decision_maker';
  return null;
}
