import { randomUUID } from 'node:crypto';
import {
  addCalendarDays,
  checkEnd,
  checkExtension,
  checkFinalTiming,
  dateInZone,
  daysBetween,
  htcdsDecisionOrg,
  htcdsStatus,
  isPositive,
  preliminaryDueAt,
  protectionStatus,
  REFERRAL_ACCESS_STATES,
  REMOVAL_AGENCY_TYPES,
  reflectionApplies,
  reflectionEnd,
  reviewProblem,
  startOfLocalDay,
  type TAgencyType,
  type TAuditAction,
  type TCaseStatus,
  type TDecision,
  type TDecisionInput,
  type TEarlyEndInput,
  type TProceeding,
  type TProceedingInput,
  type TProtectionStatus,
  type TReflectionExtend,
  type TReflectionPeriod,
  type TResidencePermitInput,
  type TReviewRequest,
  type TStatusRules,
  yearsSpanned,
  ZProceedingInput,
  ZResidencePermitInput,
} from '@opennrm/domain';
import { appendAudit } from '../../audit/audit.service.ts';
import { PersonCipher } from '../../crypto/person-crypto.ts';
import type { Queryable } from '../../db/client.ts';
import type { Actor, Ctx } from '../../http/context.ts';
import { type AppDeps, actorOf } from '../../http/deps.ts';
import { AppError, fieldError, notFound, stale } from '../../http/errors.ts';
import { enqueueJob } from '../../jobs/jobs.repository.ts';
import { caseAccess, PROCEEDINGS_SCOPE, reachesScope } from '../../policies/case.policy.ts';
import { type CaseRow, loadCaseRow } from '../cases/cases.repository.ts';
import { agencyUsersWithRoles, notify } from '../notifications/notifications.service.ts';
import { workingCalendar } from '../rules/rules.repository.ts';
import {
  caseDecisions,
  casePeriod,
  casePermits,
  caseTracks,
  type DecisionRow,
  getStatusRules,
  loadPeriod,
  PROCEEDING_SELECT,
  type PeriodRow,
  type ProceedingRow,
  saveStatusRules,
} from './status.repository.ts';

const ACCESS_STATES_SQL = REFERRAL_ACCESS_STATES.map((s) => `'${s}'`).join(', ');

const today = (deps: AppDeps) => dateInZone(new Date(), deps.config.timeZone);
const cipherOf = (deps: AppDeps, c: CaseRow) => PersonCipher.unwrap(deps.keys, c.person_id, c.data_key);

/**
 * May the actor take status decisions on the case? Only a decision maker (`decisions.take`) of an
 * agency that is a competent authority, on a case that agency holds or received through an
 * accepted formal-identification referral.
 */
export async function hasDecisionAuthority(q: Queryable, actor: Actor, c: { id: string; agency_id: string }) {
  if (!actor.permissions.has('decisions.take')) return false;
  const [a] = await q.query<{ ok: boolean }>(
    'select (is_competent_authority and active) as ok from agencies where id = $1',
    [actor.agencyId],
  );
  if (!a?.ok) return false;
  if (c.agency_id === actor.agencyId) return true;
  const [r] = await q.query(
    `select 1 from referrals where case_id = $1 and to_agency_id = $2 and purpose = 'formal_identification'
        and state in (${ACCESS_STATES_SQL}) limit 1`,
    [c.id, actor.agencyId],
  );
  return !!r;
}

/** A case the actor may read (any ground), else 404 (audited as denied). */
async function readable(ctx: Ctx, caseId: string, action: TAuditAction) {
  const c = await loadCaseRow(ctx.q, caseId);
  const access = c ? await caseAccess(ctx.q, actorOf(ctx), c) : null;
  if (!c || !access) {
    ctx.auditDenied({ action, targetType: 'case', targetId: caseId });
    throw notFound();
  }
  return { c, access };
}

