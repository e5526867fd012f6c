import type { TAgencyType, TLocale, TPermission, TRole } from '@opennrm/domain';
import type { AuditEvent } from '../audit/audit.service.ts';
import type { Queryable } from '../db/client.ts';

/** The signed-in user a request acts for. */
export interface Actor {
  userId: string;
  username: string;
  agencyId: string;
  agencyType: TAgencyType;
  agencyRegion: string;
  roles: TRole[];
  permissions: Set<TPermission>;
  sessionId: string;
}

/** What every service call receives: who acts, from where, in which transaction. */
export interface Ctx {
  actor: Actor | null;
  ip: string | null;
  locale: TLocale;
  q: Queryable;
  /**
   * Records a refused access. The request's transaction rolls back with the error that follows,
   * so these events are appended afterwards in a transaction of their own.
   */
  auditDenied: (event: Omit<AuditEvent, 'outcome' | 'actor' | 'ip'>) => void;
}

/** A route's access declaration: a permission from the matrix, or an explicit public marker. */
export type RouteAccess =
  | { permission: TPermission; allowDuringMfaEnrollment?: boolean; metricsToken?: boolean }
  | { public: true; reason: string };

declare module 'fastify' {
  interface FastifyRequest {
    locale: TLocale;
    actor: Actor | null;
    sessionExpired: boolean;
    mfaEnrollmentRequired: boolean;
    csrfToken: string | null;
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}
