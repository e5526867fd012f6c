import {
  DEFAULT_STATUS_RULES,
  type TDecisionKind,
  type TDecisionOutcome,
  type TStatusRules,
  ZStatusRules,
} from '@opennrm/domain';
import type { z } from 'zod';
import type { Queryable } from '../../db/client.ts';
import { readSetting, type Versioned, writeSetting } from '../rules/rules.repository.ts';

export const getStatusRules = (q: Queryable): Promise<Versioned<TStatusRules>> =>
  readSetting(q, 'status_rules', ZStatusRules as unknown as z.ZodType<TStatusRules>, DEFAULT_STATUS_RULES);
export const saveStatusRules = (q: Queryable, v: TStatusRules, version: number, userId: string) =>
  writeSetting(q, 'status_rules', v, version, userId);

export interface DecisionRow {
  id: string;
  case_id: string;
  kind: TDecisionKind;
  outcome: TDecisionOutcome;
  reasons_enc: string;
  legal_basis: string;
  decided_on: string;
  decided_by: string;
  decided_by_name: string;
  agency_id: string;
  agency_name: string;
  agency_type: string;
  requested_by_person: boolean;
  review_of: string | null;
  created_at: string;
  review_id: string | null;
  review_requested_on: string | null;
  review_due_on: string | null;
  review_decided_by: string | null;
}

/** The decisions of a case, oldest first (the order `htcdsStatus` reads). */
export async function caseDecisions(q: Queryable, caseId: string): Promise<DecisionRow[]> {
  return q.query<DecisionRow>(
    `select d.id, d.case_id, d.kind, d.outcome, d.reasons_enc, d.legal_basis, d.decided_on::text as decided_on,
            d.decided_by, u.display_name as decided_by_name, d.agency_id, a.name as agency_name, a.type as agency_type,
            d.requested_by_person, d.review_of, d.created_at, r.id as review_id, r.requested_on::text as review_requested_on,
            r.due_on::text as review_due_on, r.decided_by as review_decided_by
       from status_decisions d join users u on u.id = d.decided_by join agencies a on a.id = d.agency_id
       left join decision_reviews r on r.decision_id = d.id
      where d.case_id = $1 order by d.decided_on, d.created_at, d.id`,
    [caseId],
  );
}

export interface PeriodRow {
  id: string;
  case_id: string;
  decision_id: string;
  agency_id: string;
  start_date: string;
  planned_end: string;
  ended_on: string | null;
  end_reason: 'public_order' | 'improper_claim' | null;
  end_justification_enc: string | null;
  extensions: number;
  version: number;
}

const PERIOD_SELECT = `select id, case_id, decision_id, agency_id, start_date::text as start_date, planned_end::text as planned_end,
       ended_on::text as ended_on, end_reason, end_justification_enc, extensions, version from reflection_periods`;

export async function casePeriod(q: Queryable, caseId: string): Promise<PeriodRow | undefined> {
  const [row] = await q.query<PeriodRow>(`${PERIOD_SELECT} where case_id = $1`, [caseId]);
  return row;
}

export async function loadPeriod(q: Queryable, id: string, lock = false): Promise<PeriodRow | undefined> {
  const [row] = await q.query<PeriodRow>(`${PERIOD_SELECT} where id = $1${lock ? ' for update' : ''}`, [id]);
  return row;
}

export interface TrackRow {
  id: string;
  case_id: string;
  referral_id: string;
  agency_id: string;
  agency_name: string;
  referred_at: string;
  preliminary_due_at: string;
  escalated_at: string | null;
  referral_state: string;
}

/** Status tracks of a case, latest first, with the state of the referral that opened each. */
export async function caseTracks(q: Queryable, caseId: string): Promise<TrackRow[]> {
  return q.query<TrackRow>(
    `select t.id, t.case_id, t.referral_id, t.agency_id, a.name as agency_name, t.referred_at, t.preliminary_due_at,
            t.escalated_at, r.state as referral_state
       from status_tracks t join agencies a on a.id = t.agency_id join referrals r on r.id = t.referral_id
      where t.case_id = $1 order by t.referred_at desc, t.id`,
    [caseId],
  );
}

export interface PermitRow {
  id: string;
  event: 'applied' | 'granted' | 'renewed' | 'refused';
  event_date: string;
  valid_until: string | null;
  created_at: string;
}

export async function casePermits(q: Queryable, caseId: string): Promise<PermitRow[]> {
  return q.query<PermitRow>(
    `select id, event, event_date::text as event_date, valid_until::text as valid_until, created_at
       from residence_permits where case_id = $1 order by event_date, created_at, id`,
    [caseId],
  );
}

export interface ProceedingRow {
  id: string;
  case_id: string;
  register_number_enc: string;
  article: string;
  stage: string;
  procedural_role: string;
  protection_measures: string[];
  non_punishment_requested: boolean;
  compensation_claimed: boolean;
  compensation_amount_kzt: string | number | null;
  version: number;
  updated_at: string;
}

export const PROCEEDING_SELECT = `select id, case_id, register_number_enc, article, stage, procedural_role, protection_measures,
       non_punishment_requested, compensation_claimed, compensation_amount_kzt, version, updated_at from criminal_proceedings`;