/** A case the actor may decide on: 404 when they cannot see it, 403 when they see it but may not decide. */
async function decidable(ctx: Ctx, caseId: string, action: TAuditAction): Promise<CaseRow> {
  const actor = actorOf(ctx);
  const { c } = await readable(ctx, caseId, action);
  if (!(await hasDecisionAuthority(ctx.q, actor, c))) {
    ctx.auditDenied({ action, targetType: 'case', targetId: caseId });
    throw new AppError('decision.not_competent');
  }
  return c;
}

/** The holder, or an agency working on the case through an accepted referral (not emergency access). */
async function workable(ctx: Ctx, caseId: string, action: TAuditAction) {
  const r = await readable(ctx, caseId, action);
  if (r.access.kind === 'emergency') {
    ctx.auditDenied({ action, targetType: 'case', targetId: caseId });
    throw new AppError('forbidden');
  }
  return r;
}

/**
 * A case whose criminal proceedings the actor works with: `workable`, and for a referral receiver
 * only when its referrals share PROCEEDINGS_SCOPE — else the proceedings (register numbers
 * included) do not exist for it: 404, audited as denied.
 */
async function proceedingsOf(ctx: Ctx, caseId: string, action: TAuditAction) {
  const r = await workable(ctx, caseId, action);
  if (!reachesScope(r.access, PROCEEDINGS_SCOPE)) {
    ctx.auditDenied({ action, targetType: 'case', targetId: caseId });
    throw notFound();
  }
  return r;
}

// --- The track a formal-identification referral opens ---------------------------------------------

/**
 * Called in the transaction that sends a formal-identification referral to a competent authority:
 * records the preliminary target (working days from the referral, data) and queues its escalation.
 */
export async function openStatusTrack(
  deps: AppDeps,
  q: Queryable,
  t: { caseId: string; referralId: string; agencyId: string; sentAt: Date },
): Promise<void> {
  const rules = (await getStatusRules(q)).value;
  const cal = await workingCalendar(q, yearsSpanned(t.sentAt, deps.config.timeZone));
  const due = preliminaryDueAt(t.sentAt, rules, cal, deps.config.timeZone);
  const id = randomUUID();
  await q.query(
    `insert into status_tracks (id, case_id, referral_id, agency_id, referred_at, preliminary_due_at)
     values ($1, $2, $3, $4, $5, $6)`,
    [id, t.caseId, t.referralId, t.agencyId, t.sentAt.toISOString(), due.toISOString()],
  );
  await enqueueJob(q, 'decision.escalate', { trackId: id }, due);
}

// --- Reading the status ---------------------------------------------------------------------------

function presentDecision(deps: AppDeps, c: CaseRow, d: DecisionRow, seeReasons: boolean, now: string): TDecision {
  return {
    id: d.id,
    kind: d.kind,
    outcome: d.outcome,
    reasons: seeReasons ? cipherOf(deps, c).decrypt<string>(`decision.reasons:${d.id}`, d.reasons_enc) : '',
    legalBasis: d.legal_basis,
    decidedOn: d.decided_on,
    requestedByPerson: d.requested_by_person,
    decidedBy: { id: d.decided_by, displayName: d.decided_by_name },
    agency: { id: d.agency_id, name: d.agency_name, type: d.agency_type },
    reviewOf: d.review_of,
    review:
      d.review_id && d.review_requested_on && d.review_due_on
        ? {
            id: d.review_id,
            requestedOn: d.review_requested_on,
            dueOn: d.review_due_on,
            decidedBy: d.review_decided_by,
            overdue: !d.review_decided_by && d.review_due_on < now,
          }
        : null,
    createdAt: d.created_at,
  };
}

function presentPeriod(deps: AppDeps, c: CaseRow, p: PeriodRow, now: string, seeReasons: boolean): TReflectionPeriod {
  return {
    id: p.id,
    startDate: p.start_date,
    plannedEnd: p.planned_end,
    days: daysBetween(p.start_date, p.planned_end),
    endedOn: p.ended_on,
    endReason: p.end_reason,
    endJustification:
      seeReasons && p.end_justification_enc
        ? cipherOf(deps, c).decrypt<string>(`reflection.justification:${p.id}`, p.end_justification_enc)
        : null,
    running: !p.ended_on && p.start_date <= now && now <= p.planned_end,
    extensions: p.extensions,
    version: p.version,
  };
}

