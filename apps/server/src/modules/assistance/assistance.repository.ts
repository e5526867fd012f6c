import {
  OPEN_SERVICE_STATUSES,
  serviceStatusForReferral,
  type TCapacityAgeGroup,
  type TCapacitySex,
  type TNeedLevel,
  type TRiskLevel,
  type TServiceCategory,
  type TServiceOutcome,
  type TServiceStatus,
} from '@opennrm/domain';
import type { Queryable } from '../../db/client.ts';

const OPEN_SQL = OPEN_SERVICE_STATUSES.map((s) => `'${s}'`).join(', ');

export interface NeedsRow {
  id: string;
  assessed_on: string;
  areas: Record<string, TNeedLevel>;
  risk_level: TRiskLevel;
  notes_enc: string | null;
  assessed_by: string;
  assessed_by_name: string;
  created_at: string;
}
export const caseNeeds = (q: Queryable, caseId: string) =>
  q.query<NeedsRow>(
    `select n.id, n.assessed_on::text as assessed_on, n.areas, n.risk_level, n.notes_enc, n.assessed_by,
            u.display_name as assessed_by_name, n.created_at
       from needs_assessments n join users u on u.id = n.assessed_by where n.case_id = $1 order by n.created_at desc, n.id`,
    [caseId],
  );

export interface PlanRow {
  goals_enc: string | null;
  version: number;
}
export async function casePlan(q: Queryable, caseId: string): Promise<PlanRow | undefined> {
  const [p] = await q.query<PlanRow>('select goals_enc, version from assistance_plans where case_id = $1', [caseId]);
  return p;
}

export interface ServiceRow {
  id: string;
  case_id: string;
  category: TServiceCategory;
  htcds_type: string;
  provider_agency_id: string;
  provider_name: string;
  goal_id: string | null;
  planned_start: string;
  planned_end: string | null;
  actual_start: string | null;
  actual_end: string | null;
  status: TServiceStatus;
  outcome: TServiceOutcome | null;
  cost: string | null;
  currency: string;
  notes_enc: string | null;
  placement: boolean;
  over_capacity: boolean;
  override_reason_enc: string | null;
  referral_id: string | null;
  version: number;
}
const SERVICE_SELECT = `select s.id, s.case_id, s.category, s.htcds_type, s.provider_agency_id, a.name as provider_name, s.goal_id,
    s.planned_start::text as planned_start, s.planned_end::text as planned_end, s.actual_start::text as actual_start,
    s.actual_end::text as actual_end, s.status, s.outcome, s.cost::text as cost, s.currency, s.notes_enc, s.placement,
    s.over_capacity, s.override_reason_enc, s.referral_id, s.version
  from assistance_services s join agencies a on a.id = s.provider_agency_id`;
export const caseServices = (q: Queryable, caseId: string) =>
  q.query<ServiceRow>(`${SERVICE_SELECT} where s.case_id = $1 order by s.planned_start, s.created_at, s.id`, [caseId]);
export async function loadService(q: Queryable, id: string, lock = false): Promise<ServiceRow | undefined> {
  const [s] = await q.query<ServiceRow>(`${SERVICE_SELECT} where s.id = $1${lock ? ' for update of s' : ''}`, [id]);
  return s;
}

/**
 * Capacity rows of a provider for a service, with the current occupancy of each (open placements:
 * planned, requested or in progress — a planned placement reserves its place).
 */
export async function capacityWithOccupancy(q: Queryable, agencyId: string, category?: string) {
  return q.query<{
    category: TServiceCategory;
    sex: TCapacitySex;
    age_group: TCapacityAgeGroup;
    places: number;
    occupied: number;
  }>(
    `select k.category, k.sex, k.age_group, k.places,
            (select count(*)::int from assistance_services s
              where s.provider_agency_id = k.agency_id and s.category = k.category and s.placement
                and s.status in (${OPEN_SQL})
                and (k.sex = 'any' or s.placement_sex = k.sex) and (k.age_group = 'any' or s.placement_age_group = k.age_group)
            ) as occupied
       from (select agency_id, category, sex, age_group, places from agency_capacity
             union all
             -- The directory's single figure (migration 0003) counts as shelter places for anyone until detailed rows exist.
             select a.id, 'shelter', 'any', 'any', a.capacity from agencies a
              where a.capacity is not null
                and not exists (select 1 from agency_capacity c where c.agency_id = a.id and c.category = 'shelter')) k
      where k.agency_id = $1 and ($2::text is null or k.category = $2)
      order by k.category, k.sex, k.age_group`,
    [agencyId, category ?? null],
  );
}

