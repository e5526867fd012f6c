import { randomUUID } from 'node:crypto';
import {
  ATTACHMENT_CATEGORIES,
  ATTACHMENT_MAX_BYTES,
  bindingRows,
  CLOSURE_REASONS,
  canMoveService,
  capacityBucket,
  dateInZone,
  followUpDates,
  guardianMissing,
  hasPurposeConsent,
  placementCheck,
  planProgress,
  returnProblem,
  SERVICE_CATALOGUE,
  sniffType,
  type TAssistance,
  type TAttachment,
  type TAuditAction,
  type TShareScope,
  type TCapacityRow,
  type TChildProtectionInput,
  type TClosure,
  type TGoal,
  type TLocalClosureReason,
  type TNeedsAssessmentInput,
  type TNote,
  type TOccupancy,
  type TReturn,
  type TServiceUpdate,
  ZReturnDecision,
  type ZReturnInput,
  type ZRiskAssessmentInput,
  ZServiceInput,
} from '@opennrm/domain';
import type { z } from 'zod';
import { appendAudit } from '../../audit/audit.service.ts';
import { PersonCipher } from '../../crypto/person-crypto.ts';
import type { Queryable } from '../../db/client.ts';
import type { Ctx } from '../../http/context.ts';
import { type AppDeps, actorOf } from '../../http/deps.ts';
import { AppError, fieldError, notFound, stale } from '../../http/errors.ts';
import { enqueueJob } from '../../jobs/jobs.repository.ts';
import { ATTACHMENT_SCOPES, canSeeCase, caseAccess, reachesScope } from '../../policies/case.policy.ts';
import { type CaseRow, loadCaseRow } from '../cases/cases.repository.ts';
import { consentFacts } from '../consents/consents.repository.ts';
import { agencyUsersWithRoles, notify, usersWithRole } from '../notifications/notifications.service.ts';
import { sendReferral } from '../referrals/referrals.service.ts';
import {
  capacityWithOccupancy,
  caseClosures,
  caseNeeds,
  casePlan,
  caseReturns,
  caseServices,
  type ClosureRow,
  loadClosure,
  loadReturn,
  loadService,
  returnFollowUps,
  type ServiceRow,
} from './assistance.repository.ts';

const cipherOf = (deps: AppDeps, c: CaseRow) => PersonCipher.unwrap(deps.keys, c.person_id, c.data_key);
const today = (deps: AppDeps) => dateInZone(new Date(), deps.config.timeZone);

/** The holding agency's case (404 to everyone else, audited as denied). */
async function held(ctx: Ctx, caseId: string, action: TAuditAction): Promise<CaseRow> {
  const c = await loadCaseRow(ctx.q, caseId);
  if (!c || !canSeeCase(actorOf(ctx), c)) {
    ctx.auditDenied({ action, targetType: 'case', targetId: caseId });
    throw notFound();
  }
  return c;
}

/** A held case that is not closed (work on a closed case waits for reopening). */
async function open(ctx: Ctx, caseId: string, action: TAuditAction): Promise<CaseRow> {
  const c = await held(ctx, caseId, action);
  if (c.stage === 'closed') throw new AppError('conflict.case_closed');
  return c;
}

/** Art. 12(7): services are planned and delivered only with a valid assistance consent (or a child's noted "not required"). */
async function requireConsent(ctx: Ctx, caseId: string) {
  if (!hasPurposeConsent(await consentFacts(ctx.q, caseId), 'assistance'))
    throw new AppError('assistance.consent_missing');
}

async function audit(
  ctx: Ctx,
  action: TAuditAction,
  caseId: string,
  details: Record<string, string | number | boolean | null> = {},
) {
  await appendAudit(ctx.q, { actor: actorOf(ctx), action, targetType: 'case', targetId: caseId, ip: ctx.ip, details });
}

// --- Reading ---------------------------------------------------------------------------------------

function presentService(deps: AppDeps, c: CaseRow, s: ServiceRow) {
  const cipher = cipherOf(deps, c);
  return {
    id: s.id,
    category: s.category,
    htcdsType: SERVICE_CATALOGUE[s.category].htcds,
    provider: { id: s.provider_agency_id, name: s.provider_name },
    goalId: s.goal_id,
    plannedStart: s.planned_start,
    plannedEnd: s.planned_end,
    actualStart: s.actual_start,
    actualEnd: s.actual_end,
    status: s.status,
    outcome: s.outcome,
    cost: s.cost === null ? null : Number(s.cost),
    currency: s.currency,
    notes: cipher.decryptNullable<string>(`service.notes:${s.id}`, s.notes_enc) ?? '',
    placement: s.placement,
    overCapacity: s.over_capacity,
    overrideReason: cipher.decryptNullable<string>(`service.override:${s.id}`, s.override_reason_enc),
    referralId: s.referral_id,
    version: s.version,
  };
}