async function protectionOf(q: Queryable, caseId: string, now: string): Promise<TProtectionStatus> {
  const decisions = await caseDecisions(q, caseId);
  const p = await casePeriod(q, caseId);
  const permits = await casePermits(q, caseId);
  return protectionStatus(
    decisions,
    p ? { startDate: p.start_date, plannedEnd: p.planned_end, endedOn: p.ended_on } : null,
    permits.map((x) => ({ event: x.event, validUntil: x.valid_until })),
    now,
  );
}

/** The status of a case for anyone who may read it; reasons only for the holder and the deciding authority. */
export async function readStatus(deps: AppDeps, ctx: Ctx, caseId: string): Promise<TCaseStatus> {
  const actor = actorOf(ctx);
  const { c, access } = await readable(ctx, caseId, 'status.read');
  const now = today(deps);
  const authority = await hasDecisionAuthority(ctx.q, actor, c);
  const seeReasons = access.kind !== 'referral' || authority;
  const decisions = await caseDecisions(ctx.q, caseId);
  const period = await casePeriod(ctx.q, caseId);
  const permits = await casePermits(ctx.q, caseId);
  const tracks = await caseTracks(ctx.q, caseId);
  const track = tracks.find((t) => !['declined', 'cancelled', 'expired'].includes(t.referral_state)) ?? null;
  const preliminaryDecided = decisions.some((d) => d.kind === 'preliminary');
  const [row] = await ctx.q.query<{
    trafficking_status: TCaseStatus['traffickingStatus'];
    status_decision_org: string | null;
  }>('select trafficking_status, status_decision_org from cases where id = $1', [caseId]);
  const work = access.kind !== 'emergency' && actor.permissions.has('cases.update');
  await appendAudit(ctx.q, { actor, action: 'status.read', targetType: 'case', targetId: caseId, ip: ctx.ip });
  return {
    caseId,
    caseNumber: c.number,
    traffickingStatus: row!.trafficking_status,
    decisionOrg: row!.status_decision_org,
    stage: c.stage,
    foreignNational: !c.citizenships.includes(deps.config.country),
    track: track
      ? {
          agency: { id: track.agency_id, name: track.agency_name },
          referredAt: track.referred_at,
          preliminaryDueAt: track.preliminary_due_at,
          preliminaryDecided,
          overdue: !preliminaryDecided && Date.parse(track.preliminary_due_at) < Date.now(),
        }
      : null,
    decisions: decisions.map((d) => presentDecision(deps, c, d, seeReasons, now)),
    reflection: period ? presentPeriod(deps, c, period, now, seeReasons) : null,
    protection: protectionStatus(
      decisions,
      period ? { startDate: period.start_date, plannedEnd: period.planned_end, endedOn: period.ended_on } : null,
      permits.map((x) => ({ event: x.event, validUntil: x.valid_until })),
      now,
    ),
    residencePermits: permits.map((p) => ({
      id: p.id,
      event: p.event,
      date: p.event_date,
      validUntil: p.valid_until,
      recordedAt: p.created_at,
    })),
    abilities: {
      decide: authority,
      requestReview: work && decisions.some((d) => !isPositive(d.outcome) && !d.review_id),
      managePeriod: authority && !!period && !period.ended_on,
      recordPermit: work,
      proceedings: work && reachesScope(access, PROCEEDINGS_SCOPE),
    },
  };
}

// --- Decisions ------------------------------------------------------------------------------------

async function recomputeCase(q: Queryable, caseId: string): Promise<void> {
  const decisions = await caseDecisions(q, caseId);
  const latest = decisions[decisions.length - 1];
  await q.query(
    'update cases set trafficking_status = $2, status_decision_org = $3, updated_at = now() where id = $1',
    [caseId, htcdsStatus(decisions), latest ? htcdsDecisionOrg(latest.agency_type as TAgencyType) : null],
  );
  if (latest && isPositive(latest.outcome)) {
    const stage = latest.kind === 'final' ? 'identified' : 'presumed_victim';
    const earlier =
      latest.kind === 'final'
        ? ['encounter', 'screened', 'referred', 'presumed_victim']
        : ['encounter', 'screened', 'referred'];
    await q.query('update cases set stage = $2 where id = $1 and stage = any($3::text[])', [caseId, stage, earlier]);
  }
}

