import { z } from 'zod';
import { ZCountry, ZIsoDate } from '../case/person.schemas.ts';
import type { TReferralPurpose } from '../referral/referral.ts';
import { ZShareScope } from '../referral/referral.ts';

/*
 * Assistance (issue 6; NRM.md section 6, CoE Convention art. 12, 10(4), 16(7)).
 * Assistance is never conditional on cooperation with the police or on acting as a witness
 * (art. 12(6)): nothing in this model refers to it. It is given only with consent (art. 12(7)).
 */

// --- Needs assessment -----------------------------------------------------------------------------

export const NEED_AREAS = [
  'safety',
  'health',
  'psychological',
  'legal',
  'documents',
  'housing',
  'income',
  'family',
  'education',
  'children',
  'language',
] as const;
export const ZNeedArea = z.enum(NEED_AREAS);
export type TNeedArea = z.infer<typeof ZNeedArea>;

/** How pressing a need is in one area. */
export const NEED_LEVELS = ['none', 'low', 'medium', 'high'] as const;
export const ZNeedLevel = z.enum(NEED_LEVELS);
export type TNeedLevel = z.infer<typeof ZNeedLevel>;

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export const ZRiskLevel = z.enum(RISK_LEVELS);
export type TRiskLevel = z.infer<typeof ZRiskLevel>;

const freeText = (max: number) => z.string().trim().max(max);

export const ZNeedsAssessmentInput = z.object({
  assessedOn: ZIsoDate,
  areas: z.partialRecord(ZNeedArea, ZNeedLevel).refine((a) => Object.keys(a).length > 0, 'required'),
  riskLevel: ZRiskLevel,
  notes: freeText(4000).default(''),
});
export type TNeedsAssessmentInput = z.infer<typeof ZNeedsAssessmentInput>;

export const ZNeedsAssessment = z.object({
  id: z.uuid(),
  assessedOn: z.string(),
  areas: z.record(z.string(), ZNeedLevel),
  riskLevel: ZRiskLevel,
  notes: z.string(),
  assessedBy: z.object({ id: z.uuid(), displayName: z.string() }),
  createdAt: z.string(),
});
export type TNeedsAssessment = z.infer<typeof ZNeedsAssessment>;

// --- Service catalogue (data) ---------------------------------------------------------------------

/** HTCDS support plan types (`spl_Type`). */
export const HTCDS_SUPPORT_TYPES = [
  'Education',
  'Financial',
  'Health',
  'LabourExploitationRehabilitation',
  'Legal',
  'Livelihood',
  'RightsBasedTraining',
  'SexualExploitationRehabilitation',
  'SocialCare',
] as const;
export type THtcdsSupportType = (typeof HTCDS_SUPPORT_TYPES)[number];

export interface ServiceCategoryDef {
  /** HTCDS spl_Type for exchange and statistics. */
  htcds: THtcdsSupportType;
  /** The referral purpose used when another agency is asked to provide it. */
  purpose: Exclude<TReferralPurpose, 'formal_identification'>;
  /** A placement takes a place (e.g. a shelter bed) at the provider and counts against its capacity. */
  placement: boolean;
  /** Article of the CoE Convention the service answers. */
  article: string;
}

/** The service catalogue of NRM.md section 6, mapped to HTCDS support plan types. */
export const SERVICE_CATALOGUE = {
  shelter: { htcds: 'SocialCare', purpose: 'shelter', placement: true, article: '12(1)(a)' },
  material_help: { htcds: 'Financial', purpose: 'other_service', placement: false, article: '12(1)(a)' },
  medical: { htcds: 'Health', purpose: 'medical', placement: false, article: '12(1)(b)' },
  psychological: { htcds: 'Health', purpose: 'psychological', placement: false, article: '12(1)(a)' },
  legal_aid: { htcds: 'Legal', purpose: 'legal_aid', placement: false, article: '12(1)(d), 15(2)' },
  interpretation: { htcds: 'SocialCare', purpose: 'interpretation', placement: false, article: '12(1)(c)' },
  counselling: { htcds: 'RightsBasedTraining', purpose: 'other_service', placement: false, article: '12(1)(d)' },
  education: { htcds: 'Education', purpose: 'other_service', placement: false, article: '12(1)(f)' },
  vocational: { htcds: 'Livelihood', purpose: 'other_service', placement: false, article: '12(4)' },
  labour_rehabilitation: {
    htcds: 'LabourExploitationRehabilitation',
    purpose: 'psychological',
    placement: false,
    article: '12(1)',
  },
  sexual_rehabilitation: {
    htcds: 'SexualExploitationRehabilitation',
    purpose: 'psychological',
    placement: false,
    article: '12(1)',
  },
  family_tracing: { htcds: 'SocialCare', purpose: 'other_service', placement: false, article: '10(4)' },
  document_recovery: { htcds: 'Legal', purpose: 'other_service', placement: false, article: '10(4)' },
  return_reintegration: { htcds: 'SocialCare', purpose: 'return', placement: false, article: '16' },
  guardianship: { htcds: 'SocialCare', purpose: 'other_service', placement: false, article: '10(4)' },
} as const satisfies Record<string, ServiceCategoryDef>;
export type TServiceCategory = keyof typeof SERVICE_CATALOGUE;
export const SERVICE_CATEGORIES = Object.keys(SERVICE_CATALOGUE) as [TServiceCategory, ...TServiceCategory[]];
export const ZServiceCategory = z.enum(SERVICE_CATEGORIES);

