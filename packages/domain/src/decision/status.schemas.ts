import { z } from 'zod';
import type { TAgencyType } from '../agency/agency.ts';
import { ZIsoDate } from '../case/person.schemas.ts';
import type { WorkingCalendar } from '../deadline/calendar.ts';
import { addDuration } from '../deadline/deadline.ts';
import {
  DECISION_KINDS,
  EARLY_END_REASONS,
  FINAL_OUTCOMES,
  HTCDS_DECISION_ORG,
  isPositive,
  PRELIMINARY_OUTCOMES,
  REVIEW_WINDOW_DAYS,
  type TDecisionKind,
  type TDecisionOutcome,
  ZEarlyEnd,
  ZReflectionDays,
} from './decision.rules.ts';

/**
 * Victim status track (issue 5): configurable targets, the API shapes of decisions, the recovery
 * and reflection period, the residence permit track (CoE art. 14), linked criminal proceedings
 * (never required — art. 12(6)), the migration service's protection lookup and the coordinator's
 * compliance report. Pure: no I/O.
 */

/** Targets and period lengths: data in `settings` ('status_rules'), edited by a system administrator. */
export const ZStatusRules = z.object({
  /** Preliminary ("reasonable grounds") decision within N working days of the identification referral. */
  preliminaryWorkingDays: z.number().int().min(1).max(60),
  /** Length of the recovery and reflection period; never below the legal 30 days (art. 13(1)). */
  reflectionDays: ZReflectionDays,
  /** Open the period for citizens of the deployment country too (always for everyone else). */
  reflectionForCitizens: z.boolean(),
  /** Reminders go out this many days before the period ends. */
  reflectionReminderDays: z.array(z.number().int().min(1).max(60)).max(5),
  /** A requested review of a negative decision should be decided within N calendar days. */
  reviewDueDays: z.number().int().min(1).max(90),
  /** Criminal Code articles a linked criminal proceeding may name (Kazakhstan: 128, 135, …). */
  criminalCodeArticles: z
    .array(
      z
        .string()
        .trim()
        .regex(/^\d{1,4}(-\d{1,2})?$/),
    )
    .min(1)
    .max(100),
});
export type TStatusRules = z.infer<typeof ZStatusRules>;

export const DEFAULT_STATUS_RULES: TStatusRules = {
  preliminaryWorkingDays: 5,
  reflectionDays: 30,
  reflectionForCitizens: false,
  reflectionReminderDays: [7, 1],
  reviewDueDays: REVIEW_WINDOW_DAYS,
  criminalCodeArticles: ['128', '135', '125', '126', '134', '308', '309'],
};

/** When the preliminary decision is due: the close of the N-th working day after the referral, local time. */
export function preliminaryDueAt(
  referralSentAt: Date,
  rules: Pick<TStatusRules, 'preliminaryWorkingDays'>,
  cal: WorkingCalendar,
  timeZone: string,
): Date {
  return addDuration(referralSentAt, { amount: rules.preliminaryWorkingDays, unit: 'working_days' }, cal, timeZone);
}

/** Agency types that remove people from the country and therefore look up protection from removal. */
export const REMOVAL_AGENCY_TYPES: readonly TAgencyType[] = ['migration_police', 'border_service', 'police'];

/** HTCDS vic_TraffickingStatus values, for export. */
export const HTCDS_TRAFFICKING_STATUSES = [
  'PossibleVictimOfTrafficking',
  'ActualVictimOfTrafficking',
  'NotAVictimOfTrafficking',
] as const;
export const HTCDS_DECISION_ORGS = [...new Set(Object.values(HTCDS_DECISION_ORG))] as [string, ...string[]];

