import { randomUUID } from 'node:crypto';
import {
  consentPurposeFor,
  consentedScope,
  dateInZone,
  hasPurposeConsent,
  isChildForRules,
  nextReferralState,
  type TConsent,
  type TConsentCreate,
  type TReferralPurpose,
  type TReferralState,
  type TShareScope,
} from '@opennrm/domain';
import { appendAudit } from '../../audit/audit.service.ts';
import { PersonCipher } from '../../crypto/person-crypto.ts';
import type { Ctx } from '../../http/context.ts';
import { type AppDeps, actorOf } from '../../http/deps.ts';
import { AppError, fieldError, notFound } from '../../http/errors.ts';
import { canSeeCase } from '../../policies/case.policy.ts';
import { syncServiceWithReferral } from '../assistance/assistance.repository.ts';
import { type CaseRow, loadCaseRow } from '../cases/cases.repository.ts';
import type { TPersonPii } from '../cases/persons.repository.ts';
import { agencyUsersWithRoles, notify, rolesWith } from '../notifications/notifications.service.ts';
import * as repo from './consents.repository.ts';

/** The case if the actor holds it (consent is recorded and withdrawn by the holding agency only); else 404. */
async function heldCase(ctx: Ctx, caseId: string): Promise<CaseRow> {
  const row = await loadCaseRow(ctx.q, caseId);
  if (!row || !canSeeCase(actorOf(ctx), row)) {
    ctx.auditDenied({ action: 'consent.record', targetType: 'case', targetId: caseId });
    throw notFound();
  }
  return row;
}

export async function listCaseConsents(ctx: Ctx, caseId: string): Promise<TConsent[]> {
  await heldCase(ctx, caseId);
  return repo.listConsents(ctx.q, caseId);
}

/**
 * Records informed consent for one purpose. For a child (isChildForRules on the consent date) the
 * holding agency may instead note that consent is not required, with the guardian informed.
 */
