import type {
  TCaseStatus,
  TComplianceReport,
  TDecisionInput,
  TEarlyEndInput,
  TProceeding,
  TProceedingInput,
  TProtectionStatus,
  TReflectionExtend,
  TResidencePermitInput,
} from '@opennrm/domain';
import { api } from '../../api/client.ts';

/** The victim-status endpoints (issue 5), kept beside their pages. */
export const statusApi = {
  status: (caseId: string) => api<TCaseStatus>('GET', `/api/cases/${caseId}/status`),
  decide: (caseId: string, body: TDecisionInput) =>
    api<TCaseStatus>('POST', `/api/cases/${caseId}/decisions`, { body }),
  requestReview: (decisionId: string, requestedOn: string) =>
    api<TCaseStatus>('POST', `/api/decisions/${decisionId}/review-request`, { body: { requestedOn } }),
  review: (decisionId: string, body: TDecisionInput) =>
    api<TCaseStatus>('POST', `/api/decisions/${decisionId}/review`, { body }),
  extend: (periodId: string, body: TReflectionExtend) =>
    api<TCaseStatus>('POST', `/api/reflection-periods/${periodId}/extend`, { body }),
  endEarly: (periodId: string, body: TEarlyEndInput) =>
    api<TCaseStatus>('POST', `/api/reflection-periods/${periodId}/end`, { body }),
  recordPermit: (caseId: string, body: TResidencePermitInput) =>
    api<TCaseStatus>('POST', `/api/cases/${caseId}/residence-permits`, { body }),
  proceedings: (caseId: string) => api<{ items: TProceeding[] }>('GET', `/api/cases/${caseId}/proceedings`),
  createProceeding: (caseId: string, body: TProceedingInput) =>
    api<TProceeding>('POST', `/api/cases/${caseId}/proceedings`, { body }),
  // The case number goes in the body, never in a URL.
  lookupProtection: (caseNumber: string) =>
    api<TProtectionStatus>('POST', '/api/protection/lookup', { body: { caseNumber } }),
  compliance: () => api<TComplianceReport>('GET', '/api/coordination/compliance'),
};

/** Today's date in the deployment's zone (Kazakhstan, UTC+5), as YYYY-MM-DD. */
export function todayLocal(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty' }).format(new Date());
}