/** A decision as a request body: ZDecisionInput (decision.rules.ts). A review names the decision it reviews. */
export const ZDecision = z.object({
  id: z.uuid(),
  kind: z.enum(DECISION_KINDS),
  outcome: z.enum([...PRELIMINARY_OUTCOMES, ...FINAL_OUTCOMES]),
  reasons: z.string(),
  legalBasis: z.string(),
  decidedOn: ZIsoDate,
  requestedByPerson: z.boolean(),
  decidedBy: z.object({ id: z.uuid(), displayName: z.string() }),
  agency: z.object({ id: z.uuid(), name: z.string(), type: z.string() }),
  reviewOf: z.uuid().nullable(),
  review: z
    .object({
      id: z.uuid(),
      requestedOn: ZIsoDate,
      dueOn: ZIsoDate,
      decidedBy: z.uuid().nullable(),
      overdue: z.boolean(),
    })
    .nullable(),
  createdAt: z.string(),
});
export type TDecision = z.infer<typeof ZDecision>;

export const ZReviewRequest = z.object({ requestedOn: ZIsoDate });
export type TReviewRequest = z.infer<typeof ZReviewRequest>;

export const ZReflectionExtend = z.object({
  plannedEnd: ZIsoDate,
  version: z.number().int().min(1),
});
export type TReflectionExtend = z.infer<typeof ZReflectionExtend>;

export const ZReflectionPeriod = z.object({
  id: z.uuid(),
  startDate: ZIsoDate,
  plannedEnd: ZIsoDate,
  days: z.number().int(),
  endedOn: ZIsoDate.nullable(),
  endReason: z.enum(EARLY_END_REASONS).nullable(),
  endJustification: z.string().nullable(),
  running: z.boolean(),
  extensions: z.number().int(),
  version: z.number().int(),
});
export type TReflectionPeriod = z.infer<typeof ZReflectionPeriod>;

export const RESIDENCE_PERMIT_EVENTS = ['applied', 'granted', 'renewed', 'refused'] as const;
export const ZResidencePermitInput = z
  .object({
    event: z.enum(RESIDENCE_PERMIT_EVENTS),
    date: ZIsoDate,
    validUntil: ZIsoDate.nullable().default(null),
  })
  .superRefine((v, ctx) => {
    if (v.validUntil && v.validUntil <= v.date)
      ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'before_start' });
  });
export type TResidencePermitInput = z.input<typeof ZResidencePermitInput>;
export const ZResidencePermitEvent = z.object({
  id: z.uuid(),
  event: z.enum(RESIDENCE_PERMIT_EVENTS),
  date: ZIsoDate,
  validUntil: ZIsoDate.nullable(),
  recordedAt: z.string(),
});

/** What the migration service learns of a case: nothing but whether it may remove the person, and until when. */
export const ZProtectionStatus = z.object({
  protected: z.boolean(),
  /** Last protected day (inclusive); null while protected until the final decision (art. 10(2)). */
  until: ZIsoDate.nullable(),
});
export type TProtectionStatus = z.infer<typeof ZProtectionStatus>;
export const ZEarlyEndInput = ZEarlyEnd.extend({ version: z.number().int().min(1) });
export type TEarlyEndInput = z.infer<typeof ZEarlyEndInput>;

/**
 * Protection from removal on a given local day:
 * - while the recovery and reflection period runs (start ≤ today ≤ planned end, not ended early):
 *   until its planned end (art. 13);
 * - else while a positive preliminary decision awaits the final one: until that decision, no date
 *   (art. 10(2));
 * - else after a positive final decision, while a granted or renewed residence permit is valid (art. 14);
 * - never after an early end of the period (art. 13(3)), nor after a negative latest decision.
 */
export function protectionStatus(
  decisions: readonly { kind: TDecisionKind; outcome: TDecisionOutcome }[],
  period: { startDate: string; plannedEnd: string; endedOn: string | null } | null,
  permits: readonly { event: string; validUntil: string | null }[],
  today: string,
): TProtectionStatus {
  const latest = decisions[decisions.length - 1];
  if (!latest || !isPositive(latest.outcome)) return { protected: false, until: null };
  if (period?.endedOn && period.endedOn < period.plannedEnd) return { protected: false, until: null };
  if (period && !period.endedOn && period.startDate <= today && today <= period.plannedEnd)
    return { protected: true, until: period.plannedEnd };
  if (latest.kind === 'preliminary') return { protected: true, until: null };
  const permit = permits
    .filter((p) => (p.event === 'granted' || p.event === 'renewed') && p.validUntil && p.validUntil >= today)
    .map((p) => p.validUntil as string)
    .sort()
    .pop();
  return permit ? { protected: true, until: permit } : { protected: false, until: null };
}