export async function recordConsent(deps: AppDeps, ctx: Ctx, caseId: string, input: TConsentCreate): Promise<TConsent> {
  const actor = actorOf(ctx);
  const row = await heldCase(ctx, caseId);
  if (input.basis === 'not_required') {
    const cipher = PersonCipher.unwrap(deps.keys, row.person_id, row.data_key);
    const pii = cipher.decrypt<TPersonPii>('persons.pii', row.pii);
    const child = isChildForRules(
      { birthDate: pii.birthDate, ageUncertainPossiblyMinor: row.age_uncertain },
      input.date,
    );
    if (!child) throw fieldError('basis', 'not_required_only_for_children');
  }
  if (input.recipientAgencyId) {
    const [a] = await ctx.q.query('select 1 from agencies where id = $1', [input.recipientAgencyId]);
    if (!a) throw fieldError('recipientAgencyId', 'invalid_value');
  }
  const id = randomUUID();
  try {
    await ctx.q.query(
      `insert into consents (id, case_id, purpose, status, guardian_informed, recipient_agency_id, recipient_agency_type, scope,
         language, interpreter_used, interpreter_language, given_on, recorded_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        id,
        caseId,
        input.purpose,
        input.basis,
        input.guardianInformed,
        input.recipientAgencyId ?? null,
        input.recipientAgencyType ?? null,
        input.scope,
        input.language,
        input.interpreterUsed,
        input.interpreterLanguage ?? null,
        input.date,
        actor.userId,
      ],
    );
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw fieldError('purpose', 'consent_exists');
    throw err;
  }
  await appendAudit(ctx.q, {
    actor,
    action: 'consent.record',
    targetType: 'case',
    targetId: caseId,
    ip: ctx.ip,
    details: { consent: id, purpose: input.purpose, basis: input.basis, scope: input.scope.join(',') },
  });
  return (await repo.getConsent(ctx.q, id))!;
}

const PURPOSES_OF: Record<string, TReferralPurpose[]> = {
  referral_identification: ['formal_identification'],
  assistance: ['shelter', 'medical', 'psychological', 'legal_aid', 'interpretation', 'return', 'other_service'],
};

/**
 * Withdraws a consent. In the same transaction: referrals that rested on a withdrawn purpose end
 * (`consent_withdrawn`: the receiver loses the case at once), and referrals whose shared scope is
 * no longer covered by a sharing consent are narrowed to what still is. Audited, receivers notified.
 */
export async function withdrawConsent(
  deps: AppDeps,
  ctx: Ctx,
  consentId: string,
  date: string | undefined,
): Promise<TConsent> {
  const actor = actorOf(ctx);
  const consent = await repo.getConsent(ctx.q, consentId);
  if (!consent) throw notFound();
  const row = await heldCase(ctx, consent.caseId);
  const updated = await ctx.q.query(
    `update consents set status = 'withdrawn', withdrawn_on = $2, withdrawn_at = now(), withdrawn_by = $3
      where id = $1 and status <> 'withdrawn' returning id`,
    [consentId, date ?? dateInZone(new Date(), deps.config.timeZone), actor.userId],
  );
  if (!updated.length) throw new AppError('conflict.state');

  const facts = await repo.consentFacts(ctx.q, consent.caseId);
  const referrals = await ctx.q.query<{
    id: string;
    to_agency_id: string;
    to_type: string;
    purpose: TReferralPurpose;
    state: TReferralState;
    scope: TShareScope[];
  }>(
    `select r.id, r.to_agency_id, a.type as to_type, r.purpose, r.state, r.scope
       from referrals r join agencies a on a.id = r.to_agency_id
      where r.case_id = $1 and r.state in ('sent', 'accepted', 'in_progress', 'completed') for update of r`,
    [consent.caseId],
  );
  let ended = 0;
  let narrowed = 0;
  for (const r of referrals) {
    const affected: { kind: 'ended' | 'narrowed'; removed?: TShareScope[] } | null = (() => {
      if (
        (PURPOSES_OF[consent.purpose] ?? []).includes(r.purpose) &&
        !hasPurposeConsent(facts, consentPurposeFor(r.purpose))
      )
        return { kind: 'ended' };
      if (consent.purpose === 'sharing') {
        const allowed = consentedScope(facts, { id: r.to_agency_id, type: r.to_type });
        const removed = r.scope.filter((s) => !allowed.has(s));
        if (removed.length) return { kind: 'narrowed', removed };
      }
      return null;
    })();
    if (!affected) continue;
    if (affected.kind === 'ended') {
      const to = nextReferralState(r.state, 'withdraw_consent');
      if (!to) continue;
      await ctx.q.query('update referrals set state = $2, closed_at = now(), updated_at = now() where id = $1', [
        r.id,
        to,
      ]);
      await syncServiceWithReferral(ctx.q, r.id, to);
      ended += 1;
    } else {
      await ctx.q.query('update referrals set scope = $2, updated_at = now() where id = $1', [
        r.id,
        r.scope.filter((s) => !affected.removed!.includes(s)),
      ]);
      narrowed += 1;
    }
    await appendAudit(ctx.q, {
      actor,
      action: affected.kind === 'ended' ? 'referral.consent_withdrawn' : 'referral.scope_reduced',
      targetType: 'case',
      targetId: consent.caseId,
      ip: ctx.ip,
      details: { referral: r.id, consent: consentId, removed: affected.removed?.join(',') ?? null },
    });
    await notify(ctx.q, deps.config, {
      userIds: await agencyUsersWithRoles(ctx.q, r.to_agency_id, rolesWith('referrals.respond')),
      kind: 'referral_consent_withdrawn',
      caseNumber: row.number,
      purpose: r.purpose,
      referralId: r.id,
    });
  }
  await appendAudit(ctx.q, {
    actor,
    action: 'consent.withdraw',
    targetType: 'case',
    targetId: consent.caseId,
    ip: ctx.ip,
    details: { consent: consentId, purpose: consent.purpose, referralsEnded: ended, referralsNarrowed: narrowed },
  });
  return (await repo.getConsent(ctx.q, consentId))!;
}
