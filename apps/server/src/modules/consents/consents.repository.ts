import type { ConsentFact, TConsent, TConsentPurpose, TShareScope } from '@opennrm/domain';
import type { Queryable } from '../../db/client.ts';

interface ConsentRow {
  id: string;
  case_id: string;
  purpose: TConsentPurpose;
  status: TConsent['status'];
  guardian_informed: boolean;
  recipient_agency_id: string | null;
  recipient_agency_name: string | null;
  recipient_agency_type: TConsent['recipientAgencyType'];
  scope: TShareScope[];
  language: string;
  interpreter_used: boolean;
  interpreter_language: string | null;
  given_on: string;
  recorded_by: string;
  recorded_by_name: string;
  recorded_at: string;
  withdrawn_on: string | null;
  withdrawn_at: string | null;
  withdrawn_by: string | null;
  withdrawn_by_name: string | null;
}

const SELECT = `select k.id, k.case_id, k.purpose, k.status, k.guardian_informed, k.recipient_agency_id, a.name as recipient_agency_name,
       k.recipient_agency_type, k.scope, k.language, k.interpreter_used, k.interpreter_language, k.given_on::text as given_on,
       k.recorded_by, u.display_name as recorded_by_name, k.recorded_at, k.withdrawn_on::text as withdrawn_on, k.withdrawn_at,
       k.withdrawn_by, w.display_name as withdrawn_by_name
  from consents k join users u on u.id = k.recorded_by left join users w on w.id = k.withdrawn_by
  left join agencies a on a.id = k.recipient_agency_id`;

function present(r: ConsentRow): TConsent {
  return {
    id: r.id,
    caseId: r.case_id,
    purpose: r.purpose,
    status: r.status,
    guardianInformed: r.guardian_informed,
    recipientAgency: r.recipient_agency_id ? { id: r.recipient_agency_id, name: r.recipient_agency_name ?? '' } : null,
    recipientAgencyType: r.recipient_agency_type,
    scope: r.scope,
    language: r.language,
    interpreterUsed: r.interpreter_used,
    interpreterLanguage: r.interpreter_language,
    date: r.given_on,
    recordedBy: { id: r.recorded_by, displayName: r.recorded_by_name },
    recordedAt: r.recorded_at,
    withdrawnOn: r.withdrawn_on,
    withdrawnAt: r.withdrawn_at,
    withdrawnBy: r.withdrawn_by ? { id: r.withdrawn_by, displayName: r.withdrawn_by_name ?? '' } : null,
  };
}

export async function listConsents(q: Queryable, caseId: string): Promise<TConsent[]> {
  const rows = await q.query<ConsentRow>(`${SELECT} where k.case_id = $1 order by k.recorded_at, k.id`, [caseId]);
  return rows.map(present);
}

export async function getConsent(q: Queryable, id: string): Promise<TConsent | undefined> {
  const [row] = await q.query<ConsentRow>(`${SELECT} where k.id = $1`, [id]);
  return row ? present(row) : undefined;
}

/** The consents of a case as the rules read them. */
export async function consentFacts(q: Queryable, caseId: string): Promise<ConsentFact[]> {
  return q.query<ConsentFact>(
    `select purpose, status, recipient_agency_id as "recipientAgencyId", recipient_agency_type as "recipientAgencyType", scope
       from consents where case_id = $1`,
    [caseId],
  );
}