/**
 * Keeps a referred service in step with its referral: accepted → in progress, completed →
 * delivered (dated today), declined/expired → declined, cancelled/consent withdrawn → cancelled.
 * Called in the transaction of every referral state change.
 */
export async function syncServiceWithReferral(q: Queryable, referralId: string, state: string): Promise<void> {
  const status = serviceStatusForReferral(state);
  if (!status) return;
  await q.query(
    `update assistance_services set status = $2, version = version + 1, updated_at = now(),
            actual_start = case when $2 in ('in_progress', 'delivered') then coalesce(actual_start, current_date) else actual_start end,
            actual_end = case when $2 = 'delivered' then coalesce(actual_end, current_date) else actual_end end
      where referral_id = $1 and status not in ('delivered', 'cancelled', 'declined')`,
    [referralId, status],
  );
}

export interface ReturnRow {
  id: string;
  case_id: string;
  state: string;
  requested_on: string;
  voluntary: boolean;
  destination_country: string;
  receiving_org_enc: string | null;
  travel_documents: string;
  for_child: boolean;
  risk_assessed_on: string | null;
  risk_level: TRiskLevel | null;
  risk_summary_enc: string | null;
  in_childs_best_interests: boolean | null;
  return_date: string | null;
  version: number;
}
const RETURN_SELECT = `select id, case_id, state, requested_on::text as requested_on, voluntary, destination_country, receiving_org_enc,
    travel_documents, for_child, risk_assessed_on::text as risk_assessed_on, risk_level, risk_summary_enc,
    in_childs_best_interests, return_date::text as return_date, version from returns`;
export const caseReturns = (q: Queryable, caseId: string) =>
  q.query<ReturnRow>(`${RETURN_SELECT} where case_id = $1 order by created_at desc, id`, [caseId]);
export async function loadReturn(q: Queryable, id: string): Promise<ReturnRow | undefined> {
  const [r] = await q.query<ReturnRow>(`${RETURN_SELECT} where id = $1 for update`, [id]);
  return r;
}
export const returnFollowUps = (q: Queryable, returnIds: string[]) =>
  q.query<{
    id: string;
    return_id: string;
    month: number;
    due_on: string;
    done_on: string | null;
    note_enc: string | null;
  }>(
    `select id, return_id, month, due_on::text as due_on, done_on::text as done_on, note_enc from return_follow_ups
      where return_id = any($1::uuid[]) order by month`,
    [returnIds],
  );

export interface ClosureRow {
  id: string;
  case_id: string;
  reason: string;
  justification_enc: string;
  state: 'requested' | 'approved' | 'rejected' | 'reopened';
  previous_stage: string;
  requested_by: string;
  requested_by_name: string;
  requested_at: string;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: string | null;
  reopened_at: string | null;
  reopen_reason_enc: string | null;
}
const CLOSURE_SELECT = `select k.id, k.case_id, k.reason, k.justification_enc, k.state, k.previous_stage, k.requested_by,
    r.display_name as requested_by_name, k.requested_at, k.decided_by, d.display_name as decided_by_name, k.decided_at,
    k.reopened_at, k.reopen_reason_enc
  from case_closures k join users r on r.id = k.requested_by left join users d on d.id = k.decided_by`;
export const caseClosures = (q: Queryable, caseId: string) =>
  q.query<ClosureRow>(`${CLOSURE_SELECT} where k.case_id = $1 order by k.requested_at desc, k.id`, [caseId]);
export async function loadClosure(q: Queryable, id: string): Promise<ClosureRow | undefined> {
  const [k] = await q.query<ClosureRow>(`${CLOSURE_SELECT} where k.id = $1 for update of k`, [id]);
  return k;
}
