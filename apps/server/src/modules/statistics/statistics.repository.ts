import type { Queryable } from '../../db/client.ts';

/**
 * De-identified statistical records, built in SQL. Nothing that leaves this file names or identifies
 * a person, a case, a referral or a user: each record carries only coarse breakdown values and `id`,
 * a keyed pseudonym (md5 of a server secret and the row id) used solely as the cell key of the
 * dashboard's random rounding. Dates become a year and a quarter in the deployment's time zone.
 */

export interface TPersonStatRow {
  id: string;
  year: string;
  quarter: string;
  region: string;
  sex: string;
  childAdult: string;
  ageBand: string;
  citizenship: string;
  forms: string[];
  agencyType: string;
  crossBorder: string;
}

const PERIOD = (d: string) => `extract(year from ${d})::int::text as year,
  extract(year from ${d})::int::text || '-Q' || extract(quarter from ${d})::int::text as quarter`;

/**
 * One record per identified person (after duplicate merges): the person's first case gives the
 * period (encounter date), region, agency type, forms of exploitation and internal/cross-border.
 */
export async function personRecords(q: Queryable, salt: string): Promise<TPersonStatRow[]> {
  return q.query<TPersonStatRow>(
    `select md5($1 || coalesce(p.merged_into, p.id)::text) as id, ${PERIOD('f.encounter_date')},
            f.encounter_region as region, p.sex as "sex",
            case when f.is_child then 'child' else 'adult' end as "childAdult",
            p.age_band as "ageBand",
            coalesce(p.citizenships[1], 'unknown') as citizenship,
            f.exploitation_forms as forms, a.type as "agencyType",
            case when f.cross_border then 'cross_border' else 'internal' end as "crossBorder"
       from (select distinct on (coalesce(pp.merged_into, pp.id)) c.*
               from cases c join persons pp on pp.id = c.person_id
              order by coalesce(pp.merged_into, pp.id), c.encounter_date, c.created_at) f
       join persons p on p.id = coalesce((select merged_into from persons m where m.id = f.person_id), f.person_id)
       join agencies a on a.id = f.agency_id`,
    [salt],
  );
}

export interface TReferralStatRow {
  id: string;
  year: string;
  quarter: string;
  region: string;
  accepted: boolean;
  responseHours: number | null;
  overdue: boolean;
}

/** One record per referral, dated by when it was sent. */
export async function referralRecords(q: Queryable, salt: string, tz: string): Promise<TReferralStatRow[]> {
  return q.query<TReferralStatRow>(
    `select md5($1 || 'r' || r.id::text) as id, ${PERIOD('(r.sent_at at time zone $2)')},
            c.encounter_region as region,
            (r.state in ('accepted', 'in_progress', 'completed') or (r.responded_at is not null and r.state <> 'declined')) as accepted,
            case when r.responded_at is null then null
                 else round(extract(epoch from r.responded_at - r.sent_at) / 3600.0)::float8 end as "responseHours",
            (coalesce(r.responded_at, case when r.state = 'sent' then now() end) > r.due_at) is true as overdue
       from referrals r join cases c on c.id = r.case_id`,
    [salt, tz],
  );
}

export interface TDecisionStatRow {
  id: string;
  year: string;
  quarter: string;
  region: string;
  positive: boolean;
  days: number | null;
}

/** One record per status decision, dated by its decision date; days from the first formal-identification referral. */
export async function decisionRecords(q: Queryable, salt: string, tz: string): Promise<TDecisionStatRow[]> {
  return q.query<TDecisionStatRow>(
    `select md5($1 || 'd' || d.id::text) as id, ${PERIOD('d.decided_on')}, c.encounter_region as region,
            d.outcome in ('presumed_victim', 'victim') as positive,
            (d.decided_on - (select min(t.referred_at at time zone $2)::date from status_tracks t where t.case_id = d.case_id))::int as days
       from status_decisions d join cases c on c.id = d.case_id`,
    [salt, tz],
  );
}

export interface TReflectionStatRow {
  id: string;
  year: string;
  quarter: string;
  region: string;
  compliant: boolean;
}

/** One record per reflection period, dated by its start; compliant = at least 30 days and no unjustified early end. */
export async function reflectionRecords(q: Queryable, salt: string, minDays: number): Promise<TReflectionStatRow[]> {
  return q.query<TReflectionStatRow>(
    `select md5($1 || 'p' || p.id::text) as id, ${PERIOD('p.start_date')}, c.encounter_region as region,
            (p.planned_end - p.start_date >= $2
              and not (p.ended_on is not null and p.ended_on < p.planned_end
                       and (p.end_reason is null or p.end_reason not in ('public_order', 'improper_claim')))) as compliant
       from reflection_periods p join cases c on c.id = p.case_id`,
    [salt, minDays],
  );
}

/** One record per case with a linked criminal proceeding, dated by the first link. */
export async function proceedingRecords(q: Queryable, salt: string, tz: string) {
  return q.query<{ id: string; year: string; quarter: string; region: string }>(
    `select md5($1 || 'c' || x.case_id::text) as id, ${PERIOD('x.linked')}, c.encounter_region as region
       from (select case_id, min(created_at at time zone $2) as linked from criminal_proceedings group by case_id) x
       join cases c on c.id = x.case_id`,
    [salt, tz],
  );
}