/** Queues the reminders of a period's planned end (the job checks the end is still the same). */
async function queueReminders(deps: AppDeps, q: Queryable, p: { id: string; plannedEnd: string }, rules: TStatusRules) {
  for (const n of new Set(rules.reflectionReminderDays)) {
    const day = addCalendarDays(p.plannedEnd, -n);
    const at = new Date(startOfLocalDay(day, deps.config.timeZone).getTime() + 9 * 3_600_000);
    await enqueueJob(q, 'reflection.remind', { periodId: p.id, plannedEnd: p.plannedEnd }, at);
  }
}

/** Opens the recovery and reflection period on a positive preliminary decision, when it applies. */
async function openReflection(deps: AppDeps, ctx: Ctx, c: CaseRow, decisionId: string, start: string) {
  const rules = (await getStatusRules(ctx.q)).value;
  if (!reflectionApplies(c.citizenships, deps.config.country, rules.reflectionForCitizens)) return;
  if (await casePeriod(ctx.q, c.id)) return;
  const id = randomUUID();
  const plannedEnd = reflectionEnd(start, rules.reflectionDays);
  await ctx.q.query(
    `insert into reflection_periods (id, case_id, decision_id, agency_id, start_date, planned_end)
     values ($1, $2, $3, $4, $5, $6)`,
    [id, c.id, decisionId, actorOf(ctx).agencyId, start, plannedEnd],
  );
  await queueReminders(deps, ctx.q, { id, plannedEnd }, rules);
  await appendAudit(ctx.q, {
    actor: actorOf(ctx),
    action: 'reflection.open',
    targetType: 'case',
    targetId: c.id,
    ip: ctx.ip,
    details: { period: id, days: rules.reflectionDays },
  });
}

/**
 * Takes a status decision (or, with `reviewOf`, the review of a negative one). Never asks for a
 * criminal case, testimony or cooperation: the input has no such field (CoE art. 12(6)).
 * Decision, HTCDS status, stage, period, jobs, audit and notifications commit together.
 */
