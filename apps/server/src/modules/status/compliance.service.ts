import { dateInZone, daysBetween, localDate, MIN_REFLECTION_DAYS, type TComplianceReport } from '@opennrm/domain';
import { appendAudit } from '../../audit/audit.service.ts';
import type { Ctx } from '../../http/context.ts';
import { type AppDeps, actorOf } from '../../http/deps.ts';

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * The national coordinator's compliance report: aggregates only. Open reflection periods are listed
 * by deciding agency and end date — no case number, no person.
 */
export async function complianceReport(deps: AppDeps, ctx: Ctx): Promise<TComplianceReport> {
  const tz = deps.config.timeZone;
  const now = dateInZone(new Date(), tz);
  // The first track of each case (the identification referral) against its first preliminary decision.
  const prelim = await ctx.q.query<{ referred_at: string; due_at: string; decided_on: string | null; state: string }>(
    `select t.referred_at, t.preliminary_due_at as due_at, r.state,
            (select min(d.decided_on)::text from status_decisions d where d.case_id = t.case_id and d.kind = 'preliminary') as decided_on
       from status_tracks t join referrals r on r.id = t.referral_id
      where t.referred_at = (select min(t2.referred_at) from status_tracks t2 where t2.case_id = t.case_id)`,
  );
  const decided = prelim.filter((p) => p.decided_on);
  const days = decided.map((p) => daysBetween(localDate(new Date(p.referred_at), tz), p.decided_on!));
  // Due at 00:00 local of the day after the last working day: on time when decided before that day.
  const within = decided.filter((p) => p.decided_on! < localDate(new Date(p.due_at), tz)).length;
  const overdueUndecided = prelim.filter(
    (p) =>
      !p.decided_on && !['declined', 'cancelled', 'expired'].includes(p.state) && Date.parse(p.due_at) < Date.now(),
  ).length;
  const finals = await ctx.q.query<{ prelim: string; final: string }>(
    `select (select min(p.decided_on)::text from status_decisions p where p.case_id = f.case_id and p.kind = 'preliminary') as prelim,
            min(f.decided_on)::text as final
       from status_decisions f where f.kind = 'final' group by f.case_id`,
  );
  const open = await ctx.q.query<{ agency: string; planned_end: string }>(
    `select a.name as agency, p.planned_end::text as planned_end
       from reflection_periods p join agencies a on a.id = p.agency_id join cases c on c.id = p.case_id
       join persons pe on pe.id = c.person_id
      where p.ended_on is null and p.start_date <= $1::date and p.planned_end >= $1::date
        and not ($2 = any(pe.citizenships))
      order by p.planned_end, a.name`,
    [now, deps.config.country],
  );
  const [bad] = await ctx.q.query<{ short: number; unjustified: number }>(
    `select count(*) filter (where planned_end - start_date < $1)::int as short,
            count(*) filter (where ended_on is not null and ended_on < planned_end
                             and (end_reason is null or end_reason not in ('public_order', 'improper_claim')))::int as unjustified
       from reflection_periods`,
    [MIN_REFLECTION_DAYS],
  );
  const [reviews] = await ctx.q.query<{ n: number }>(
    'select count(*)::int as n from decision_reviews where decided_by is null and due_on < $1::date',
    [now],
  );
  await appendAudit(ctx.q, { actor: actorOf(ctx), action: 'compliance.read', targetType: 'report', ip: ctx.ip });
  return {
    preliminary: {
      referred: prelim.length,
      decided: decided.length,
      withinTarget: within,
      withinTargetPct: decided.length ? Math.round((1000 * within) / decided.length) / 10 : null,
      medianDays: median(days),
      overdueUndecided,
    },
    final: {
      decided: finals.length,
      medianDays: median(finals.filter((f) => f.prelim).map((f) => daysBetween(f.prelim, f.final))),
    },
    openReflection: open.map((o) => ({
      agency: o.agency,
      plannedEnd: o.planned_end,
      daysLeft: daysBetween(now, o.planned_end),
    })),
    reflectionBelowMinimum: bad?.short ?? 0,
    earlyEndsWithoutReason: bad?.unjustified ?? 0,
    overdueReviews: reviews?.n ?? 0,
    generatedAt: new Date().toISOString(),
  };
}
