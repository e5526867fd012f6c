import { z } from 'zod';
import { ZAgencyType } from '../agency/agency.ts';
import { ZIsoDate } from '../case/person.schemas.ts';
import { type TReferralPurpose, type TShareScope, ZShareScope, SHARE_SCOPES } from '../referral/referral.ts';

/**
 * What a person consents to (CoE Convention art. 12(7): assistance only with informed consent).
 * `sharing` names a recipient (one agency or an agency type) and the parts of the case it may see.
 */
export const CONSENT_PURPOSES = ['referral_identification', 'assistance', 'sharing', 'statistics', 'contact'] as const;
export const ZConsentPurpose = z.enum(CONSENT_PURPOSES);
export type TConsentPurpose = z.infer<typeof ZConsentPurpose>;

/**
 * `given`: the person consented. `not_required`: a child (treated as one for every rule) is referred
 * without consent, and their guardian or representative was informed. `withdrawn`: no longer valid.
 */
export const CONSENT_STATUSES = ['given', 'not_required', 'withdrawn'] as const;
export type TConsentStatus = (typeof CONSENT_STATUSES)[number];

const language = z.string().regex(/^[a-z]{2,3}$/);

export const ZConsentCreate = z
  .object({
    purpose: ZConsentPurpose,
    basis: z.enum(['given', 'not_required']),
    guardianInformed: z.boolean().default(false),
    recipientAgencyId: z.uuid().nullable().optional(),
    recipientAgencyType: ZAgencyType.nullable().optional(),
    scope: z.array(ZShareScope).max(SHARE_SCOPES.length).default([]),
    language,
    interpreterUsed: z.boolean(),
    interpreterLanguage: language.nullable().optional(),
    date: ZIsoDate,
  })
  .superRefine((c, ctx) => {
    const recipients = [c.recipientAgencyId, c.recipientAgencyType].filter(Boolean).length;
    if (c.purpose === 'sharing') {
      if (recipients !== 1)
        ctx.addIssue({ code: 'custom', path: ['recipientAgencyId'], message: 'recipient_required' });
      if (!c.scope.length) ctx.addIssue({ code: 'custom', path: ['scope'], message: 'required' });
    } else if (recipients || c.scope.length) {
      ctx.addIssue({ code: 'custom', path: ['purpose'], message: 'recipient_only_for_sharing' });
    }
    if (c.basis === 'not_required' && !c.guardianInformed)
      ctx.addIssue({ code: 'custom', path: ['guardianInformed'], message: 'guardian_must_be_informed' });
    if (c.interpreterUsed && !c.interpreterLanguage)
      ctx.addIssue({ code: 'custom', path: ['interpreterLanguage'], message: 'required' });
  });
export type TConsentCreate = z.infer<typeof ZConsentCreate>;

export const ZConsentWithdraw = z.object({ date: ZIsoDate });

export const ZConsent = z.object({
  id: z.uuid(),
  caseId: z.uuid(),
  purpose: ZConsentPurpose,
  status: z.enum(CONSENT_STATUSES),
  guardianInformed: z.boolean(),
  recipientAgency: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  recipientAgencyType: ZAgencyType.nullable(),
  scope: z.array(ZShareScope),
  language: z.string(),
  interpreterUsed: z.boolean(),
  interpreterLanguage: z.string().nullable(),
  date: z.string(),
  recordedBy: z.object({ id: z.uuid(), displayName: z.string() }),
  recordedAt: z.string(),
  withdrawnOn: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
  withdrawnBy: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
});
export type TConsent = z.infer<typeof ZConsent>;

/** The consent purpose that must be in force before referring for `purpose`. */
export function consentPurposeFor(purpose: TReferralPurpose): TConsentPurpose {
  return purpose === 'formal_identification' ? 'referral_identification' : 'assistance';
}

/** A consent as the rules read it. */
export interface ConsentFact {
  purpose: TConsentPurpose;
  status: TConsentStatus;
  recipientAgencyId: string | null;
  recipientAgencyType: string | null;
  scope: readonly TShareScope[];
}

/** True when a valid consent (or, for a child, a noted "not required") covers the purpose. */
export function hasPurposeConsent(consents: readonly ConsentFact[], purpose: TConsentPurpose): boolean {
  return consents.some((c) => c.purpose === purpose && c.status !== 'withdrawn');
}

/** The parts of the case the valid sharing consents allow to go to an agency. */
export function consentedScope(
  consents: readonly ConsentFact[],
  agency: { id: string; type: string },
): Set<TShareScope> {
  const out = new Set<TShareScope>();
  for (const c of consents) {
    if (c.purpose !== 'sharing' || c.status === 'withdrawn') continue;
    if (c.recipientAgencyId === agency.id || c.recipientAgencyType === agency.type) for (const s of c.scope) out.add(s);
  }
  return out;
}

/** The requested scope items that no consent covers (empty when the scope is within consent). */
export function scopeBeyondConsent(
  requested: readonly TShareScope[],
  consents: readonly ConsentFact[],
  agency: { id: string; type: string },
): TShareScope[] {
  const allowed = consentedScope(consents, agency);
  return requested.filter((s) => !allowed.has(s));
}
