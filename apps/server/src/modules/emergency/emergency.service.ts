import { randomUUID } from 'node:crypto';
import { EMERGENCY_ACCESS_HOURS, EMERGENCY_AGENCY_TYPES, type TEmergencyAccess } from '@opennrm/domain';
import { appendAudit } from '../../audit/audit.service.ts';
import { PersonCipher } from '../../crypto/person-crypto.ts';
import type { Ctx } from '../../http/context.ts';
import { type AppDeps, actorOf } from '../../http/deps.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { caseAccess, canSeeCase } from '../../policies/case.policy.ts';
import { loadCaseRow } from '../cases/cases.repository.ts';
import { agencyUsersWithRoles, notify } from '../notifications/notifications.service.ts';

interface GrantRow {
  id: string;
  case_id: string;
  user_id: string;
  user_name: string;
  agency_id: string;
  agency_name: string;
  reason_enc: string;
  granted_at: string;
  expires_at: string;
  active: boolean;
  review_outcome: 'justified' | 'not_justified' | null;
  reviewed_by: string | null;
  reviewer_name: string | null;
  reviewed_at: string | null;
  person_id: string;
  data_key: string;
  case_agency_id: string;
}

const SELECT = `select g.id, g.case_id, g.user_id, u.display_name as user_name, g.agency_id, a.name as agency_name, g.reason_enc,
       g.granted_at, g.expires_at, g.expires_at > now() as active, g.review_outcome, g.reviewed_by, r.display_name as reviewer_name,
       g.reviewed_at, p.id as person_id, p.data_key, c.agency_id as case_agency_id
  from emergency_access g join users u on u.id = g.user_id join agencies a on a.id = g.agency_id
  join cases c on c.id = g.case_id join persons p on p.id = c.person_id left join users r on r.id = g.reviewed_by`;

function present(deps: AppDeps, g: GrantRow): TEmergencyAccess {
  const cipher = PersonCipher.unwrap(deps.keys, g.person_id, g.data_key);
  return {
    id: g.id,
    caseId: g.case_id,
    user: { id: g.user_id, displayName: g.user_name },
    agency: { id: g.agency_id, name: g.agency_name },
    reason: cipher.decrypt<string>(`emergency.reason:${g.id}`, g.reason_enc),
    grantedAt: g.granted_at,
    expiresAt: g.expires_at,
    active: g.active,
    review:
      g.review_outcome && g.reviewed_by && g.reviewed_at
        ? {
            outcome: g.review_outcome,
            by: { id: g.reviewed_by, displayName: g.reviewer_name ?? '' },
            at: g.reviewed_at,
          }
        : null,
  };
}

/**
 * Opens a case in an emergency: a police, migration-police or health user who cannot otherwise see
 * it gives a written reason (encrypted under the person's key) and reads it for 4 hours. Audited
 * on the case; the holding agency's supervisors are asked to review.
 */
export async function openEmergencyAccess(deps: AppDeps, ctx: Ctx, caseId: string, reason: string) {
  const actor = actorOf(ctx);
  if (!EMERGENCY_AGENCY_TYPES.includes(actor.agencyType)) {
    ctx.auditDenied({ action: 'emergency.open', targetType: 'case', targetId: caseId });
    throw new AppError('forbidden');
  }
  const c = await loadCaseRow(ctx.q, caseId);
  if (!c) throw notFound();
  if (await caseAccess(ctx.q, actor, c)) throw new AppError('conflict.already_visible');
  const id = randomUUID();
  const cipher = PersonCipher.unwrap(deps.keys, c.person_id, c.data_key);
  await ctx.q.query(
    `insert into emergency_access (id, case_id, user_id, agency_id, reason_enc, expires_at)
     values ($1, $2, $3, $4, $5, now() + make_interval(hours => $6))`,
    [
      id,
      caseId,
      actor.userId,
      actor.agencyId,
      cipher.encrypt(`emergency.reason:${id}`, reason),
      EMERGENCY_ACCESS_HOURS,
    ],
  );
  await appendAudit(ctx.q, {
    actor,
    action: 'emergency.open',
    targetType: 'case',
    targetId: caseId,
    ip: ctx.ip,
    details: { grant: id, hours: EMERGENCY_ACCESS_HOURS },
  });
  await notify(ctx.q, deps.config, {
    userIds: await agencyUsersWithRoles(ctx.q, c.agency_id, ['supervisor']),
    kind: 'emergency_access_opened',
    caseNumber: c.number,
  });
  const [g] = await ctx.q.query<GrantRow>(`${SELECT} where g.id = $1`, [id]);
  return present(deps, g!);
}

/** Emergency accesses to a case, for its holding agency (visible on the case). */
export async function caseEmergencyAccess(deps: AppDeps, ctx: Ctx, caseId: string): Promise<TEmergencyAccess[]> {
  const c = await loadCaseRow(ctx.q, caseId);
  if (!c || !canSeeCase(actorOf(ctx), c)) throw notFound();
  const rows = await ctx.q.query<GrantRow>(`${SELECT} where g.case_id = $1 order by g.granted_at desc`, [caseId]);
  return rows.map((g) => present(deps, g));
}

/** Emergency accesses to the actor's agency's cases that no supervisor has reviewed yet. */
export async function pendingReviews(deps: AppDeps, ctx: Ctx): Promise<TEmergencyAccess[]> {
  const rows = await ctx.q.query<GrantRow>(
    `${SELECT} where c.agency_id = $1 and g.review_outcome is null order by g.granted_at`,
    [actorOf(ctx).agencyId],
  );
  return rows.map((g) => present(deps, g));
}

/** A supervisor of the holding agency reviews an emergency access, once. */
export async function reviewEmergencyAccess(
  deps: AppDeps,
  ctx: Ctx,
  id: string,
  outcome: 'justified' | 'not_justified',
): Promise<TEmergencyAccess> {
  const actor = actorOf(ctx);
  const [g] = await ctx.q.query<GrantRow>(`${SELECT} where g.id = $1 for update of g`, [id]);
  if (!g || g.case_agency_id !== actor.agencyId) {
    ctx.auditDenied({ action: 'emergency.review', targetType: 'emergency_access', targetId: id });
    throw notFound();
  }
  if (g.review_outcome) throw new AppError('conflict.already_reviewed');
  await ctx.q.query(
    'update emergency_access set review_outcome = $2, reviewed_by = $3, reviewed_at = now() where id = $1',
    [id, outcome, actor.userId],
  );
  await appendAudit(ctx.q, {
    actor,
    action: 'emergency.review',
    targetType: 'case',
    targetId: g.case_id,
    ip: ctx.ip,
    details: { grant: id, outcome },
  });
  const [updated] = await ctx.q.query<GrantRow>(`${SELECT} where g.id = $1`, [id]);
  return present(deps, updated!);
}