export async function takeDecision(
  deps: AppDeps,
  ctx: Ctx,
  caseId: string,
  input: TDecisionInput,
  reviewOf: string | null = null,
): Promise<TCaseStatus> {
  const actor = actorOf(ctx);
  const c = await decidable(ctx, caseId, 'decision.take');
  await ctx.q.query('select id from cases where id = $1 for update', [caseId]);
  const now = today(deps);
  if (input.decidedOn > now) throw fieldError('decidedOn', 'future_date');
  const decisions = await caseDecisions(ctx.q, caseId);
  const period = await casePeriod(ctx.q, caseId);
  let review: { id: string; requested_on: string } | undefined;
  if (reviewOf) {
    const reviewed = decisions.find((d) => d.id === reviewOf);
    if (!reviewed) throw notFound();
    [review] = await ctx.q.query<{ id: string; requested_on: string }>(
      'select id, requested_on::text as requested_on from decision_reviews where decision_id = $1 and decided_by is null for update',
      [reviewOf],
    );
    if (!review) throw new AppError('conflict.decision_order');
    const problem = reviewProblem(
      { outcome: reviewed.outcome, decidedOn: reviewed.decided_on, decidedBy: reviewed.decided_by },
      review.requested_on,
      actor.userId,
    );
    if (problem === 'same_decision_maker') {
      ctx.auditDenied({ action: 'decision.take', targetType: 'case', targetId: caseId });
      throw new AppError('decision.own_review');
    }
    if (problem) throw new AppError('conflict.decision_order');
    if (reviewed.kind !== input.kind) throw fieldError('kind', 'invalid_value');
    if (input.decidedOn < reviewed.decided_on) throw fieldError('decidedOn', 'before_start');
  } else if (input.kind === 'preliminary') {
    if (decisions.some((d) => d.kind === 'preliminary')) throw new AppError('conflict.decision_order');
  } else {
    const prelim = decisions.filter((d) => d.kind === 'preliminary').pop();
    if (!prelim || !isPositive(prelim.outcome) || decisions.some((d) => d.kind === 'final'))
      throw new AppError('conflict.decision_order');
    if (input.decidedOn < prelim.decided_on) throw fieldError('decidedOn', 'before_start');
  }
  if (input.kind === 'final') {
    const runningEnd = period && !(period.ended_on && period.ended_on < period.planned_end) ? period.planned_end : null;
    if (checkFinalTiming(input.decidedOn, runningEnd, input.requestedByPerson))
      throw fieldError('requestedByPerson', 'final_before_reflection_end', { date: runningEnd ?? '' });
  }
  const id = randomUUID();
  await ctx.q.query(
    `insert into status_decisions (id, case_id, kind, outcome, reasons_enc, legal_basis, decided_on, decided_by, agency_id,
       requested_by_person, review_of)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      id,
      caseId,
      input.kind,
      input.outcome,
      cipherOf(deps, c).encrypt(`decision.reasons:${id}`, input.reasons),
      input.legalBasis,
      input.decidedOn,
      actor.userId,
      actor.agencyId,
      input.kind === 'final' ? input.requestedByPerson : false,
      reviewOf,
    ],
  );
  if (review)
    await ctx.q.query('update decision_reviews set decided_by = $2, result_decision_id = $3 where id = $1', [
      review.id,
      actor.userId,
      id,
    ]);
  await recomputeCase(ctx.q, caseId);
  await appendAudit(ctx.q, {
    actor,
    action: 'decision.take',
    targetType: 'case',
    targetId: caseId,
    ip: ctx.ip,
    details: { decision: id, kind: input.kind, review: reviewOf ? 'yes' : 'no' },
  });
  if (input.kind === 'preliminary' && isPositive(input.outcome))
    await openReflection(deps, ctx, c, id, input.decidedOn);
  if (c.agency_id !== actor.agencyId)
    await notify(ctx.q, deps.config, {
      userIds: [
        ...(await agencyUsersWithRoles(ctx.q, c.agency_id, ['supervisor'])),
        ...(await ctx.q.query<{ id: string }>('select id from users where id = $1 and active', [c.created_by])).map(
          (u) => u.id,
        ),
      ],
      kind: 'decision_taken',
      caseNumber: c.number,
    });
  return readStatus(deps, ctx, caseId);
}

/** Records that the person asks for a review of a negative decision (within 30 days of it). */
export async function requestReview(deps: AppDeps, ctx: Ctx, decisionId: string, input: TReviewRequest) {
  const actor = actorOf(ctx);
  const [d] = await ctx.q.query<{
    case_id: string;
    outcome: DecisionRow['outcome'];
    decided_on: string;
    decided_by: string;
    agency_id: string;
  }>(
    'select case_id, outcome, decided_on::text as decided_on, decided_by, agency_id from status_decisions where id = $1 for update',
    [decisionId],
  );
  if (!d) throw notFound();
  const { c } = await workable(ctx, d.case_id, 'review.request');
  if (input.requestedOn > today(deps)) throw fieldError('requestedOn', 'future_date');
  if (input.requestedOn < d.decided_on) throw fieldError('requestedOn', 'before_start');
  const problem = reviewProblem(
    { outcome: d.outcome, decidedOn: d.decided_on, decidedBy: d.decided_by },
    input.requestedOn,
    '',
  );
  if (problem === 'not_negative') throw new AppError('conflict.decision_order');
  if (problem === 'window_closed') throw fieldError('requestedOn', 'window_closed', { days: 30 });
  const [existing] = await ctx.q.query('select 1 from decision_reviews where decision_id = $1', [decisionId]);
  if (existing) throw new AppError('conflict.review_pending');
  const rules = (await getStatusRules(ctx.q)).value;
  const id = randomUUID();
  const dueOn = addCalendarDays(input.requestedOn, rules.reviewDueDays);
  await ctx.q.query(
    'insert into decision_reviews (id, decision_id, requested_on, requested_by, due_on) values ($1, $2, $3, $4, $5)',
    [id, decisionId, input.requestedOn, actor.userId, dueOn],
  );
  await enqueueJob(
    ctx.q,
    'review.escalate',
    { reviewId: id },
    startOfLocalDay(addCalendarDays(dueOn, 1), deps.config.timeZone),
  );
  await appendAudit(ctx.q, {
    actor,
    action: 'review.request',
    targetType: 'case',
    targetId: d.case_id,
    ip: ctx.ip,
    details: { decision: decisionId, review: id },
  });
  await notify(ctx.q, deps.config, {
    userIds: await agencyUsersWithRoles(ctx.q, d.agency_id, ['decision_maker', 'supervisor']),
    kind: 'review_requested',
    caseNumber: c.number,
  });
  return readStatus(deps, ctx, d.case_id);
}

/** The review decision of a negative decision: by a different decision maker, same kind. */
export async function reviewDecision(deps: AppDeps, ctx: Ctx, decisionId: string, input: TDecisionInput) {
  const [d] = await ctx.q.query<{ case_id: string }>('select case_id from status_decisions where id = $1', [
    decisionId,
  ]);
  if (!d) {
    ctx.auditDenied({ action: 'decision.take', targetType: 'decision', targetId: decisionId });
    throw notFound();
  }
  return takeDecision(deps, ctx, d.case_id, input, decisionId);
}

// --- The recovery and reflection period -----------------------------------------------------------

async function periodForChange(ctx: Ctx, periodId: string, action: TAuditAction, version: number) {
  const p = await loadPeriod(ctx.q, periodId, true);
  if (!p) {
    ctx.auditDenied({ action, targetType: 'reflection_period', targetId: periodId });
    throw notFound();
  }
  const c = await decidable(ctx, p.case_id, action);
  if (p.ended_on) throw new AppError('conflict.state');
  if (p.version !== version) throw stale();
  return { p, c };
}

/** Extends the period: the new end must be later (so the period only ever grows past 30 days). */
export async function extendReflection(deps: AppDeps, ctx: Ctx, periodId: string, input: TReflectionExtend) {
  const actor = actorOf(ctx);
  const { p } = await periodForChange(ctx, periodId, 'reflection.extend', input.version);
  if (checkExtension(p.planned_end, input.plannedEnd)) throw fieldError('plannedEnd', 'not_after_current_end');
  await ctx.q.query(
    `update reflection_periods set planned_end = $2, extensions = extensions + 1, version = version + 1, updated_at = now()
      where id = $1`,
    [periodId, input.plannedEnd],
  );
  await queueReminders(
    deps,
    ctx.q,
    { id: periodId, plannedEnd: input.plannedEnd },
    (await getStatusRules(ctx.q)).value,
  );
  await appendAudit(ctx.q, {
    actor,
    action: 'reflection.extend',
    targetType: 'case',
    targetId: p.case_id,
    ip: ctx.ip,
    details: { period: periodId, days: daysBetween(p.start_date, input.plannedEnd) },
  });
  return readStatus(deps, ctx, p.case_id);
}

/**
 * Ends the period before its planned end: only for public order or an improper claim (art. 13(3)),
 * by a decision maker, with a written justification (encrypted under the person's key).
 */
export async function endReflectionEarly(deps: AppDeps, ctx: Ctx, periodId: string, input: TEarlyEndInput) {
  const actor = actorOf(ctx);
  const { p, c } = await periodForChange(ctx, periodId, 'reflection.end_early', input.version);
  if (input.endedOn < p.start_date) throw fieldError('endedOn', 'before_start');
  if (input.endedOn >= p.planned_end) throw fieldError('endedOn', 'not_early');
  if (input.endedOn > today(deps)) throw fieldError('endedOn', 'future_date');
  if (checkEnd({ start: p.start_date, plannedEnd: p.planned_end }, input.endedOn, input.reason))
    throw fieldError('reason', 'early_end_reason_required');
  await ctx.q.query(
    `update reflection_periods set ended_on = $2, end_reason = $3, end_justification_enc = $4, ended_by = $5,
            version = version + 1, updated_at = now() where id = $1`,
    [
      periodId,
      input.endedOn,
      input.reason,
      cipherOf(deps, c).encrypt(`reflection.justification:${periodId}`, input.justification),
      actor.userId,
    ],
  );
  await appendAudit(ctx.q, {
    actor,
    action: 'reflection.end_early',
    targetType: 'case',
    targetId: p.case_id,
    ip: ctx.ip,
    details: { period: periodId, reason: input.reason },
  });
  return readStatus(deps, ctx, p.case_id);
}

// --- Residence permit track (art. 14) ---------------------------------------------------------------

export async function recordResidencePermit(deps: AppDeps, ctx: Ctx, caseId: string, raw: TResidencePermitInput) {
  const actor = actorOf(ctx);
  const input = ZResidencePermitInput.parse(raw);
  await workable(ctx, caseId, 'residence_permit.record');
  if (input.date > today(deps)) throw fieldError('date', 'future_date');
  const id = randomUUID();
  await ctx.q.query(
    'insert into residence_permits (id, case_id, event, event_date, valid_until, recorded_by) values ($1, $2, $3, $4, $5, $6)',
    [id, caseId, input.event, input.date, input.validUntil, actor.userId],
  );
  await appendAudit(ctx.q, {
    actor,
    action: 'residence_permit.record',
    targetType: 'case',
    targetId: caseId,
    ip: ctx.ip,
    details: { permit: id, event: input.event },
  });
  return readStatus(deps, ctx, caseId);
}

// --- Criminal proceedings (linked, never required) ---------------------------------------------------

function presentProceeding(deps: AppDeps, c: CaseRow, r: ProceedingRow): TProceeding {
  return {
    id: r.id,
    registerNumber: cipherOf(deps, c).decrypt<string>(`proceedings.register:${r.id}`, r.register_number_enc),
    article: r.article,
    stage: r.stage as TProceeding['stage'],
    proceduralRole: r.procedural_role as TProceeding['proceduralRole'],
    protectionMeasures: r.protection_measures as TProceeding['protectionMeasures'],
    nonPunishmentRequested: r.non_punishment_requested,
    compensationClaimed: r.compensation_claimed,
    compensationAmountKzt: r.compensation_amount_kzt === null ? null : Number(r.compensation_amount_kzt),
    version: r.version,
    updatedAt: r.updated_at,
  };
}

export async function listProceedings(deps: AppDeps, ctx: Ctx, caseId: string): Promise<TProceeding[]> {
  const { c } = await proceedingsOf(ctx, caseId, 'case.read');
  const rows = await ctx.q.query<ProceedingRow>(`${PROCEEDING_SELECT} where case_id = $1 order by created_at, id`, [
    caseId,
  ]);
  return rows.map((r) => presentProceeding(deps, c, r));
}

async function checkArticle(ctx: Ctx, article: string) {
  const rules = (await getStatusRules(ctx.q)).value;
  if (!rules.criminalCodeArticles.includes(article)) throw fieldError('article', 'article_unknown');
}

export async function createProceeding(deps: AppDeps, ctx: Ctx, caseId: string, raw: TProceedingInput) {
  const actor = actorOf(ctx);
  const input = ZProceedingInput.parse(raw);
  const { c } = await proceedingsOf(ctx, caseId, 'proceedings.create');
  await checkArticle(ctx, input.article);
  const id = randomUUID();
  await ctx.q.query(
    `insert into criminal_proceedings (id, case_id, register_number_enc, article, stage, procedural_role, protection_measures,
       non_punishment_requested, compensation_claimed, compensation_amount_kzt, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      id,
      caseId,
      cipherOf(deps, c).encrypt(`proceedings.register:${id}`, input.registerNumber),
      input.article,
      input.stage,
      input.proceduralRole,
      input.protectionMeasures,
      input.nonPunishmentRequested,
      input.compensationClaimed,
      input.compensationAmountKzt,
      actor.userId,
    ],
  );
  await appendAudit(ctx.q, {
    actor,
    action: 'proceedings.create',
    targetType: 'case',
    targetId: caseId,
    ip: ctx.ip,
    details: { proceeding: id },
  });
  const [row] = await ctx.q.query<ProceedingRow>(`${PROCEEDING_SELECT} where id = $1`, [id]);
  return presentProceeding(deps, c, row!);
}

