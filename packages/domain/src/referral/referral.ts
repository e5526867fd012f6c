import { z } from 'zod';
import { AGENCY_TYPES, type TAgencyType, ZAgencyType, ZRegion } from '../agency/agency.ts';
import { ZUrgency } from '../deadline/deadline.ts';

/** Why a person is referred (issue 4). Formal identification goes to a competent authority only. */
export const REFERRAL_PURPOSES = [
  'formal_identification',
  'shelter',
  'medical',
  'psychological',
  'legal_aid',
  'interpretation',
  'return',
  'other_service',
] as const;
export const ZReferralPurpose = z.enum(REFERRAL_PURPOSES);
export type TReferralPurpose = z.infer<typeof ZReferralPurpose>;

/**
 * The parts of a case a referral can share. Everything outside the scope stays with the holding
 * agency; the receiver's reads are cut field by field on the server (see SHARE_SCOPE_FIELDS).
 */
export const SHARE_SCOPES = ['identity', 'contact', 'narrative', 'screening', 'medical', 'documents'] as const;
export const ZShareScope = z.enum(SHARE_SCOPES);
export type TShareScope = z.infer<typeof ZShareScope>;

/**
 * Which fields each scope releases: the presenter implements it field by field, and the server's
 * list, search and proceedings rules read it through {@link scopeOfField}. Attachments follow their
 * category's scope (`ATTACHMENT_CATEGORIES`).
 */
export const SHARE_SCOPE_FIELDS: Record<TShareScope, readonly string[]> = {
  identity: ['names', 'birthDate', 'citizenships', 'stateless', 'maritalStatus', 'numberOfChildren', 'education'],
  contact: ['contacts'],
  documents: ['documents'],
  narrative: [
    'encounterDate',
    'encounterPlace',
    'identificationMethod',
    'exploitationForms',
    'labourIndustry',
    'sexExploitationTypes',
    'meansOfControl',
    'recruitmentMethods',
    'recruitmentApps',
    'relationshipToRecruiter',
    'countriesOfOrigin',
    'countriesOfTransit',
    'countriesOfExploitation',
    'exploitationStart',
    'exploitationEnd',
    'narrative',
    'criminalProceedings',
  ],
  screening: ['latestOutcome', 'screenings'],
  medical: ['healthVulnerabilities'],
};

/** The scope that releases a field of SHARE_SCOPE_FIELDS to a referral receiver; throws for a field it does not list. */
export function scopeOfField(field: string): TShareScope {
  const scope = SHARE_SCOPES.find((s) => SHARE_SCOPE_FIELDS[s].includes(field));
  if (!scope) throw new Error(`no share scope releases ${field}`);
  return scope;
}

/** Vulnerabilities that describe health, released by the `medical` scope only. */
export const HEALTH_VULNERABILITIES = ['Addiction', 'DisabilityAndPhysicalHealth', 'MentalHealth'] as const;

export const REFERRAL_STATES = [
  'sent',
  'accepted',
  'declined',
  'in_progress',
  'completed',
  'cancelled',
  'expired',
  'consent_withdrawn',
] as const;
export const ZReferralState = z.enum(REFERRAL_STATES);
export type TReferralState = z.infer<typeof ZReferralState>;

/** States in which the receiving agency sees the case, limited to the scope. */
export const REFERRAL_ACCESS_STATES: readonly TReferralState[] = ['accepted', 'in_progress', 'completed'];
/** States that still bind the parties (a duplicate is refused; consent withdrawal ends them). */
export const REFERRAL_OPEN_STATES: readonly TReferralState[] = ['sent', 'accepted', 'in_progress'];

export const REFERRAL_ACTIONS = [
  'accept',
  'decline',
  'start',
  'complete',
  'cancel',
  'expire',
  'withdraw_consent',
] as const;
export type TReferralAction = (typeof REFERRAL_ACTIONS)[number];

