import {
  type TAgency,
  type TCaseCreate,
  type TCaseDetail,
  type TCaseListQuery,
  type TCaseSummary,
  type TCalendarYear,
  type TCalendarYearInput,
  type TConsent,
  type TConsentCreate,
  type TCoordinationReferral,
  type TEmergencyAccess,
  type TNotification,
  type TReferral,
  type TReferralCreate,
  type TReferralMatrix,
  type TResponseRules,
  type TSharedCaseDetail,
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
  /** True when `total` is a floor: the count stopped there and more items exist. */
  totalCapped?: boolean;
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

  // Referral and consent (issue 4)
  /** A case as the actor may see it: in full (holder, emergency) or the shared shape (referral receiver). */
  caseView: (id: string) => api<TCaseDetail | TSharedCaseDetail>('GET', `/api/cases/${id}`),
  directory: (filter: { service?: string; servesRegion?: string; active?: 'true' | 'false' }) =>
    api<{ items: TAgency[] }>('GET', '/api/agencies', { query: filter }),
  caseConsents: (id: string) => api<{ items: TConsent[] }>('GET', `/api/cases/${id}/consents`),
  recordConsent: (id: string, body: TConsentCreate) => api<TConsent>('POST', `/api/cases/${id}/consents`, { body }),
  withdrawConsent: (id: string) => api<TConsent>('POST', `/api/consents/${id}/withdraw`, { body: {} }),
  caseReferrals: (id: string) => api<{ items: TReferral[] }>('GET', `/api/cases/${id}/referrals`),
  sendReferral: (id: string, body: TReferralCreate) => api<TReferral>('POST', `/api/cases/${id}/referrals`, { body }),
  referrals: (query: { box: 'incoming' | 'outgoing'; state?: string; page?: number; pageSize?: number }) =>
    api<TPageOf<TReferral>>('GET', '/api/referrals', { query }),
  referral: (id: string) => api<TReferral>('GET', `/api/referrals/${id}`),
  referralAction: (id: string, action: 'accept' | 'start' | 'complete' | 'cancel') =>
    api<TReferral>('POST', `/api/referrals/${id}/${action}`),
  declineReferral: (id: string, reason: string) =>
    api<TReferral>('POST', `/api/referrals/${id}/decline`, { body: { reason } }),
  coordinationReferrals: (query: { state?: string; purpose?: string; overdue?: string; page?: number }) =>
    api<TPageOf<TCoordinationReferral>>('GET', '/api/coordination/referrals', { query }),
  referralMatrix: () =>
    api<TReferralMatrix & { version: number; isDefault: boolean }>('GET', '/api/referral-rules/matrix'),
  responseRules: () =>
    api<{ rules: TResponseRules; version: number; isDefault: boolean }>('GET', '/api/referral-rules/deadlines'),
  saveResponseRules: (body: { rules: TResponseRules; version: number }) =>
    api<{ rules: TResponseRules; version: number; isDefault: boolean }>('PUT', '/api/referral-rules/deadlines', {
      body,
    }),
  calendar: (year: number) => api<TCalendarYear>('GET', `/api/calendar/${year}`),
  saveCalendar: (year: number, body: TCalendarYearInput) =>
    api<TCalendarYear>('PUT', `/api/calendar/${year}`, { body }),
  notifications: (query: { unread?: 'true'; limit?: number } = {}) =>
    api<{ items: TNotification[]; unread: number }>('GET', '/api/notifications', { query }),
  markNotificationsRead: (body: { ids: string[] } | { all: true }) =>
    api<{ unread: number }>('POST', '/api/notifications/read', { body }),
  requestEmergencyAccess: (id: string, reason: string) =>
    api<TEmergencyAccess>('POST', `/api/cases/${id}/emergency-access`, { body: { reason } }),
  caseEmergencyAccess: (id: string) => api<{ items: TEmergencyAccess[] }>('GET', `/api/cases/${id}/emergency-access`),
  pendingEmergencyReviews: () => api<{ items: TEmergencyAccess[] }>('GET', '/api/emergency-access/pending-review'),
  reviewEmergencyAccess: (id: string, outcome: 'justified' | 'not_justified') =>
    api<TEmergencyAccess>('POST', `/api/emergency-access/${id}/review`, { body: { outcome } }),

  securitySettings: () => api<TSecuritySettings>('GET', '/api/settings/security'),
  saveSecuritySettings: (body: TSecuritySettings) => api<TSecuritySettings>('PUT', '/api/settings/security', { body }),
};
