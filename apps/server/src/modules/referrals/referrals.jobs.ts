import { REFERRAL_TRANSITIONS } from '@opennrm/domain';
import { appendAudit } from '../../audit/audit.service.ts';
import type { Queryable } from '../../db/client.ts';
import type { AppDeps } from '../../http/deps.ts';
import { agencyUsersWithRoles, notify, rolesWith, usersWithRole } from '../notifications/notifications.service.ts';
import { loadReferral, transitionReferral } from './referrals.repository.ts';

/** Job: half-way to the deadline, remind the receiving agency of a referral still unanswered. */
export async function remindReferral(deps: AppDeps, q: Queryable, id: string): Promise<void> {
  const r = await loadReferral(q, id, true);
  if (r?.state !== 'sent') return;
  await notify(q, deps.config, {
    userIds: await agencyUsersWithRoles(q, r.to_agency_id, rolesWith('referrals.respond')),
    kind: 'referral_reminder',
    caseNumber: r.case_number,
    purpose: r.purpose,
    referralId: id,
  });
  await appendAudit(q, { action: 'referral.remind', targetType: 'referral', targetId: id });
}

/**
 * Job: at the deadline, a referral still unanswered escalates to the receiving agency's supervisors
 * and to the national coordinators. `escalated_at` makes it idempotent; the job lock makes it run once.
 */
export async function escalateReferral(deps: AppDeps, q: Queryable, id: string): Promise<void> {
  const r = await loadReferral(q, id, true);
  if (r?.state !== 'sent' || r.escalated_at) return;
  const marked = await q.query(
    `update referrals set escalated_at = now() where id = $1 and escalated_at is null and state = 'sent' and due_at <= now() returning id`,
    [id],
  );
  if (!marked.length) return;
  const supervisors = await agencyUsersWithRoles(q, r.to_agency_id, ['supervisor']);
  const coordinators = await usersWithRole(q, 'coordinator');
  await notify(q, deps.config, {
    userIds: [...supervisors, ...coordinators],
    kind: 'referral_overdue',
    caseNumber: r.case_number,
    purpose: r.purpose,
    referralId: id,
  });
  await appendAudit(q, {
    action: 'referral.escalate',
    targetType: 'referral',
    targetId: id,
    details: { to: r.to_agency_id, recipients: supervisors.length + coordinators.length },
  });
}

/** Job: an unanswered referral expires; the sender hears of it. */
export async function expireReferral(deps: AppDeps, q: Queryable, id: string): Promise<void> {
  const r = await loadReferral(q, id, true);
  if (r?.state !== 'sent' || !r.expired_now) return;
  const t = REFERRAL_TRANSITIONS.expire;
  if (!(await transitionReferral(q, id, t.from, t.to, { closed: true }))) return;
  await notify(q, deps.config, {
    userIds: [r.sent_by],
    kind: 'referral_expired',
    caseNumber: r.case_number,
    purpose: r.purpose,
    referralId: id,
  });
  await appendAudit(q, {
    action: 'referral.expire',
    targetType: 'case',
    targetId: r.case_id,
    details: { referral: id },
  });
}