function presentClosure(deps: AppDeps, c: CaseRow, k: ClosureRow): TClosure {
  const cipher = cipherOf(deps, c);
  return {
    id: k.id,
    reason: k.reason,
    justification: cipher.decrypt<string>(`closure.justification:${k.id}`, k.justification_enc),
    state: k.state,
    requestedBy: { id: k.requested_by, displayName: k.requested_by_name },
    requestedAt: k.requested_at,
    decidedBy: k.decided_by ? { id: k.decided_by, displayName: k.decided_by_name ?? '' } : null,
    decidedAt: k.decided_at,
    reopenReason: cipher.decryptNullable<string>(`closure.reopen:${k.id}`, k.reopen_reason_enc),
    reopenedAt: k.reopened_at,
  };
}

async function view(deps: AppDeps, ctx: Ctx, caseId: string): Promise<TAssistance> {
  const actor = actorOf(ctx);
  const c = (await loadCaseRow(ctx.q, caseId))!;
  const cipher = cipherOf(deps, c);
  const needs = await caseNeeds(ctx.q, caseId);
  const plan = await casePlan(ctx.q, caseId);
  const services = (await caseServices(ctx.q, caseId)).map((s) => presentService(deps, c, s));
  const [child] = await ctx.q.query<{
    unaccompanied: boolean;
    guardian_name_enc: string | null;
    guardian_role: TChildProtectionInput['guardianRole'];
    guardian_appointed_on: string | null;
    best_interests_assessed_on: string | null;
    best_interests_summary_enc: string | null;
    family_tracing: boolean;
    version: number;
  }>(
    `select unaccompanied, guardian_name_enc, guardian_role, guardian_appointed_on::text as guardian_appointed_on,
            best_interests_assessed_on::text as best_interests_assessed_on, best_interests_summary_enc, family_tracing, version
       from child_protection where case_id = $1`,
    [caseId],
  );
  const returns = await caseReturns(ctx.q, caseId);
  const followUps = await returnFollowUps(
    ctx.q,
    returns.map((r) => r.id),
  );
  const educationPlanned = services.some((s) => s.category === 'education' && s.status !== 'cancelled');
  return {
    caseId,
    stage: c.stage,
    isChild: c.is_child,
    consent: hasPurposeConsent(await consentFacts(ctx.q, caseId), 'assistance'),
    needs: needs.map((n) => ({
      id: n.id,
      assessedOn: n.assessed_on,
      areas: n.areas,
      riskLevel: n.risk_level,
      notes: cipher.decryptNullable<string>(`needs.notes:${n.id}`, n.notes_enc) ?? '',
      assessedBy: { id: n.assessed_by, displayName: n.assessed_by_name },
      createdAt: n.created_at,
    })),
    plan: {
      goals: plan?.goals_enc ? cipher.decrypt<TGoal[]>(`plan.goals:${caseId}`, plan.goals_enc) : [],
      version: plan?.version ?? 0,
    },
    services,
    progress: planProgress(services),
    child: c.is_child
      ? (() => {
          const p = {
            unaccompanied: child?.unaccompanied ?? false,
            guardianName:
              cipher.decryptNullable<string>(`child.guardian:${caseId}`, child?.guardian_name_enc ?? null) ?? '',
            guardianRole: child?.guardian_role ?? null,
            guardianAppointedOn: child?.guardian_appointed_on ?? null,
            bestInterestsAssessedOn: child?.best_interests_assessed_on ?? null,
            bestInterestsSummary:
              cipher.decryptNullable<string>(
                `child.best_interests:${caseId}`,
                child?.best_interests_summary_enc ?? null,
              ) ?? '',
            familyTracing: child?.family_tracing ?? false,
            version: child?.version ?? 0,
          };
          return { ...p, guardianMissing: guardianMissing(p), educationPlanned };
        })()
      : null,
    returns: returns.map(
      (r): TReturn => ({
        id: r.id,
        state: r.state as TReturn['state'],
        requestedOn: r.requested_on,
        voluntary: r.voluntary,
        destinationCountry: r.destination_country,
        receivingOrganisation: cipher.decryptNullable<string>(`return.org:${r.id}`, r.receiving_org_enc) ?? '',
        travelDocuments: r.travel_documents as TReturn['travelDocuments'],
        forChild: r.for_child,
        risk:
          r.risk_assessed_on && r.risk_level
            ? {
                assessedOn: r.risk_assessed_on,
                riskLevel: r.risk_level,
                summary: cipher.decryptNullable<string>(`return.risk:${r.id}`, r.risk_summary_enc) ?? '',
                inChildsBestInterests: r.in_childs_best_interests,
              }
            : null,
        returnDate: r.return_date,
        followUps: followUps
          .filter((f) => f.return_id === r.id)
          .map((f) => ({
            id: f.id,
            month: f.month,
            dueOn: f.due_on,
            doneOn: f.done_on,
            note: cipher.decryptNullable<string>(`return.follow_up:${f.id}`, f.note_enc) ?? '',
          })),
        version: r.version,
      }),
    ),
    closures: (await caseClosures(ctx.q, caseId)).map((k) => presentClosure(deps, c, k)),
    abilities: {
      manage: actor.permissions.has('assistance.manage') && c.stage !== 'closed',
      approveClosure: actor.permissions.has('cases.supervise'),
    },
  };
}