export const SERVICE_STATUSES = ['planned', 'requested', 'in_progress', 'delivered', 'cancelled', 'declined'] as const;
export const ZServiceStatus = z.enum(SERVICE_STATUSES);
export type TServiceStatus = z.infer<typeof ZServiceStatus>;
/** States in which a placement occupies a place at its provider. */
export const OPEN_SERVICE_STATUSES: readonly TServiceStatus[] = ['planned', 'requested', 'in_progress'];

export const SERVICE_OUTCOMES = ['achieved', 'partly_achieved', 'not_achieved', 'refused_by_person'] as const;
export const ZServiceOutcome = z.enum(SERVICE_OUTCOMES);
export type TServiceOutcome = z.infer<typeof ZServiceOutcome>;

/** Which status changes the holder records directly (a referred service follows its referral). */
const SERVICE_MOVES: Record<TServiceStatus, readonly TServiceStatus[]> = {
  planned: ['in_progress', 'delivered', 'cancelled'],
  requested: ['cancelled'],
  in_progress: ['delivered', 'cancelled'],
  delivered: [],
  cancelled: [],
  declined: [],
};
export function canMoveService(from: TServiceStatus, to: TServiceStatus): boolean {
  return from === to || SERVICE_MOVES[from].includes(to);
}

/** The service status that follows a referral state (null: unchanged). */
export function serviceStatusForReferral(state: string): TServiceStatus | null {
  if (state === 'accepted' || state === 'in_progress') return 'in_progress';
  if (state === 'completed') return 'delivered';
  if (state === 'declined' || state === 'expired') return 'declined';
  if (state === 'cancelled' || state === 'consent_withdrawn') return 'cancelled';
  return null;
}

// --- Capacity -------------------------------------------------------------------------------------

export const CAPACITY_SEXES = ['any', 'female', 'male'] as const;
export const CAPACITY_AGE_GROUPS = ['any', 'adult', 'child'] as const;
export type TCapacitySex = (typeof CAPACITY_SEXES)[number];
export type TCapacityAgeGroup = (typeof CAPACITY_AGE_GROUPS)[number];

export const ZCapacityRow = z.object({
  category: ZServiceCategory,
  sex: z.enum(CAPACITY_SEXES),
  ageGroup: z.enum(CAPACITY_AGE_GROUPS),
  places: z.number().int().min(0).max(100000),
});
export type TCapacityRow = z.infer<typeof ZCapacityRow>;
export const ZCapacityInput = z.object({ rows: z.array(ZCapacityRow).max(60) });
export const ZOccupancyRow = ZCapacityRow.extend({ occupied: z.number().int(), overCapacity: z.boolean() });
export const ZOccupancy = z.object({ agencyId: z.uuid(), rows: z.array(ZOccupancyRow) });
export type TOccupancy = z.infer<typeof ZOccupancy>;

/** The person's bucket for capacity: sex (HTCDS Feminine/Masculine) and age group. */
export function capacityBucket(
  sex: string | null,
  isChild: boolean,
): { sex: TCapacitySex; ageGroup: TCapacityAgeGroup } {
  return {
    sex: sex === 'Feminine' ? 'female' : sex === 'Masculine' ? 'male' : 'any',
    ageGroup: isChild ? 'child' : 'adult',
  };
}

/** The capacity rows that bind a placement of a person in bucket `b` (most specific rows included). */
export function bindingRows<T extends { sex: TCapacitySex; ageGroup: TCapacityAgeGroup }>(
  rows: readonly T[],
  b: { sex: TCapacitySex; ageGroup: TCapacityAgeGroup },
): T[] {
  return rows.filter(
    (r) => (r.sex === 'any' || r.sex === b.sex) && (r.ageGroup === 'any' || r.ageGroup === b.ageGroup),
  );
}