export const ZProtectionLookup = z.object({ caseNumber: z.string().trim().min(3).max(40) });

/** The status of a case: HTCDS status and deciding organisation, deadlines, decisions, period, permits. */
export const ZCaseStatus = z.object({
  caseId: z.uuid(),
  caseNumber: z.string(),
  traffickingStatus: z.enum(HTCDS_TRAFFICKING_STATUSES),
  decisionOrg: z.string().nullable(),
  stage: z.string(),
  foreignNational: z.boolean(),
  track: z
    .object({
      agency: z.object({ id: z.uuid(), name: z.string() }),
      referredAt: z.string(),
      preliminaryDueAt: z.string(),
      preliminaryDecided: z.boolean(),
      overdue: z.boolean(),
    })
    .nullable(),
  decisions: z.array(ZDecision),
  reflection: ZReflectionPeriod.nullable(),
  protection: ZProtectionStatus,
  residencePermits: z.array(ZResidencePermitEvent),
  abilities: z.object({
    decide: z.boolean(),
    requestReview: z.boolean(),
    managePeriod: z.boolean(),
    recordPermit: z.boolean(),
    proceedings: z.boolean(),
  }),
});
export type TCaseStatus = z.infer<typeof ZCaseStatus>;

/** Criminal proceedings: linked to a case, never a condition of its status (CoE art. 12(6)). */
export const PROCEEDING_STAGES = [
  'pre_trial_investigation',
  'suspended',
  'discontinued',
  'indictment',
  'trial',
  'judgment',
  'appeal',
  'closed',
] as const;
export const PROCEDURAL_ROLES = ['victim', 'witness', 'suspect', 'accused', 'none'] as const;
export const PROTECTION_MEASURES = [
  'identity_confidentiality',
  'personal_security',
  'relocation',
  'ban_on_contact',
  'remote_testimony',
  'other',
] as const;

export const ZProceedingInput = z.object({
  registerNumber: z.string().trim().min(3).max(40),
  article: z
    .string()
    .trim()
    .regex(/^\d{1,4}(-\d{1,2})?$/),
  stage: z.enum(PROCEEDING_STAGES),
  proceduralRole: z.enum(PROCEDURAL_ROLES),
  protectionMeasures: z.array(z.enum(PROTECTION_MEASURES)).max(PROTECTION_MEASURES.length),
  /** Art. 26: the person asks not to be punished for acts they were compelled to commit. */
  nonPunishmentRequested: z.boolean(),
  compensationClaimed: z.boolean(),
  compensationAmountKzt: z.number().int().min(0).max(1e12).nullable().default(null),
});
export type TProceedingInput = z.input<typeof ZProceedingInput>;
export const ZProceeding = ZProceedingInput.extend({
  id: z.uuid(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type TProceeding = z.infer<typeof ZProceeding>;

/** The coordinator's compliance report: aggregates only, no case numbers or personal identifiers. */
export const ZComplianceReport = z.object({
  preliminary: z.object({
    referred: z.number().int(),
    decided: z.number().int(),
    withinTarget: z.number().int(),
    withinTargetPct: z.number().nullable(),
    medianDays: z.number().nullable(),
    overdueUndecided: z.number().int(),
  }),
  final: z.object({ decided: z.number().int(), medianDays: z.number().nullable() }),
  openReflection: z.array(z.object({ agency: z.string(), plannedEnd: ZIsoDate, daysLeft: z.number().int() })),
  reflectionBelowMinimum: z.number().int(),
  earlyEndsWithoutReason: z.number().int(),
  overdueReviews: z.number().int(),
  generatedAt: z.string(),
});
export type TComplianceReport = z.infer<typeof ZComplianceReport>;