export async function updateProceeding(
  deps: AppDeps,
  ctx: Ctx,
  id: string,
  raw: TProceedingInput & { version: number },
) {
  const actor = actorOf(ctx);
  const input = ZProceedingInput.parse(raw);
  const [existing] = await ctx.q.query<ProceedingRow>(`${PROCEEDING_SELECT} where id = $1 for update`, [id]);
  if (!existing) {
    ctx.auditDenied({ action: 'proceedings.update', targetType: 'proceeding', targetId: id });
    throw notFound();
  }
  const { c } = await proceedingsOf(ctx, existing.case_id, 'proceedings.update');
  if (existing.version !== raw.version) throw stale();
  await checkArticle(ctx, input.article);
  await ctx.q.query(
    `update criminal_proceedings set register_number_enc = $2, article = $3, stage = $4, procedural_role = $5,
            protection_measures = $6, non_punishment_requested = $7, compensation_claimed = $8, compensation_amount_kzt = $9,
            version = version + 1, updated_at = now() where id = $1`,
    [
      id,
      cipherOf(deps, c).encrypt(`proceedings.register:${id}`, input.registerNumber),
      input.article,
      input.stage,
      input.proceduralRole,
      input.protectionMeasures,
      input.nonPunishmentRequested,
      input.compensationClaimed,
      input.compensationAmountKzt,
    ],
  );
  await appendAudit(ctx.q, {
    actor,
    action: 'proceedings.update',
    targetType: 'case',
    targetId: existing.case_id,
    ip: ctx.ip,
    details: { proceeding: id },
  });
  const [row] = await ctx.q.query<ProceedingRow>(`${PROCEEDING_SELECT} where id = $1`, [id]);
  return presentProceeding(deps, c, row!);
}