/**
 * A new placement against capacity: `ok` within every binding row; `override` above one with a
 * written reason (flagged to the coordinator); `refused` above one without a reason.
 */
export function placementCheck(
  rows: readonly { places: number; occupied: number }[],
  overrideReason: string | null | undefined,
): 'ok' | 'override' | 'refused' {
  const full = rows.some((r) => r.occupied + 1 > r.places);
  if (!full) return 'ok';
  return overrideReason?.trim() ? 'override' : 'refused';
}

// --- Services and the plan -------------------------------------------------------------------------

const money = z.number().min(0).max(1e9);

export const ZServiceInput = z.object({
  category: ZServiceCategory,
  /** The providing agency; another agency than the holder is asked through a referral. */
  providerAgencyId: z.uuid(),
  goalId: z.string().max(40).nullable().default(null),
  plannedStart: ZIsoDate,
  plannedEnd: ZIsoDate.nullable().default(null),
  cost: money.nullable().default(null),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('KZT'),
  notes: freeText(2000).default(''),
  /** For a placement above the provider's capacity. */
  overrideReason: freeText(1000).nullable().default(null),
  /** For a referred service: urgency and the parts of the case the provider may see. */
  urgency: z.enum(['emergency', 'urgent', 'routine']).default('routine'),
  scope: z.array(ZShareScope).max(6).default([]),
});
export type TServiceInput = z.input<typeof ZServiceInput>;

export const ZServiceUpdate = z.object({
  status: ZServiceStatus,
  actualStart: ZIsoDate.nullable().default(null),
  actualEnd: ZIsoDate.nullable().default(null),
  outcome: ZServiceOutcome.nullable().default(null),
  cost: money.nullable().default(null),
  notes: freeText(2000).default(''),
  version: z.number().int().min(1),
});
export type TServiceUpdate = z.infer<typeof ZServiceUpdate>;

export const ZService = z.object({
  id: z.uuid(),
  category: ZServiceCategory,
  htcdsType: z.enum(HTCDS_SUPPORT_TYPES),
  provider: z.object({ id: z.uuid(), name: z.string() }),
  goalId: z.string().nullable(),
  plannedStart: z.string(),
  plannedEnd: z.string().nullable(),
  actualStart: z.string().nullable(),
  actualEnd: z.string().nullable(),
  status: ZServiceStatus,
  outcome: ZServiceOutcome.nullable(),
  cost: z.number().nullable(),
  currency: z.string(),
  notes: z.string(),
  placement: z.boolean(),
  overCapacity: z.boolean(),
  overrideReason: z.string().nullable(),
  referralId: z.uuid().nullable(),
  version: z.number().int(),
});
export type TService = z.infer<typeof ZService>;

export const ZGoal = z.object({
  id: z.string().min(1).max(40),
  text: z.string().trim().min(1).max(1000),
  area: ZNeedArea.nullable().default(null),
  achieved: z.boolean().default(false),
});
export type TGoal = z.infer<typeof ZGoal>;

export const ZPlanInput = z.object({ goals: z.array(ZGoal).max(30), version: z.number().int().min(0) });

export interface PlanProgress {
  total: number;
  delivered: number;
  open: number;
  percent: number;
}
/** Progress of a plan: delivered services out of those not cancelled or declined. */
export function planProgress(services: readonly { status: TServiceStatus }[]): PlanProgress {
  const counted = services.filter((s) => s.status !== 'cancelled' && s.status !== 'declined');
  const delivered = counted.filter((s) => s.status === 'delivered').length;
  const open = counted.length - delivered;
  return {
    total: counted.length,
    delivered,
    open,
    percent: counted.length ? Math.round((delivered * 100) / counted.length) : 0,
  };
}

// --- Children (art. 10(4)) -------------------------------------------------------------------------

export const GUARDIAN_ROLES = ['legal_guardian', 'representative', 'parent', 'guardianship_authority'] as const;
export const ZChildProtectionInput = z.object({
  unaccompanied: z.boolean(),
  guardianName: freeText(200).default(''),
  guardianRole: z.enum(GUARDIAN_ROLES).nullable().default(null),
  guardianAppointedOn: ZIsoDate.nullable().default(null),
  bestInterestsAssessedOn: ZIsoDate.nullable().default(null),
  bestInterestsSummary: freeText(4000).default(''),
  familyTracing: z.boolean().default(false),
  version: z.number().int().min(0),
});
export type TChildProtectionInput = z.infer<typeof ZChildProtectionInput>;
export const ZChildProtection = ZChildProtectionInput.extend({
  /** An unaccompanied child without an appointed guardian or representative (art. 10(4)). */
  guardianMissing: z.boolean(),
  educationPlanned: z.boolean(),
});
export type TChildProtection = z.infer<typeof ZChildProtection>;

