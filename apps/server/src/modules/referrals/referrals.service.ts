import { randomUUID } from 'node:crypto';
import {
  consentPurposeFor,
  hasPurposeConsent,
  matrixAllows,
  REFERRAL_ACCESS_STATES,
  REFERRAL_TRANSITIONS,
  referralDeadlines,
  scopeBeyondConsent,
  SHARE_SCOPES,
  type TAgencyType,
  type TCoordinationReferral,
  type TNotificationKind,
  type TReferral,
  type TReferralAction,
  type TReferralCreate,
  type TRegion,
  yearsSpanned,
} from '@opennrm/domain';
import { appendAudit } from '../../audit/audit.service.ts';
import type { Actor, Ctx } from '../../http/context.ts';
import { type AppDeps, actorOf } from '../../http/deps.ts';
import { AppError, fieldError, notFound } from '../../http/errors.ts';
import { enqueueJob } from '../../jobs/jobs.repository.ts';
import { canSeeCase } from '../../policies/case.policy.ts';
import { loadCaseRow } from '../cases/cases.repository.ts';
import { consentFacts } from '../consents/consents.repository.ts';
import { agencyUsersWithRoles, notify, rolesWith } from '../notifications/notifications.service.ts';
import { getMatrix, getResponseRules, workingCalendar } from '../rules/rules.repository.ts';
import { openStatusTrack } from '../status/status.service.ts';
import {
  insertReferral,
  loadReferral,
  REFERRAL_SELECT,
  type ReferralRow,
  transitionReferral,
} from './referrals.repository.ts';

/** The actor's side of a referral: the sending agency (who can see the case), the receiver, or none. */
function sideOf(actor: Actor, r: ReferralRow): 'sender' | 'receiver' | null {
  if (
    r.from_agency_id === actor.agencyId &&
    canSeeCase(actor, { agency_id: r.case_agency_id, created_by: r.case_created_by })
  )
    return 'sender';
  if (r.to_agency_id === actor.agencyId && actor.permissions.has('referrals.respond')) return 'receiver';
  return null;
}

function abilities(actor: Actor, r: ReferralRow, side: 'sender' | 'receiver') {
  const can = (a: TReferralAction) => {
    const t = REFERRAL_TRANSITIONS[a];
    if (t.by !== side || !t.from.includes(r.state)) return false;
    if (a === 'accept' && r.expired_now) return false;
    return actor.permissions.has(side === 'sender' ? 'referrals.send' : 'referrals.respond');
  };
  return {
    accept: can('accept'),
    decline: can('decline'),
    start: can('start'),
    complete: can('complete'),
    cancel: can('cancel'),
    openCase: side === 'sender' || REFERRAL_ACCESS_STATES.includes(r.state),
  };
}

/**
 * A referral as the actor's side sees it. Before accepting, the receiver sees what it needs to
 * decide (purpose, urgency, age group, sex, language needs, region) — not the case id or number.
 */
function present(actor: Actor, r: ReferralRow, side: 'sender' | 'receiver'): TReferral {
  const ab = abilities(actor, r, side);
  return {
    id: r.id,
    caseId: ab.openCase ? r.case_id : null,
    caseNumber: ab.openCase ? r.case_number : null,
    from: { id: r.from_agency_id, name: r.from_name, type: r.from_type },
    to: { id: r.to_agency_id, name: r.to_name, type: r.to_type },
    purpose: r.purpose,
    urgency: r.urgency,
    scope: r.scope,
    state: r.state,
    declineReason: r.decline_reason as TReferral['declineReason'],
    info: {
      ageGroup: r.is_child ? 'child' : 'adult',
      sex: r.sex,
      languages: r.languages,
      interpreterNeeded: r.interpreter_needed,
      region: r.region as TRegion,
    },
    sentAt: r.sent_at,
    dueAt: r.due_at,
    expiresAt: r.expires_at,
    respondedAt: r.responded_at,
    escalatedAt: r.escalated_at,
    overdue: r.overdue,
    updatedAt: r.updated_at,
    abilities: ab,
  };
}