/**
 * The referral state machine as data: for each action, who may take it, from which states, and
 * the state it leads to. `system` actions are taken by jobs or by consent withdrawal.
 */
export const REFERRAL_TRANSITIONS: Record<
  TReferralAction,
  { by: 'sender' | 'receiver' | 'system'; from: readonly TReferralState[]; to: TReferralState }
> = {
  accept: { by: 'receiver', from: ['sent'], to: 'accepted' },
  decline: { by: 'receiver', from: ['sent'], to: 'declined' },
  start: { by: 'receiver', from: ['accepted'], to: 'in_progress' },
  complete: { by: 'receiver', from: ['in_progress'], to: 'completed' },
  cancel: { by: 'sender', from: ['sent', 'accepted'], to: 'cancelled' },
  expire: { by: 'system', from: ['sent'], to: 'expired' },
  withdraw_consent: { by: 'system', from: ['sent', 'accepted', 'in_progress', 'completed'], to: 'consent_withdrawn' },
};

/** The state after `action`, or null when the action is not allowed in `state`. */
export function nextReferralState(state: TReferralState, action: TReferralAction): TReferralState | null {
  const t = REFERRAL_TRANSITIONS[action];
  return t.from.includes(state) ? t.to : null;
}

export const DECLINE_REASONS = [
  'no_capacity',
  'outside_mandate',
  'outside_region',
  'insufficient_information',
  'person_unreachable',
  'other',
] as const;
export const ZDeclineReason = z.enum(DECLINE_REASONS);

// ——— The NRM role matrix: which agency types may refer to which, for what ———

export const ZMatrixRule = z.object({
  from: ZAgencyType,
  to: ZAgencyType,
  purposes: z.array(ZReferralPurpose).min(1).max(REFERRAL_PURPOSES.length),
});
export type TMatrixRule = z.infer<typeof ZMatrixRule>;
export const ZReferralMatrix = z.object({ rules: z.array(ZMatrixRule).max(AGENCY_TYPES.length ** 2) });
export type TReferralMatrix = z.infer<typeof ZReferralMatrix>;

/** Actors that meet potential victims and refer them (Commission on Human Rights 2014 report; NRM.md §1, §4). */
const REFERRING_TYPES: readonly TAgencyType[] = [
  'police',
  'migration_police',
  'border_service',
  'labour_inspection',
  'social_protection',
  'health',
  'education',
  'ngo',
  'hotline',
  'prosecutor',
  'international_org',
  'embassy',
];

/** Who provides which service by default (NRM.md §6; CoE Convention art. 12). */
const PROVIDERS: Partial<Record<TAgencyType, readonly TReferralPurpose[]>> = {
  ngo: ['shelter', 'psychological', 'legal_aid', 'interpretation', 'other_service'],
  social_protection: ['shelter', 'psychological', 'legal_aid', 'interpretation', 'other_service'],
  health: ['medical', 'psychological'],
  international_org: ['shelter', 'legal_aid', 'interpretation', 'return', 'other_service'],
  embassy: ['return'],
  education: ['other_service'],
};

/** Agency types that take status decisions by default (Law 110-VIII; the agency flag decides per agency). */
const IDENTIFYING_TYPES: readonly TAgencyType[] = ['police', 'migration_police', 'social_protection'];

function buildDefaultMatrix(): TReferralMatrix {
  const rules: TMatrixRule[] = [];
  for (const from of REFERRING_TYPES) {
    for (const to of AGENCY_TYPES) {
      const purposes = new Set<TReferralPurpose>();
      if (IDENTIFYING_TYPES.includes(to)) purposes.add('formal_identification');
      for (const p of PROVIDERS[to] ?? []) purposes.add(p);
      if (purposes.size) rules.push({ from, to, purposes: REFERRAL_PURPOSES.filter((p) => purposes.has(p)) });
    }
  }
  return { rules };
}