/** An unaccompanied child needs a guardian or representative (art. 10(4)). */
export function guardianMissing(p: {
  unaccompanied: boolean;
  guardianRole: string | null;
  guardianAppointedOn: string | null;
}) {
  return p.unaccompanied && (!p.guardianRole || !p.guardianAppointedOn);
}

// --- Return and reintegration (art. 16) ------------------------------------------------------------

export const RETURN_STATES = ['requested', 'assessed', 'approved', 'refused', 'completed', 'cancelled'] as const;
export const ZReturnState = z.enum(RETURN_STATES);
export type TReturnState = z.infer<typeof ZReturnState>;
export const TRAVEL_DOCUMENT_STATES = ['not_needed', 'needed', 'requested', 'issued'] as const;
/** Follow-up contacts after return, in months. */
export const FOLLOW_UP_MONTHS = [1, 3, 6, 12] as const;

export const ZReturnInput = z.object({
  requestedOn: ZIsoDate,
  /** Only a voluntary return is assisted (art. 16(2) "preferably voluntary"; our design: always). */
  voluntary: z.literal(true),
  destinationCountry: ZCountry,
  receivingOrganisation: freeText(300).default(''),
  travelDocuments: z.enum(TRAVEL_DOCUMENT_STATES).default('needed'),
});
export const ZRiskAssessmentInput = z.object({
  assessedOn: ZIsoDate,
  riskLevel: ZRiskLevel,
  summary: freeText(4000).min(1),
  /** For a child: does the risk and security assessment find return in the child's best interests? */
  inChildsBestInterests: z.boolean().nullable().default(null),
  version: z.number().int().min(1),
});
export const ZReturnDecision = z.object({
  decision: z.enum(['approve', 'refuse', 'complete', 'cancel']),
  returnDate: ZIsoDate.nullable().default(null),
  receivingOrganisation: freeText(300).optional(),
  travelDocuments: z.enum(TRAVEL_DOCUMENT_STATES).optional(),
  version: z.number().int().min(1),
});
export const ZFollowUpDone = z.object({ doneOn: ZIsoDate, note: freeText(2000).default('') });

export const ZReturn = z.object({
  id: z.uuid(),
  state: ZReturnState,
  requestedOn: z.string(),
  voluntary: z.boolean(),
  destinationCountry: z.string(),
  receivingOrganisation: z.string(),
  travelDocuments: z.enum(TRAVEL_DOCUMENT_STATES),
  forChild: z.boolean(),
  risk: z
    .object({
      assessedOn: z.string(),
      riskLevel: ZRiskLevel,
      summary: z.string(),
      inChildsBestInterests: z.boolean().nullable(),
    })
    .nullable(),
  returnDate: z.string().nullable(),
  followUps: z.array(
    z.object({
      id: z.uuid(),
      month: z.number().int(),
      dueOn: z.string(),
      doneOn: z.string().nullable(),
      note: z.string(),
    }),
  ),
  version: z.number().int(),
});
export type TReturn = z.infer<typeof ZReturn>;

/**
 * Why a return may not be approved or completed, or null. A child is never returned unless a risk
 * and security assessment found return in the child's best interests (art. 16(7)); nobody is
 * returned without a risk and security assessment (art. 16(2)).
 */
export function returnProblem(r: {
  forChild: boolean;
  voluntary: boolean;
  riskAssessed: boolean;
  inChildsBestInterests: boolean | null;
}): 'return_not_voluntary' | 'risk_assessment_required' | 'child_return_not_in_best_interests' | null {
  if (!r.voluntary) return 'return_not_voluntary';
  if (!r.riskAssessed) return 'risk_assessment_required';
  if (r.forChild && r.inChildsBestInterests !== true) return 'child_return_not_in_best_interests';
  return null;
}

/** Follow-up due dates after a return on `date` (calendar months, clamped to the month's end). */
export function followUpDates(date: string): { month: number; dueOn: string }[] {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return FOLLOW_UP_MONTHS.map((n) => {
    const total = m - 1 + n;
    const yy = y + Math.floor(total / 12);
    const mm = (total % 12) + 1;
    const last = new Date(Date.UTC(yy, mm, 0)).getUTCDate();
    const dd = Math.min(d, last);
    return { month: n, dueOn: `${yy}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}` };
  });
}

// --- Notes and attachments -------------------------------------------------------------------------