/** Sends a referral from the holding agency, checked against the NRM matrix, the directory and consent. */
export async function sendReferral(
  deps: AppDeps,
  ctx: Ctx,
  caseId: string,
  input: TReferralCreate,
): Promise<TReferral> {
  const actor = actorOf(ctx);
  const c = await loadCaseRow(ctx.q, caseId);
  if (!c || !canSeeCase(actor, c)) {
    ctx.auditDenied({ action: 'referral.send', targetType: 'case', targetId: caseId });
    throw notFound();
  }
  const [to] = await ctx.q.query<{
    id: string;
    type: TAgencyType;
    active: boolean;
    is_competent_authority: boolean;
    services: string[];
  }>('select id, type, active, is_competent_authority, services from agencies where id = $1', [input.toAgencyId]);
  if (!to) throw fieldError('toAgencyId', 'invalid_value');
  if (!to.active) throw fieldError('toAgencyId', 'agency_inactive');
  if (to.id === c.agency_id) throw fieldError('toAgencyId', 'same_agency');
  if (input.purpose === 'formal_identification' && !to.is_competent_authority)
    throw fieldError('toAgencyId', 'not_competent_authority');
  const [from] = await ctx.q.query<{ type: TAgencyType }>('select type from agencies where id = $1', [c.agency_id]);
  const matrix = (await getMatrix(ctx.q)).value;
  if (!matrixAllows(matrix, from!.type, to.type, input.purpose)) throw fieldError('toAgencyId', 'referral_not_allowed');
  if (input.purpose !== 'formal_identification' && !to.services.includes(input.purpose))
    throw fieldError('toAgencyId', 'service_not_offered');
  const facts = await consentFacts(ctx.q, caseId);
  if (!hasPurposeConsent(facts, consentPurposeFor(input.purpose))) throw fieldError('purpose', 'consent_missing');
  const scope = SHARE_SCOPES.filter((s) => input.scope.includes(s));
  const beyond = scopeBeyondConsent(scope, facts, to);
  if (beyond.length) throw fieldError('scope', 'scope_beyond_consent', { items: beyond.join(', ') });

  const sentAt = new Date();
  const rules = (await getResponseRules(ctx.q)).value;
  const cal = await workingCalendar(ctx.q, yearsSpanned(sentAt, deps.config.timeZone));
  const { dueAt, expiresAt } = referralDeadlines(sentAt, input.urgency, rules, cal, deps.config.timeZone);
  const id = randomUUID();
  try {
    await insertReferral(ctx.q, {
      id,
      caseId,
      fromAgencyId: c.agency_id,
      toAgencyId: to.id,
      sentBy: actor.userId,
      purpose: input.purpose,
      urgency: input.urgency,
      scope,
      sentAt,
      dueAt,
      expiresAt,
    });
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new AppError('conflict.duplicate_referral');
    throw err;
  }
  const payload = { referralId: id };
  await enqueueJob(ctx.q, 'referral.remind', payload, new Date((sentAt.getTime() + dueAt.getTime()) / 2));
  await enqueueJob(ctx.q, 'referral.escalate', payload, dueAt);
  await enqueueJob(ctx.q, 'referral.expire', payload, expiresAt);
  // A formal-identification referral opens the victim-status track (preliminary target, escalation).
  if (input.purpose === 'formal_identification')
    await openStatusTrack(deps, ctx.q, { caseId, referralId: id, agencyId: to.id, sentAt });
  await notify(ctx.q, deps.config, {
    userIds: await agencyUsersWithRoles(ctx.q, to.id, rolesWith('referrals.respond')),
    kind: 'referral_received',
    caseNumber: c.number,
    purpose: input.purpose,
    referralId: id,
  });
  await appendAudit(ctx.q, {
    actor,
    action: 'referral.send',
    targetType: 'case',
    targetId: caseId,
    ip: ctx.ip,
    details: { referral: id, to: to.id, purpose: input.purpose, urgency: input.urgency, scope: scope.join(',') },
  });
  return present(actor, (await loadReferral(ctx.q, id))!, 'sender');
}

