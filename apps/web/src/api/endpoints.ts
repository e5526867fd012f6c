import {
  type TAgency,
  type TCaseCreate,
  type TCaseDetail,
  type TCaseListQuery,
  type TCaseSummary,
  type TCaseUpdate,
  type TCatalogue,
  type TScreeningRequest,
  type TScreeningResult,
  type TTimelineEntry,
  type TAgencyInput,
  type TAgencyUpdate,
  type TAuditEntry,
  type TAuditQuery,
  type TLocale,
  type TRole,
  type TSessionInfo,
  type TUser,
  type TUserCreate,
  type TUserUpdate,
  ZSessionInfo,
} from '@opennrm/domain';
import { api } from './client.ts';

/** A page of results as the API returns it. */
export interface TPageOf<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface TSecuritySettings {
  mfaRequiredRoles: TRole[];
  version: number;
}

export interface TAuditVerify {
  ok: boolean;
  blocks: number;
  events: number;
  unsealed: number;
  broken?: { blockId?: string; eventId?: string; reason: string };
}

export interface TUserFilter {
  page: number;
  pageSize: number;
  agencyId?: string;
  role?: TRole;
  active?: 'true' | 'false';
  q?: string;
}

type Ok = { ok: true };

/** A stored screening: what was recorded and the evaluated result (decision support). */
export interface TScreeningRecord {
  id: string;
  catalogueVersion: string;
  profile: string;
  acts: string[];
  indicatorIds: string[];
  result: TScreeningResult;
  outcome: string;
  recommendation: string;
  judgement: string;
  reasons: string | null;
  screenedBy: string;
  createdAt: string;
}

/** The autosaved intake form, as the form holds it (unvalidated). */
export interface TDraft<T> {
  data: T;
  updatedAt: string;
}

/** Every endpoint the web app calls, typed with the shared domain types. */
export const endpoints = {
  session: async () => ZSessionInfo.parse(await api<TSessionInfo>('GET', '/api/auth/session')),
  login: (body: { login: string; password: string; totp?: string }) => api<Ok>('POST', '/api/auth/login', { body }),
  logout: () => api<Ok>('POST', '/api/auth/logout'),
  logoutAll: () => api<{ sessions: number }>('POST', '/api/auth/logout-all'),
  changePassword: (body: { currentPassword: string; newPassword: string }) =>
    api<Ok>('POST', '/api/auth/password', { body }),
  setLocale: (locale: TLocale) => api<Ok>('PUT', '/api/auth/locale', { body: { locale } }),
  totpSetup: () => api<{ secret: string; otpauthUrl: string }>('POST', '/api/auth/totp/setup'),
  totpConfirm: (code: string) => api<Ok>('POST', '/api/auth/totp/confirm', { body: { code } }),
  totpDisable: (password: string) => api<Ok>('POST', '/api/auth/totp/disable', { body: { password } }),

  agencies: () => api<{ items: TAgency[] }>('GET', '/api/agencies'),
  createAgency: (body: TAgencyInput) => api<TAgency>('POST', '/api/agencies', { body }),
  updateAgency: (id: string, body: TAgencyUpdate) => api<TAgency>('PATCH', `/api/agencies/${id}`, { body }),

  users: (filter: TUserFilter) => api<TPageOf<TUser>>('GET', '/api/users', { query: { ...filter } }),
  createUser: (body: TUserCreate) => api<TUser>('POST', '/api/users', { body }),
  updateUser: (id: string, body: TUserUpdate) => api<TUser>('PATCH', `/api/users/${id}`, { body }),
  resetUserPassword: (id: string, password: string) =>
    api<Ok>('POST', `/api/users/${id}/password`, { body: { password } }),
  unlockUser: (id: string) => api<Ok>('POST', `/api/users/${id}/unlock`),

  audit: (query: Partial<TAuditQuery>) => api<TPageOf<TAuditEntry>>('GET', '/api/audit', { query: { ...query } }),
  verifyAudit: () => api<TAuditVerify>('GET', '/api/audit/verify'),

  createCase: (body: TCaseCreate) => api<{ id: string; number: string }>('POST', '/api/cases', { body }),
  // Search terms can be names: they go in the body, never in a URL.
  searchCases: (body: Partial<TCaseListQuery>) => api<TPageOf<TCaseSummary>>('POST', '/api/cases/search', { body }),
  caseDetail: (id: string) => api<TCaseDetail>('GET', `/api/cases/${id}`),
  updateCase: (id: string, body: TCaseUpdate) => api<TCaseDetail>('PATCH', `/api/cases/${id}`, { body }),
  caseTimeline: (id: string) => api<{ items: TTimelineEntry[] }>('GET', `/api/cases/${id}/timeline`),
  caseScreenings: (id: string) => api<{ items: TScreeningRecord[] }>('GET', `/api/cases/${id}/screenings`),
  screenCase: (id: string, body: TScreeningRequest) =>
    api<TScreeningRecord>('POST', `/api/cases/${id}/screenings`, { body }),
  catalogue: () => api<TCatalogue>('GET', '/api/screening/catalogue'),
  catalogueVersions: () =>
    api<{ items: { version: string; isCurrent: boolean; publishedAt: string }[] }>('GET', '/api/screening/catalogues'),
  publishCatalogue: (body: TCatalogue) => api<{ version: string }>('POST', '/api/screening/catalogues', { body }),
  catalogueVersion: (version: string) =>
    api<TCatalogue>('GET', `/api/screening/catalogues/${encodeURIComponent(version)}`),

  intakeDraft: <T>() => api<TDraft<T>>('GET', '/api/drafts/intake'),
  saveIntakeDraft: (data: object, opts: { keepalive?: boolean } = {}) =>
    api<{ updatedAt: string }>('PUT', '/api/drafts/intake', { body: { data }, keepalive: opts.keepalive }),
  deleteIntakeDraft: () => api<Ok>('DELETE', '/api/drafts/intake'),

  securitySettings: () => api<TSecuritySettings>('GET', '/api/settings/security'),
  saveSecuritySettings: (body: TSecuritySettings) => api<TSecuritySettings>('PUT', '/api/settings/security', { body }),
};