/** Attachment categories and the share scope that releases each to a referral receiver. */
export const ATTACHMENT_CATEGORIES = { documents: 'documents', medical: 'medical', other: null } as const;
export type TAttachmentCategory = keyof typeof ATTACHMENT_CATEGORIES;
export const ZAttachmentCategory = z.enum(['documents', 'medical', 'other']);
export const ATTACHMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'text/plain'] as const;
export type TAttachmentType = (typeof ATTACHMENT_TYPES)[number];
export const ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;

/**
 * The content type of a file judged by its first bytes (magic numbers), or null when it is none we
 * accept. Plain text: valid UTF-8 without NUL or other control bytes than tab, CR, LF.
 */
export function sniffType(bytes: Uint8Array): TAttachmentType | null {
  const starts = (sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (!bytes.length) return null;
  for (const b of bytes) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return null;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'text/plain';
  } catch {
    return null;
  }
}

export const ZNoteInput = z.object({ text: z.string().trim().min(1).max(8000) });
export const ZNote = z.object({
  id: z.uuid(),
  text: z.string(),
  author: z.object({ id: z.uuid(), displayName: z.string() }),
  agency: z.object({ id: z.uuid(), name: z.string() }),
  createdAt: z.string(),
});
export type TNote = z.infer<typeof ZNote>;

export const ZAttachmentInput = z.object({
  fileName: z.string().trim().min(1).max(200),
  contentType: z.enum(ATTACHMENT_TYPES),
  category: ZAttachmentCategory,
  /** The file, base64; at most ATTACHMENT_MAX_BYTES decoded (checked after decoding: 413). */
  data: z
    .string()
    .min(1)
    .max(Math.ceil((ATTACHMENT_MAX_BYTES * 4) / 3) + 32 * 1024),
});
export const ZAttachment = z.object({
  id: z.uuid(),
  fileName: z.string(),
  contentType: z.enum(ATTACHMENT_TYPES),
  category: ZAttachmentCategory,
  size: z.number().int(),
  author: z.object({ id: z.uuid(), displayName: z.string() }),
  createdAt: z.string(),
});
export type TAttachment = z.infer<typeof ZAttachment>;

// --- Closure ---------------------------------------------------------------------------------------

/** Fixed closure reasons (HTCDS cas_ReasonForCaseClosure is free text; we export the label). */
export const CLOSURE_REASONS = [
  'assistance_completed',
  'integrated',
  'returned',
  'declined_further_assistance',
  'lost_contact',
  'transferred',
  'not_a_victim',
  'deceased',
  'other',
] as const;
export type TClosureReason = (typeof CLOSURE_REASONS)[number];

export const ZLocalClosureReason = z.object({
  code: z.string().regex(/^local_[a-z0-9_]{1,40}$/),
  labels: z.object({
    en: z.string().trim().min(1).max(200),
    ru: z.string().trim().min(1).max(200),
    kk: z.string().trim().min(1).max(200),
  }),
  active: z.boolean().default(true),
});
export type TLocalClosureReason = z.infer<typeof ZLocalClosureReason>;

export const ZClosureRequest = z.object({
  reason: z.string().min(1).max(60),
  justification: freeText(4000).min(1),
});
export const ZClosureDecision = z.object({ approve: z.boolean(), comment: freeText(2000).default('') });
export const ZReopenInput = z.object({ reason: freeText(4000).min(1) });
export const ZClosure = z.object({
  id: z.uuid(),
  reason: z.string(),
  justification: z.string(),
  state: z.enum(['requested', 'approved', 'rejected', 'reopened']),
  requestedBy: z.object({ id: z.uuid(), displayName: z.string() }),
  requestedAt: z.string(),
  decidedBy: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
  decidedAt: z.string().nullable(),
  reopenReason: z.string().nullable(),
  reopenedAt: z.string().nullable(),
});
export type TClosure = z.infer<typeof ZClosure>;

// --- The assistance view of a case ------------------------------------------------------------------

export const ZAssistance = z.object({
  caseId: z.uuid(),
  stage: z.string(),
  isChild: z.boolean(),
  consent: z.boolean(),
  needs: z.array(ZNeedsAssessment),
  plan: z.object({ goals: z.array(ZGoal), version: z.number().int() }),
  services: z.array(ZService),
  progress: z.object({ total: z.number(), delivered: z.number(), open: z.number(), percent: z.number() }),
  child: ZChildProtection.nullable(),
  returns: z.array(ZReturn),
  closures: z.array(ZClosure),
  abilities: z.object({ manage: z.boolean(), approveClosure: z.boolean() }),
});
export type TAssistance = z.infer<typeof ZAssistance>;