/**
 * The default NRM role matrix: every frontline actor may refer for formal identification to the
 * identifying bodies and for services to their providers. The national coordinator and oversight
 * bodies never refer (they hold no personal data). Stored in the database; a system admin edits it.
 */
export const DEFAULT_REFERRAL_MATRIX: TReferralMatrix = buildDefaultMatrix();

/** True when the matrix lets an agency of type `from` refer to one of type `to` for `purpose`. */
export function matrixAllows(
  matrix: TReferralMatrix,
  from: TAgencyType,
  to: TAgencyType,
  purpose: TReferralPurpose,
): boolean {
  return matrix.rules.some((r) => r.from === from && r.to === to && r.purposes.includes(purpose));
}

// ——— API schemas ———

export const ZReferralCreate = z.object({
  toAgencyId: z.uuid(),
  purpose: ZReferralPurpose,
  urgency: ZUrgency,
  scope: z.array(ZShareScope).max(SHARE_SCOPES.length),
});
export type TReferralCreate = z.infer<typeof ZReferralCreate>;

export const ZReferralDecline = z.object({ reason: ZDeclineReason });

export const ZReferralListQuery = z.object({
  box: z.enum(['incoming', 'outgoing']).default('incoming'),
  state: ZReferralState.optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

/**
 * What the receiving agency needs to decide (and all it sees before accepting): purpose, urgency,
 * age group, sex, language needs, region.
 */
export const ZReferralDecisionInfo = z.object({
  ageGroup: z.enum(['child', 'adult']),
  sex: z.string(),
  languages: z.array(z.string()),
  interpreterNeeded: z.boolean(),
  region: ZRegion,
});

export const ZReferralAbilities = z.object({
  accept: z.boolean(),
  decline: z.boolean(),
  start: z.boolean(),
  complete: z.boolean(),
  cancel: z.boolean(),
  openCase: z.boolean(),
});

/** A referral as sender and receiver see it. `caseNumber` is shown only once the receiver may open the case. */
export const ZReferral = z.object({
  id: z.uuid(),
  caseId: z.uuid().nullable(),
  caseNumber: z.string().nullable(),
  from: z.object({ id: z.uuid(), name: z.string(), type: ZAgencyType }),
  to: z.object({ id: z.uuid(), name: z.string(), type: ZAgencyType }),
  purpose: ZReferralPurpose,
  urgency: ZUrgency,
  scope: z.array(ZShareScope),
  state: ZReferralState,
  declineReason: ZDeclineReason.nullable(),
  info: ZReferralDecisionInfo,
  sentAt: z.string(),
  dueAt: z.string(),
  expiresAt: z.string(),
  respondedAt: z.string().nullable(),
  escalatedAt: z.string().nullable(),
  overdue: z.boolean(),
  updatedAt: z.string(),
  abilities: ZReferralAbilities,
});
export type TReferral = z.infer<typeof ZReferral>;

/** The national coordinator's row: no case, person or identifier — state, purpose, age group, waiting time. */
export const ZCoordinationReferral = z.object({
  id: z.uuid(),
  fromAgency: z.object({ id: z.uuid(), name: z.string(), type: ZAgencyType }),
  toAgency: z.object({ id: z.uuid(), name: z.string(), type: ZAgencyType }),
  purpose: ZReferralPurpose,
  urgency: ZUrgency,
  state: ZReferralState,
  ageGroup: z.enum(['child', 'adult']),
  region: ZRegion,
  sentAt: z.string(),
  dueAt: z.string(),
  respondedAt: z.string().nullable(),
  /** Hours from sending to the answer, or to now while unanswered. */
  waitingHours: z.number(),
  overdue: z.boolean(),
  escalated: z.boolean(),
});
export type TCoordinationReferral = z.infer<typeof ZCoordinationReferral>;

export const ZCoordinationQuery = z.object({
  state: ZReferralState.optional(),
  purpose: ZReferralPurpose.optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});