/** The assistance record of a case: the holding agency only (audited read). */
export async function readAssistance(deps: AppDeps, ctx: Ctx, caseId: string): Promise<TAssistance> {
  await held(ctx, caseId, 'assistance.read');
  await audit(ctx, 'assistance.read', caseId);
  return view(deps, ctx, caseId);
}

// --- Needs and plan --------------------------------------------------------------------------------

export async function assessNeeds(deps: AppDeps, ctx: Ctx, caseId: string, input: TNeedsAssessmentInput) {
  const c = await open(ctx, caseId, 'needs.assess');
  const id = randomUUID();
  await ctx.q.query(
    `insert into needs_assessments (id, case_id, agency_id, assessed_on, areas, risk_level, notes_enc, assessed_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      id,
      caseId,
      c.agency_id,
      input.assessedOn,
      JSON.stringify(input.areas),
      input.riskLevel,
      cipherOf(deps, c).encryptNullable(`needs.notes:${id}`, input.notes),
      actorOf(ctx).userId,
    ],
  );
  await audit(ctx, 'needs.assess', caseId, { assessment: id });
  return view(deps, ctx, caseId);
}

export async function updatePlan(deps: AppDeps, ctx: Ctx, caseId: string, input: { goals: TGoal[]; version: number }) {
  const c = await open(ctx, caseId, 'plan.update');
  const goals = cipherOf(deps, c).encrypt(`plan.goals:${caseId}`, input.goals);
  const userId = actorOf(ctx).userId;
  const rows =
    input.version === 0
      ? await ctx.q.query(
          `insert into assistance_plans (case_id, goals_enc, updated_by) values ($1, $2, $3)
           on conflict (case_id) do nothing returning case_id`,
          [caseId, goals, userId],
        )
      : await ctx.q.query(
          `update assistance_plans set goals_enc = $2, updated_by = $3, updated_at = now(), version = version + 1
            where case_id = $1 and version = $4 returning case_id`,
          [caseId, goals, userId, input.version],
        );
  if (!rows.length) throw stale();
  await audit(ctx, 'plan.update', caseId, { goals: input.goals.length });
  return view(deps, ctx, caseId);
}

// --- Services, placements and capacity ------------------------------------------------------------

export async function planService(
  deps: AppDeps,
  ctx: Ctx,
  caseId: string,
  raw: z.input<typeof ZServiceInput>,
): Promise<TAssistance> {
  const input = ZServiceInput.parse(raw);
  const c = await open(ctx, caseId, 'service.create');
  await requireConsent(ctx, caseId);
  const def = SERVICE_CATALOGUE[input.category];
  const [provider] = await ctx.q.query<{ id: string; active: boolean }>(
    'select id, active from agencies where id = $1',
    [input.providerAgencyId],
  );
  if (!provider?.active) throw fieldError('providerAgencyId', 'invalid_value');
  if (input.plannedEnd && input.plannedEnd < input.plannedStart) throw fieldError('plannedEnd', 'before_start');
  const id = randomUUID();
  const cipher = cipherOf(deps, c);

  // A placement takes a place at the provider: checked against its capacity for the person's sex and age group.
  let overCapacity = false;
  const bucket = capacityBucket(c.sex, c.is_child);
  if (def.placement) {
    // Serialise placements at one provider so two concurrent ones cannot both take the last place.
    await ctx.q.query('select id from agencies where id = $1 for update', [provider.id]);
    const rows = bindingRows(
      (await capacityWithOccupancy(ctx.q, provider.id, input.category)).map((r) => ({
        ...r,
        ageGroup: r.age_group,
      })),
      bucket,
    );
    const check = placementCheck(rows, input.overrideReason);
    if (check === 'refused') throw fieldError('overrideReason', 'over_capacity');
    overCapacity = check === 'override';
  }

  let referralId: string | null = null;
  if (provider.id !== c.agency_id) {
    // Another agency provides it: the request is a referral (matrix, directory and consent checked there).
    const ref = await sendReferral(deps, ctx, caseId, {
      toAgencyId: provider.id,
      purpose: def.purpose,
      urgency: input.urgency,
      scope: input.scope,
    });
    referralId = ref.id;
  }
  await ctx.q.query(
    `insert into assistance_services (id, case_id, category, htcds_type, provider_agency_id, goal_id, planned_start, planned_end,
       status, cost, currency, notes_enc, placement, placement_sex, placement_age_group, over_capacity, override_reason_enc,
       referral_id, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
    [
      id,
      caseId,
      input.category,
      def.htcds,
      provider.id,
      input.goalId,
      input.plannedStart,
      input.plannedEnd,
      referralId ? 'requested' : 'planned',
      input.cost,
      input.currency,
      cipher.encryptNullable(`service.notes:${id}`, input.notes),
      def.placement,
      def.placement ? bucket.sex : null,
      def.placement ? bucket.ageGroup : null,
      overCapacity,
      overCapacity ? cipher.encrypt(`service.override:${id}`, input.overrideReason) : null,
      referralId,
      actorOf(ctx).userId,
    ],
  );
  await audit(ctx, 'service.create', caseId, {
    service: id,
    category: input.category,
    provider: provider.id,
    referral: referralId,
    overCapacity,
  });
  if (overCapacity) {
    // Flagged to the coordinators and the provider's supervisors; the text carries the case number only.
    const coordinators = await usersWithRole(ctx.q, 'coordinator');
    const supervisors = await agencyUsersWithRoles(ctx.q, provider.id, ['supervisor']);
    await notify(ctx.q, deps.config, {
      userIds: [...coordinators, ...supervisors],
      kind: 'placement_over_capacity',
      caseNumber: c.number,
      fromAgencyId: provider.id,
    });
    await audit(ctx, 'placement.override', caseId, { service: id, provider: provider.id });
  }
  return view(deps, ctx, caseId);
}

/**
 * Records progress or delivery of a service the holder manages. A referred service follows its
 * referral (cancel the referral to cancel it); only its notes, outcome and cost are recorded here.
 */
export async function updateService(deps: AppDeps, ctx: Ctx, id: string, input: TServiceUpdate): Promise<TAssistance> {
  const s = await loadService(ctx.q, id, true);
  if (!s) {
    ctx.auditDenied({ action: 'service.update', targetType: 'service', targetId: id });
    throw notFound();
  }
  const c = await open(ctx, s.case_id, 'service.update');
  if (s.version !== input.version) throw stale();
  if (!canMoveService(s.status, input.status) || (s.referral_id && input.status !== s.status))
    throw fieldError('status', 'status_move_not_allowed');
  if (input.status === 'in_progress' || input.status === 'delivered') await requireConsent(ctx, s.case_id);
  const actualStart = input.actualStart ?? s.actual_start ?? (input.status !== 'planned' ? today(deps) : null);
  const actualEnd = input.actualEnd ?? (input.status === 'delivered' ? (s.actual_end ?? today(deps)) : s.actual_end);
  if (actualStart && actualEnd && actualEnd < actualStart) throw fieldError('actualEnd', 'before_start');
  await ctx.q.query(
    `update assistance_services set status = $2, actual_start = $3, actual_end = $4, outcome = $5, cost = $6, notes_enc = $7,
            version = version + 1, updated_at = now() where id = $1`,
    [
      id,
      input.status,
      input.status === 'cancelled' ? s.actual_start : actualStart,
      input.status === 'cancelled' ? s.actual_end : actualEnd,
      input.outcome,
      input.cost ?? (s.cost === null ? null : Number(s.cost)),
      cipherOf(deps, c).encryptNullable(`service.notes:${id}`, input.notes),
    ],
  );
  await audit(ctx, 'service.update', s.case_id, { service: id, from: s.status, to: input.status });
  return view(deps, ctx, s.case_id);
}

/** Capacity of a provider and its current occupancy (no person data). */
export async function occupancy(ctx: Ctx, agencyId: string): Promise<TOccupancy> {
  const [a] = await ctx.q.query('select id from agencies where id = $1', [agencyId]);
  if (!a) throw notFound();
  const rows = await capacityWithOccupancy(ctx.q, agencyId);
  return {
    agencyId,
    rows: rows.map((r) => ({
      category: r.category,
      sex: r.sex,
      ageGroup: r.age_group,
      places: r.places,
      occupied: r.occupied,
      overCapacity: r.occupied > r.places,
    })),
  };
}

export async function setCapacity(ctx: Ctx, agencyId: string, rows: TCapacityRow[]): Promise<TOccupancy> {
  const [a] = await ctx.q.query('select id from agencies where id = $1', [agencyId]);
  if (!a) throw notFound();
  await ctx.q.query('delete from agency_capacity where agency_id = $1', [agencyId]);
  for (const r of rows)
    await ctx.q.query(
      `insert into agency_capacity (agency_id, category, sex, age_group, places) values ($1, $2, $3, $4, $5)
       on conflict (agency_id, category, sex, age_group) do update set places = excluded.places`,
      [agencyId, r.category, r.sex, r.ageGroup, r.places],
    );
  await appendAudit(ctx.q, {
    actor: actorOf(ctx),
    action: 'capacity.update',
    targetType: 'agency',
    targetId: agencyId,
    ip: ctx.ip,
    details: { rows: rows.length },
  });
  return occupancy(ctx, agencyId);
}

/** Placements above capacity, for the coordinator: provider, service and date, no case or person. */
export async function overCapacityPlacements(ctx: Ctx) {
  const rows = await ctx.q.query<{
    id: string;
    agency_id: string;
    agency_name: string;
    category: string;
    planned_start: string;
    status: string;
  }>(
    `select s.id, a.id as agency_id, a.name as agency_name, s.category, s.planned_start::text as planned_start, s.status
       from assistance_services s join agencies a on a.id = s.provider_agency_id
      where s.over_capacity order by s.created_at desc limit 200`,
  );
  return {
    items: rows.map((r) => ({
      id: r.id,
      agency: { id: r.agency_id, name: r.agency_name },
      category: r.category,
      plannedStart: r.planned_start,
      status: r.status,
    })),
  };
}

// --- Children ----------------------------------------------------------------------------------------

export async function saveChildProtection(deps: AppDeps, ctx: Ctx, caseId: string, input: TChildProtectionInput) {
  const c = await open(ctx, caseId, 'child_protection.update');
  if (!c.is_child) throw fieldError('unaccompanied', 'not_a_child');
  const cipher = cipherOf(deps, c);
  const params = [
    caseId,
    input.unaccompanied,
    cipher.encryptNullable(`child.guardian:${caseId}`, input.guardianName),
    input.guardianRole,
    input.guardianAppointedOn,
    input.bestInterestsAssessedOn,
    cipher.encryptNullable(`child.best_interests:${caseId}`, input.bestInterestsSummary),
    input.familyTracing,
    actorOf(ctx).userId,
  ];
  const rows =
    input.version === 0
      ? await ctx.q.query(
          `insert into child_protection (case_id, unaccompanied, guardian_name_enc, guardian_role, guardian_appointed_on,
             best_interests_assessed_on, best_interests_summary_enc, family_tracing, updated_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict (case_id) do nothing returning case_id`,
          params,
        )
      : await ctx.q.query(
          `update child_protection set unaccompanied = $2, guardian_name_enc = $3, guardian_role = $4, guardian_appointed_on = $5,
             best_interests_assessed_on = $6, best_interests_summary_enc = $7, family_tracing = $8, updated_by = $9,
             updated_at = now(), version = version + 1 where case_id = $1 and version = $10 returning case_id`,
          [...params, input.version],
        );
  if (!rows.length) throw stale();
  await audit(ctx, 'child_protection.update', caseId);
  return view(deps, ctx, caseId);
}

// --- Return and reintegration ------------------------------------------------------------------------

export async function requestReturn(deps: AppDeps, ctx: Ctx, caseId: string, input: z.infer<typeof ZReturnInput>) {
  const c = await open(ctx, caseId, 'return.request');
  await requireConsent(ctx, caseId);
  const id = randomUUID();
  await ctx.q.query(
    `insert into returns (id, case_id, state, requested_on, voluntary, destination_country, receiving_org_enc, travel_documents,
       for_child, created_by) values ($1, $2, 'requested', $3, $4, $5, $6, $7, $8, $9)`,
    [
      id,
      caseId,
      input.requestedOn,
      input.voluntary,
      input.destinationCountry,
      cipherOf(deps, c).encryptNullable(`return.org:${id}`, input.receivingOrganisation),
      input.travelDocuments,
      c.is_child,
      actorOf(ctx).userId,
    ],
  );
  await audit(ctx, 'return.request', caseId, { return: id });
  return view(deps, ctx, caseId);
}

async function loadReturnFor(ctx: Ctx, id: string, action: TAuditAction) {
  const r = await loadReturn(ctx.q, id);
  if (!r) {
    ctx.auditDenied({ action, targetType: 'return', targetId: id });
    throw notFound();
  }
  const c = await open(ctx, r.case_id, action);
  return { r, c };
}

export async function assessReturnRisk(
  deps: AppDeps,
  ctx: Ctx,
  id: string,
  input: z.infer<typeof ZRiskAssessmentInput>,
) {
  const { r, c } = await loadReturnFor(ctx, id, 'return.assess');
  if (r.version !== input.version) throw stale();
  if (!['requested', 'assessed'].includes(r.state)) throw new AppError('conflict.state');
  if (r.for_child && input.inChildsBestInterests === null) throw fieldError('inChildsBestInterests', 'required');
  await ctx.q.query(
    `update returns set state = 'assessed', risk_assessed_on = $2, risk_level = $3, risk_summary_enc = $4,
            in_childs_best_interests = $5, version = version + 1, updated_at = now() where id = $1`,
    [
      id,
      input.assessedOn,
      input.riskLevel,
      cipherOf(deps, c).encrypt(`return.risk:${id}`, input.summary),
      r.for_child ? input.inChildsBestInterests : null,
    ],
  );
  await audit(ctx, 'return.assess', r.case_id, { return: id });
  return view(deps, ctx, r.case_id);
}

/**
 * Approves, refuses, completes or cancels a return. Approving or completing checks art. 16: a risk
 * assessment exists, and a child is returned only when it found return in the child's best
 * interests (16(7)) — refused here, in the domain rule and by a database CHECK.
 */
export async function decideReturn(deps: AppDeps, ctx: Ctx, id: string, raw: z.input<typeof ZReturnDecision>) {
  const input = ZReturnDecision.parse(raw);
  const { r, c } = await loadReturnFor(ctx, id, 'return.decide');
  if (r.version !== input.version) throw stale();
  const from: Record<string, string[]> = {
    approve: ['assessed'],
    refuse: ['requested', 'assessed'],
    complete: ['approved'],
    cancel: ['requested', 'assessed', 'approved'],
  };
  const next = { approve: 'approved', refuse: 'refused', complete: 'completed', cancel: 'cancelled' }[input.decision];
  if (input.decision === 'approve' || input.decision === 'complete') {
    const problem = returnProblem({
      forChild: r.for_child,
      voluntary: r.voluntary,
      riskAssessed: !!r.risk_assessed_on,
      inChildsBestInterests: r.in_childs_best_interests,
    });
    if (problem === 'child_return_not_in_best_interests') {
      ctx.auditDenied({ action: 'return.decide', targetType: 'case', targetId: r.case_id });
      throw new AppError('assistance.child_return_refused');
    }
    if (problem) throw fieldError('decision', problem);
  }
  if (!from[input.decision]!.includes(r.state)) throw new AppError('conflict.state');
  if (input.decision === 'complete' && !input.returnDate) throw fieldError('returnDate', 'required');
  await ctx.q.query(
    `update returns set state = $2, return_date = coalesce($3, return_date),
            receiving_org_enc = coalesce($4, receiving_org_enc), travel_documents = coalesce($5, travel_documents),
            version = version + 1, updated_at = now() where id = $1`,
    [
      id,
      next,
      input.returnDate,
      input.receivingOrganisation === undefined
        ? null
        : cipherOf(deps, c).encryptNullable(`return.org:${id}`, input.receivingOrganisation),
      input.travelDocuments ?? null,
    ],
  );
  if (input.decision === 'complete') {
    await ctx.q.query("update cases set stage = 'return_integration' where id = $1 and stage <> 'closed'", [r.case_id]);
    for (const f of followUpDates(input.returnDate!)) {
      const fid = randomUUID();
      await ctx.q.query('insert into return_follow_ups (id, return_id, month, due_on) values ($1, $2, $3, $4)', [
        fid,
        id,
        f.month,
        f.dueOn,
      ]);
      await enqueueJob(ctx.q, 'return.follow_up', { followUpId: fid }, new Date(`${f.dueOn}T03:00:00Z`));
    }
  }
  await audit(ctx, 'return.decide', r.case_id, { return: id, decision: input.decision });
  return view(deps, ctx, r.case_id);
}

export async function recordFollowUp(deps: AppDeps, ctx: Ctx, id: string, input: { doneOn: string; note: string }) {
  const [f] = await ctx.q.query<{ return_id: string }>('select return_id from return_follow_ups where id = $1', [id]);
  if (!f) throw notFound();
  const { r, c } = await loadReturnFor(ctx, f.return_id, 'return.follow_up');
  await ctx.q.query('update return_follow_ups set done_on = $2, note_enc = $3, done_by = $4 where id = $1', [
    id,
    input.doneOn,
    cipherOf(deps, c).encryptNullable(`return.follow_up:${id}`, input.note),
    actorOf(ctx).userId,
  ]);
  await audit(ctx, 'return.follow_up', r.case_id, { followUp: id });
  return view(deps, ctx, r.case_id);
}

/** Job: a follow-up contact after return is due and not yet recorded — remind the holding agency. */
export async function remindFollowUp(deps: AppDeps, q: Queryable, followUpId: string): Promise<void> {
  const [f] = await q.query<{
    case_id: string;
    agency_id: string;
    number: string;
    done_on: string | null;
    month: number;
  }>(
    `select r.case_id, c.agency_id, c.number, f.done_on, f.month from return_follow_ups f join returns r on r.id = f.return_id
       join cases c on c.id = r.case_id where f.id = $1`,
    [followUpId],
  );
  if (!f || f.done_on) return;
  const users = await agencyUsersWithRoles(q, f.agency_id, ['case_worker', 'supervisor']);
  await notify(q, deps.config, { userIds: users, kind: 'return_follow_up_due', caseNumber: f.number });
  await appendAudit(q, {
    action: 'return.follow_up_remind',
    targetType: 'case',
    targetId: f.case_id,
    details: { followUp: followUpId, month: f.month, recipients: users.length },
  });
}

// --- Notes and attachments ----------------------------------------------------------------------------

/**
 * Who may read notes and attachments: anyone who may read the case (holder, emergency access, a
 * receiver); with `scopes`, a receiver only when its referrals share one of them. Anyone else: 404.
 */
async function readableCase(ctx: Ctx, caseId: string, action: TAuditAction, scopes?: readonly TShareScope[]) {
  const c = await loadCaseRow(ctx.q, caseId);
  const access = c ? await caseAccess(ctx.q, actorOf(ctx), c) : null;
  if (!c || !access || (scopes && !reachesScope(access, scopes))) {
    ctx.auditDenied({ action, targetType: 'case', targetId: caseId });
    throw notFound();
  }
  return { c, access };
}

export async function listNotes(deps: AppDeps, ctx: Ctx, caseId: string): Promise<TNote[]> {
  const { c, access } = await readableCase(ctx, caseId, 'note.read');
  const actor = actorOf(ctx);
  const rows = await ctx.q.query<{
    id: string;
    text_enc: string;
    created_by: string;
    author: string;
    agency_id: string;
    agency_name: string;
    created_at: string;
  }>(
    `select n.id, n.text_enc, n.created_by, u.display_name as author, n.agency_id, a.name as agency_name, n.created_at
       from case_notes n join users u on u.id = n.created_by join agencies a on a.id = n.agency_id
      where n.case_id = $1 and ($2::boolean or n.agency_id = $3) order by n.created_at desc, n.id`,
    [caseId, access.kind !== 'referral', actor.agencyId],
  );
  await audit(ctx, 'note.read', caseId, { count: rows.length });
  const cipher = cipherOf(deps, c);
  return rows.map((n) => ({
    id: n.id,
    text: cipher.decrypt<string>(`note.text:${n.id}`, n.text_enc),
    author: { id: n.created_by, displayName: n.author },
    agency: { id: n.agency_id, name: n.agency_name },
    createdAt: n.created_at,
  }));
}

export async function addNote(deps: AppDeps, ctx: Ctx, caseId: string, text: string): Promise<TNote[]> {
  const { c, access } = await readableCase(ctx, caseId, 'note.create');
  if (access.kind === 'emergency') throw new AppError('forbidden');
  const id = randomUUID();
  const actor = actorOf(ctx);
  await ctx.q.query(
    'insert into case_notes (id, case_id, agency_id, text_enc, created_by) values ($1, $2, $3, $4, $5)',
    [id, caseId, actor.agencyId, cipherOf(deps, c).encrypt(`note.text:${id}`, text), actor.userId],
  );
  await audit(ctx, 'note.create', caseId, { note: id });
  return listNotes(deps, ctx, caseId);
}

/** Attachment categories visible under an access scope (holder: all; receiver: by the referral's scope). */
function visibleCategories(access: { kind: string; scope: readonly string[] }): string[] {
  return Object.entries(ATTACHMENT_CATEGORIES)
    .filter(([, scope]) => access.kind !== 'referral' || (scope !== null && access.scope.includes(scope)))
    .map(([k]) => k);
}

interface AttachmentRow {
  id: string;
  category: TAttachment['category'];
  content_type: TAttachment['contentType'];
  size: number;
  name_enc: string;
  created_by: string;
  author: string;
  created_at: string;
}

export async function listAttachments(deps: AppDeps, ctx: Ctx, caseId: string): Promise<TAttachment[]> {
  // A receiver whose referrals share neither documents nor medical has no attachments to see: 404.
  const { c, access } = await readableCase(ctx, caseId, 'attachment.list', ATTACHMENT_SCOPES);
  const rows = await ctx.q.query<AttachmentRow>(
    `select t.id, t.category, t.content_type, t.size, t.name_enc, t.created_by, u.display_name as author, t.created_at
       from case_attachments t join users u on u.id = t.created_by
      where t.case_id = $1 and t.category = any($2::text[]) order by t.created_at desc, t.id`,
    [caseId, visibleCategories(access)],
  );
  const cipher = cipherOf(deps, c);
  return rows.map((t) => ({
    id: t.id,
    fileName: cipher.decrypt<string>(`attachment.name:${t.id}`, t.name_enc),
    contentType: t.content_type,
    category: t.category,
    size: t.size,
    author: { id: t.created_by, displayName: t.author },
    createdAt: t.created_at,
  }));
}

export async function uploadAttachment(
  deps: AppDeps,
  ctx: Ctx,
  caseId: string,
  input: { fileName: string; contentType: TAttachment['contentType']; category: TAttachment['category']; data: string },
): Promise<TAttachment[]> {
  // The holder's only (`case: 'holder'`): to anyone else, receivers included, the case's attachment
  // area does not exist (404, never 403).
  const c = await held(ctx, caseId, 'attachment.upload');
  const bytes = Buffer.from(input.data, 'base64');
  if (!bytes.length || bytes.toString('base64').replace(/=+$/, '') !== input.data.replace(/=+$/, ''))
    throw fieldError('data', 'invalid_value');
  if (bytes.length > ATTACHMENT_MAX_BYTES) throw new AppError('payload_too_large');
  const sniffed = sniffType(bytes);
  if (!sniffed) throw new AppError('unsupported_media_type');
  if (sniffed !== input.contentType) throw fieldError('contentType', 'type_mismatch');
  const id = randomUUID();
  const cipher = cipherOf(deps, c);
  await ctx.q.query(
    `insert into case_attachments (id, case_id, agency_id, category, content_type, size, name_enc, content_enc, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      id,
      caseId,
      actorOf(ctx).agencyId,
      input.category,
      sniffed,
      bytes.length,
      cipher.encrypt(`attachment.name:${id}`, input.fileName),
      cipher.encrypt(`attachment.content:${id}`, input.data),
      actorOf(ctx).userId,
    ],
  );
  await audit(ctx, 'attachment.upload', caseId, { attachment: id, category: input.category, size: bytes.length });
  return listAttachments(deps, ctx, caseId);
}

export async function readAttachment(deps: AppDeps, ctx: Ctx, id: string) {
  const [t] = await ctx.q.query<{ case_id: string; category: string; content_type: string; content_enc: string }>(
    'select case_id, category, content_type, content_enc from case_attachments where id = $1',
    [id],
  );
  if (!t) {
    ctx.auditDenied({ action: 'attachment.read', targetType: 'attachment', targetId: id });
    throw notFound();
  }
  const { c, access } = await readableCase(ctx, t.case_id, 'attachment.read', ATTACHMENT_SCOPES);
  if (!visibleCategories(access).includes(t.category)) {
    ctx.auditDenied({ action: 'attachment.read', targetType: 'attachment', targetId: id });
    throw notFound();
  }
  await audit(ctx, 'attachment.read', t.case_id, { attachment: id });
  const data = cipherOf(deps, c).decrypt<string>(`attachment.content:${id}`, t.content_enc);
  return { contentType: t.content_type, bytes: Buffer.from(data, 'base64') };
}

// --- Closure -------------------------------------------------------------------------------------------

export async function closureReasons(ctx: Ctx) {
  const local = await ctx.q.query<{ code: string; labels: TLocalClosureReason['labels']; active: boolean }>(
    'select code, labels, active from local_closure_reasons order by code',
  );
  return { fixed: [...CLOSURE_REASONS], local };
}

export async function setLocalClosureReasons(ctx: Ctx, reasons: TLocalClosureReason[]) {
  for (const r of reasons)
    await ctx.q.query(
      `insert into local_closure_reasons (code, labels, active) values ($1, $2, $3)
       on conflict (code) do update set labels = excluded.labels, active = excluded.active`,
      [r.code, JSON.stringify(r.labels), r.active],
    );
  await appendAudit(ctx.q, {
    actor: actorOf(ctx),
    action: 'closure_reasons.update',
    targetType: 'settings',
    ip: ctx.ip,
    details: { reasons: reasons.length },
  });
  return closureReasons(ctx);
}

export async function requestClosure(
  deps: AppDeps,
  ctx: Ctx,
  caseId: string,
  input: { reason: string; justification: string },
) {
  const c = await open(ctx, caseId, 'closure.request');
  const reasons = await closureReasons(ctx);
  const known =
    (CLOSURE_REASONS as readonly string[]).includes(input.reason) ||
    reasons.local.some((r) => r.active && r.code === input.reason);
  if (!known) throw fieldError('reason', 'invalid_value');
  const id = randomUUID();
  try {
    await ctx.q.query(
      `insert into case_closures (id, case_id, reason, justification_enc, state, previous_stage, requested_by)
       values ($1, $2, $3, $4, 'requested', $5, $6)`,
      [
        id,
        caseId,
        input.reason,
        cipherOf(deps, c).encrypt(`closure.justification:${id}`, input.justification),
        c.stage,
        actorOf(ctx).userId,
      ],
    );
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new AppError('conflict.state');
    throw err;
  }
  await notify(ctx.q, deps.config, {
    userIds: await agencyUsersWithRoles(ctx.q, c.agency_id, ['supervisor']),
    kind: 'closure_requested',
    caseNumber: c.number,
  });
  await audit(ctx, 'closure.request', caseId, { closure: id, reason: input.reason });
  return view(deps, ctx, caseId);
}

/** A supervisor of the holding agency (not the requester) approves or rejects; approval closes the case. */
export async function decideClosure(deps: AppDeps, ctx: Ctx, id: string, input: { approve: boolean; comment: string }) {
  const actor = actorOf(ctx);
  const k = await loadClosure(ctx.q, id);
  if (!k) {
    ctx.auditDenied({ action: 'closure.decide', targetType: 'closure', targetId: id });
    throw notFound();
  }
  const c = await held(ctx, k.case_id, 'closure.decide');
  if (!actor.permissions.has('cases.supervise')) throw new AppError('forbidden');
  if (k.requested_by === actor.userId) throw new AppError('closure.own_request');
  if (k.state !== 'requested') throw new AppError('conflict.state');
  await ctx.q.query(
    `update case_closures set state = $2, decided_by = $3, decided_at = now(), decision_comment_enc = $4 where id = $1`,
    [
      id,
      input.approve ? 'approved' : 'rejected',
      actor.userId,
      cipherOf(deps, c).encryptNullable(`closure.comment:${id}`, input.comment),
    ],
  );
  if (input.approve) await ctx.q.query("update cases set stage = 'closed' where id = $1", [k.case_id]);
  await audit(ctx, 'closure.decide', k.case_id, { closure: id, approved: input.approve });
  return view(deps, ctx, k.case_id);
}

export async function reopenCase(deps: AppDeps, ctx: Ctx, caseId: string, reason: string) {
  const c = await held(ctx, caseId, 'case.reopen');
  if (c.stage !== 'closed') throw new AppError('conflict.state');
  const [k] = await ctx.q.query<{ id: string; previous_stage: string }>(
    "select id, previous_stage from case_closures where case_id = $1 and state = 'approved' order by decided_at desc limit 1 for update",
    [caseId],
  );
  if (!k) throw new AppError('conflict.state');
  await ctx.q.query(
    "update case_closures set state = 'reopened', reopened_by = $2, reopened_at = now(), reopen_reason_enc = $3 where id = $1",
    [k.id, actorOf(ctx).userId, cipherOf(deps, c).encrypt(`closure.reopen:${k.id}`, reason)],
  );
  await ctx.q.query('update cases set stage = $2 where id = $1', [caseId, k.previous_stage]);
  await audit(ctx, 'case.reopen', caseId, { closure: k.id });
  return view(deps, ctx, caseId);
}