// --- Migration service: protection lookup -------------------------------------------------------------

/**
 * Removal authorities (migration police, border service, police) look up a case number — the number on
 * the certificate the person carries — and learn only whether removal is barred, and until when. An
 * unknown number and an unprotected case answer alike, so the lookup reveals nothing else.
 */
export async function lookupProtection(deps: AppDeps, ctx: Ctx, caseNumber: string): Promise<TProtectionStatus> {
  const actor = actorOf(ctx);
  if (!REMOVAL_AGENCY_TYPES.includes(actor.agencyType)) {
    ctx.auditDenied({ action: 'protection.lookup', targetType: 'case' });
    throw new AppError('forbidden');
  }
  const [c] = await ctx.q.query<{ id: string }>('select id from cases where number = $1', [caseNumber.toUpperCase()]);
  const status = c ? await protectionOf(ctx.q, c.id, today(deps)) : { protected: false, until: null };
  await appendAudit(ctx.q, {
    actor,
    action: 'protection.lookup',
    targetType: 'case',
    ...(c ? { targetId: c.id } : {}),
    ip: ctx.ip,
    details: { found: c ? 'yes' : 'no', protected: status.protected ? 'yes' : 'no' },
  });
  return status;
}

// --- Rules ------------------------------------------------------------------------------------------

export async function readRules(ctx: Ctx) {
  const r = await getStatusRules(ctx.q);
  return { rules: r.value, version: r.version, isDefault: r.version === 0 };
}

export async function updateRules(ctx: Ctx, rules: TStatusRules, version: number) {
  const actor = actorOf(ctx);
  if (!(await saveStatusRules(ctx.q, rules, version, actor.userId))) throw stale();
  await appendAudit(ctx.q, {
    actor,
    action: 'rules.update',
    targetType: 'settings',
    targetId: 'status_rules',
    ip: ctx.ip,
    details: { reflectionDays: rules.reflectionDays, preliminaryWorkingDays: rules.preliminaryWorkingDays },
  });
  return readRules(ctx);
}
