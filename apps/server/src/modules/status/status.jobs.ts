import { dateInZone } from '@opennrm/domain';
import { appendAudit } from '../../audit/audit.service.ts';
import type { Queryable } from '../../db/client.ts';
import type { AppDeps } from '../../http/deps.ts';
import { agencyUsersWithRoles, notify, usersWithRole } from '../notifications/notifications.service.ts';

/**
 * Job: at the preliminary target, a case still without a preliminary decision escalates to the
 * deciding agency's supervisors and the national coordinators — unless the referral that opened the
 * track was declined, cancelled or expired. `escalated_at` makes it idempotent.
 */
export async function escalateDecision(deps: AppDeps, q: Queryable, trackId: string): Promise<void> {
  const [t] = await q.query<{
    case_id: string;
    agency_id: string;
    number: string;
    state: string;
    escalated_at: string | null;
  }>(
    `select t.case_id, t.agency_id, c.number, r.state, t.escalated_at from status_tracks t
       join cases c on c.id = t.case_id join referrals r on r.id = t.referral_id where t.id = $1 for update of t`,
    [trackId],
  );
  if (!t || t.escalated_at || ['declined', 'cancelled', 'expired'].includes(t.state)) return;
  const [decided] = await q.query("select 1 from status_decisions where case_id = $1 and kind = 'preliminary'", [
    t.case_id,
  ]);
  if (decided) return;
  const marked = await q.query(
    'update status_tracks set escalated_at = now() where id = $1 and escalated_at is null and preliminary_due_at <= now() returning id',
    [trackId],
  );
  if (!marked.length) return;
  const supervisors = await agencyUsersWithRoles(q, t.agency_id, ['supervisor']);
  const coordinators = await usersWithRole(q, 'coordinator');
  await notify(q, deps.config, {
    userIds: [...supervisors, ...coordinators],
    kind: 'decision_overdue',
    caseNumber: t.number,
  });
  await appendAudit(q, {
    action: 'decision.escalate',
    targetType: 'case',
    targetId: t.case_id,
    details: { track: trackId, to: t.agency_id, recipients: supervisors.length + coordinators.length },
  });
}

/**
 * Job: N days before the planned end of a recovery and reflection period, remind the holding agency
 * and the deciding agency. A period extended or ended since the job was queued is skipped (its new
 * end has its own reminders).
 */
export async function remindReflection(
  deps: AppDeps,
  q: Queryable,
  periodId: string,
  plannedEnd: string,
): Promise<void> {
  const [p] = await q.query<{ case_id: string; agency_id: string; holder: string; number: string }>(
    `select p.case_id, p.agency_id, c.agency_id as holder, c.number from reflection_periods p join cases c on c.id = p.case_id
      where p.id = $1 and p.ended_on is null and p.planned_end = $2::date and p.planned_end >= $3::date`,
    [periodId, plannedEnd, dateInZone(new Date(), deps.config.timeZone)],
  );
  if (!p) return;
  const users = [
    ...(await agencyUsersWithRoles(q, p.holder, ['case_worker', 'supervisor'])),
    ...(await agencyUsersWithRoles(q, p.agency_id, ['decision_maker', 'supervisor'])),
  ];
  await notify(q, deps.config, { userIds: users, kind: 'reflection_ending', caseNumber: p.number });
  await appendAudit(q, {
    action: 'reflection.remind',
    targetType: 'case',
    targetId: p.case_id,
    details: { period: periodId },
  });
}

/** Job: a requested review not decided by its target escalates to the deciding agency's supervisors and the coordinators. */
export async function escalateReview(deps: AppDeps, q: Queryable, reviewId: string): Promise<void> {
  const [r] = await q.query<{ case_id: string; agency_id: string; number: string }>(
    `select d.case_id, d.agency_id, c.number from decision_reviews r join status_decisions d on d.id = r.decision_id
       join cases c on c.id = d.case_id where r.id = $1 and r.decided_by is null and r.escalated_at is null for update of r`,
    [reviewId],
  );
  if (!r) return;
  await q.query('update decision_reviews set escalated_at = now() where id = $1', [reviewId]);
  const supervisors = await agencyUsersWithRoles(q, r.agency_id, ['supervisor']);
  const coordinators = await usersWithRole(q, 'coordinator');
  await notify(q, deps.config, {
    userIds: [...supervisors, ...coordinators],
    kind: 'review_overdue',
    caseNumber: r.number,
  });
  await appendAudit(q, {
    action: 'review.escalate',
    targetType: 'case',
    targetId: r.case_id,
    details: { review: reviewId },
  });
}
