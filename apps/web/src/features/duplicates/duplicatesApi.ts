import type {
  TDuplicateCheckPerson,
  TDuplicateCheckResult,
  TDuplicatePair,
  TDuplicatePairQuery,
  TDuplicatePairStatus,
} from '@opennrm/domain';
import { api } from '../../api/client.ts';
import type { TPageOf } from '../../api/endpoints.ts';

/** The duplicate-detection API (kept beside the feature so shared files change little). */
export const duplicatesApi = {
  /** The person travels in the body, never in the URL. */
  check: (person: TDuplicateCheckPerson, excludeCaseId?: string) =>
    api<TDuplicateCheckResult>('POST', '/api/duplicates/check', { body: { person, excludeCaseId } }),
  inquire: (inquiryToken: string) =>
    api<{ sent: true }>('POST', '/api/duplicates/inquiries', { body: { inquiryToken } }),
  pairs: (q: Partial<TDuplicatePairQuery>) =>
    api<TPageOf<TDuplicatePair>>('GET', '/api/duplicates/pairs', {
      query: { status: q.status, band: q.band, page: q.page, pageSize: q.pageSize },
    }),
  decide: (id: string, action: 'merge' | 'dismiss' | 'unmerge') =>
    api<{ status: TDuplicatePairStatus }>('POST', `/api/duplicates/pairs/${id}/${action}`, { body: {} }),
  scan: () => api<{ queued: boolean }>('POST', '/api/duplicates/scan', { body: {} }),
};