/** A referral the actor is a party to (audited read), else 404. */
export async function readReferral(ctx: Ctx, id: string): Promise<TReferral> {
  const actor = actorOf(ctx);
  const r = await loadReferral(ctx.q, id);
  const side = r ? sideOf(actor, r) : null;
  if (!r || !side) {
    ctx.auditDenied({ action: 'referral.read', targetType: 'referral', targetId: id });
    throw notFound();
  }
  await appendAudit(ctx.q, { actor, action: 'referral.read', targetType: 'referral', targetId: id, ip: ctx.ip });
  return present(actor, r, side);
}

/** Incoming (to the actor's agency, for those who answer referrals) or outgoing referrals. */
export async function listReferrals(
  ctx: Ctx,
  f: { box: 'incoming' | 'outgoing'; state?: string | undefined; page: number; pageSize: number },
) {
  const actor = actorOf(ctx);
  const params: unknown[] = [actor.agencyId];
  const where: string[] = [];
  if (f.box === 'incoming') {
    if (!actor.permissions.has('referrals.respond')) return { items: [], total: 0, page: f.page, pageSize: f.pageSize };
    where.push('r.to_agency_id = $1');
  } else {
    where.push('r.from_agency_id = $1 and c.agency_id = $1');
    if (!actor.permissions.has('cases.read_agency')) where.push(`c.created_by = $${params.push(actor.userId)}`);
  }
  if (f.state) where.push(`r.state = $${params.push(f.state)}`);
  const sql = `${REFERRAL_SELECT} where ${where.join(' and ')}`;
  const [count] = await ctx.q.query<{ n: number }>(`select count(*)::int as n from (${sql}) x`, params);
  const rows = await ctx.q.query<ReferralRow>(
    `${sql} order by r.sent_at desc, r.id limit ${f.pageSize} offset ${(f.page - 1) * f.pageSize}`,
    params,
  );
  const side = f.box === 'incoming' ? 'receiver' : 'sender';
  return { items: rows.map((r) => present(actor, r, side)), total: count?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

/** Every referral of a case, for its holding agency. */
export async function caseReferrals(ctx: Ctx, caseId: string): Promise<TReferral[]> {
  const actor = actorOf(ctx);
  const c = await loadCaseRow(ctx.q, caseId);
  if (!c || !canSeeCase(actor, c)) throw notFound();
  const rows = await ctx.q.query<ReferralRow>(`${REFERRAL_SELECT} where r.case_id = $1 order by r.sent_at desc, r.id`, [
    caseId,
  ]);
  return rows.map((r) => present(actor, r, r.from_agency_id === actor.agencyId ? 'sender' : 'receiver'));
}

const NOTIFY_SENDER: Partial<Record<TReferralAction, TNotificationKind>> = {
  accept: 'referral_accepted',
  decline: 'referral_declined',
  complete: 'referral_completed',
};

/**
 * Takes a party's action on a referral. Not a party for this action (or not visible) → 404; the
 * action not allowed in the current state → 409. The state change, audit and notifications commit together.
 */
export async function actOnReferral(
  deps: AppDeps,
  ctx: Ctx,
  id: string,
  action: Exclude<TReferralAction, 'expire' | 'withdraw_consent'>,
  extra: { reason?: string } = {},
): Promise<TReferral> {
  const actor = actorOf(ctx);
  const t = REFERRAL_TRANSITIONS[action];
  const r = await loadReferral(ctx.q, id, true);
  if (!r || sideOf(actor, r) !== t.by) {
    ctx.auditDenied({ action: `referral.${action}`, targetType: 'referral', targetId: id });
    throw notFound();
  }
  if (!t.from.includes(r.state) || (action === 'accept' && r.expired_now)) throw new AppError('conflict.state');
  const ok = await transitionReferral(ctx.q, id, t.from, t.to, {
    ...(action === 'accept' || action === 'decline' ? { respondedBy: actor.userId } : {}),
    ...(extra.reason ? { declineReason: extra.reason } : {}),
    closed: ['declined', 'completed', 'cancelled'].includes(t.to),
  });
  if (!ok) throw new AppError('conflict.state');
  await appendAudit(ctx.q, {
    actor,
    action: `referral.${action}`,
    targetType: 'case',
    targetId: r.case_id,
    ip: ctx.ip,
    details: { referral: id, from: r.state, to: t.to, ...(extra.reason ? { reason: extra.reason } : {}) },
  });
  const kind = NOTIFY_SENDER[action];
  if (kind)
    await notify(ctx.q, deps.config, {
      userIds: [r.sent_by],
      kind,
      caseNumber: r.case_number,
      purpose: r.purpose,
      referralId: id,
    });
  if (action === 'cancel')
    await notify(ctx.q, deps.config, {
      userIds: await agencyUsersWithRoles(ctx.q, r.to_agency_id, rolesWith('referrals.respond')),
      kind: 'referral_cancelled',
      caseNumber: r.case_number,
      purpose: r.purpose,
      referralId: id,
    });
  return present(actor, (await loadReferral(ctx.q, id))!, t.by as 'sender' | 'receiver');
}

/** Every referral nationally, without case, person or identifier (national coordinator). */
export async function coordinationReferrals(
  ctx: Ctx,
  f: {
    state?: string | undefined;
    purpose?: string | undefined;
    overdue?: boolean | undefined;
    page: number;
    pageSize: number;
  },
) {
  const actor = actorOf(ctx);
  const params: unknown[] = [];
  const where: string[] = ['true'];
  if (f.state) where.push(`r.state = $${params.push(f.state)}`);
  if (f.purpose) where.push(`r.purpose = $${params.push(f.purpose)}`);
  const overdueSql =
    "((r.state = 'sent' and r.due_at < now()) or (r.responded_at is not null and r.responded_at > r.due_at))";
  if (f.overdue !== undefined) where.push(`${overdueSql} = $${params.push(f.overdue)}`);
  const from = `from referrals r join cases c on c.id = r.case_id join agencies fa on fa.id = r.from_agency_id
    join agencies ta on ta.id = r.to_agency_id where ${where.join(' and ')}`;
  const [count] = await ctx.q.query<{ n: number }>(`select count(*)::int as n ${from}`, params);
  const rows = await ctx.q.query<{
    id: string;
    from_id: string;
    from_name: string;
    from_type: TAgencyType;
    to_id: string;
    to_name: string;
    to_type: TAgencyType;
    purpose: TCoordinationReferral['purpose'];
    urgency: TCoordinationReferral['urgency'];
    state: TCoordinationReferral['state'];
    is_child: boolean;
    region: TRegion;
    sent_at: string;
    due_at: string;
    responded_at: string | null;
    waiting_hours: number;
    overdue: boolean;
    escalated: boolean;
  }>(
    `select r.id, fa.id as from_id, fa.name as from_name, fa.type as from_type, ta.id as to_id, ta.name as to_name, ta.type as to_type,
            r.purpose, r.urgency, r.state, c.is_child, c.encounter_region as region, r.sent_at, r.due_at, r.responded_at,
            round((extract(epoch from (coalesce(r.responded_at, now()) - r.sent_at)) / 3600)::numeric, 1)::float8 as waiting_hours,
            ${overdueSql} as overdue, r.escalated_at is not null as escalated
       ${from} order by r.sent_at desc, r.id limit ${f.pageSize} offset ${(f.page - 1) * f.pageSize}`,
    params,
  );
  await appendAudit(ctx.q, {
    actor,
    action: 'referral.coordination_read',
    targetType: 'referral',
    ip: ctx.ip,
    details: { results: count?.n ?? 0, page: f.page },
  });
  const items: TCoordinationReferral[] = rows.map((r) => ({
    id: r.id,
    fromAgency: { id: r.from_id, name: r.from_name, type: r.from_type },
    toAgency: { id: r.to_id, name: r.to_name, type: r.to_type },
    purpose: r.purpose,
    urgency: r.urgency,
    state: r.state,
    ageGroup: r.is_child ? 'child' : 'adult',
    region: r.region,
    sentAt: r.sent_at,
    dueAt: r.due_at,
    respondedAt: r.responded_at,
    waitingHours: Number(r.waiting_hours),
    overdue: r.overdue,
    escalated: r.escalated,
  }));
  return { items, total: count?.n ?? 0, page: f.page, pageSize: f.pageSize };
}
