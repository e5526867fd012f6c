import {
  type TAgency,
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

  securitySettings: () => api<TSecuritySettings>('GET', '/api/settings/security'),
  saveSecuritySettings: (body: TSecuritySettings) => api<TSecuritySettings>('PUT', '/api/settings/security', { body }),
};
