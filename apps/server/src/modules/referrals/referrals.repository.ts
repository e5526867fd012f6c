import type { TAgencyType, TReferralPurpose, TReferralState, TShareScope, TUrgency } from '@opennrm/domain';
import type { Queryable } from '../../db/client.ts';
import { syncServiceWithReferral } from '../assistance/assistance.repository.ts';

export interface ReferralRow {
  id: string;
  case_id: string;
  case_number: string;
  case_agency_id: string;
  case_created_by: string;
  from_agency_id: string;
  from_name: string;
  from_type: TAgencyType;
  to_agency_id: string;
  to_name: string;
  to_type: TAgencyType;
  sent_by: string;
  purpose: TReferralPurpose;
  urgency: TUrgency;
  scope: TShareScope[];
  state: TReferralState;
  decline_reason: string | null;
  sent_at: string;
  due_at: string;
  expires_at: string;
  responded_at: string | null;
  escalated_at: string | null;
  updated_at: string;
  is_child: boolean;
  sex: string;
  languages: string[];
  interpreter_needed: boolean;
  region: string;
  overdue: boolean;
  expired_now: boolean;
}

export const REFERRAL_SELECT = `select r.id, r.case_id, c.number as case_number, c.agency_id as case_agency_id, c.created_by as case_created_by,
       r.from_agency_id, fa.name as from_name, fa.type as from_type, r.to_agency_id, ta.name as to_name, ta.type as to_type,
       r.sent_by, r.purpose, r.urgency, r.scope, r.state, r.decline_reason, r.sent_at, r.due_at, r.expires_at, r.responded_at,
       r.escalated_at, r.updated_at, c.is_child, p.sex, p.languages, coalesce((p.attributes->>'interpreterNeeded')::boolean, false) as interpreter_needed,
       c.encounter_region as region,
       ((r.state = 'sent' and r.due_at < now()) or (r.responded_at is not null and r.responded_at > r.due_at)) as overdue,
       (r.expires_at <= now()) as expired_now
  from referrals r join cases c on c.id = r.case_id join persons p on p.id = c.person_id
  join agencies fa on fa.id = r.from_agency_id join agencies ta on ta.id = r.to_agency_id`;

export async function loadReferral(q: Queryable, id: string, lock = false): Promise<ReferralRow | undefined> {
  const [row] = await q.query<ReferralRow>(`${REFERRAL_SELECT} where r.id = $1${lock ? ' for update of r' : ''}`, [id]);
  return row;
}

export interface ReferralInsert {
  id: string;
  caseId: string;
  fromAgencyId: string;
  toAgencyId: string;
  sentBy: string;
  purpose: TReferralPurpose;
  urgency: TUrgency;
  scope: TShareScope[];
  sentAt: Date;
  dueAt: Date;
  expiresAt: Date;
}

export async function insertReferral(q: Queryable, r: ReferralInsert): Promise<void> {
  await q.query(
    `insert into referrals (id, case_id, from_agency_id, to_agency_id, sent_by, purpose, urgency, scope, sent_at, due_at, expires_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      r.id,
      r.caseId,
      r.fromAgencyId,
      r.toAgencyId,
      r.sentBy,
      r.purpose,
      r.urgency,
      r.scope,
      r.sentAt.toISOString(),
      r.dueAt.toISOString(),
      r.expiresAt.toISOString(),
    ],
  );
}

/**
 * Moves a referral from one of `from` to `to`; false when another request changed its state first.
 * `responded` stamps the receiver's answer, `closed` the end of the referral.
 */
export async function transitionReferral(
  q: Queryable,
  id: string,
  from: readonly TReferralState[],
  to: TReferralState,
  opts: { respondedBy?: string; declineReason?: string; closed?: boolean } = {},
): Promise<boolean> {
  const rows = await q.query(
    `update referrals set state = $3, updated_at = now(),
            responded_at = case when $4::uuid is not null then now() else responded_at end,
            responded_by = coalesce($4::uuid, responded_by),
            decline_reason = coalesce($5, decline_reason),
            closed_at = case when $6::boolean then now() else closed_at end
      where id = $1 and state = any($2::text[]) returning id`,
    [id, from, to, opts.respondedBy ?? null, opts.declineReason ?? null, opts.closed ?? false],
  );
  // A service of an assistance plan requested through this referral follows it (issue 6).
  if (rows.length === 1) await syncServiceWithReferral(q, id, to);
  return rows.length === 1;
}
