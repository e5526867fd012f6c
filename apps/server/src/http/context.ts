import type { TAgencyType, TLocale, TPermission, TRole, TShareScope } from '@opennrm/domain';
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

/**
 * Who reaches the case a route under `/api/cases/:id` names (anyone else gets 404): `holder` its
 * holding agency only (`canSeeCase`); `readers` whoever may read it on any ground (`caseAccess`:
 * holder, emergency access, accepted referral); `{ readers: scope }` the same, a referral receiver
 * only when its referrals share `scope` (or one of the scopes listed: `reachesScope`); `any` any
 * existing case (asking for emergency access). Every such route declares it; the authorization
 * matrix derives its expectation from it and the policy, and fails on a case route without one.
 */
export type CaseReach = 'holder' | 'readers' | { readers: TShareScope | readonly TShareScope[] } | 'any';

/** A route's access declaration: a permission from the matrix, or an explicit public marker. */
export type RouteAccess =
  | { permission: TPermission; allowDuringMfaEnrollment?: boolean; metricsToken?: boolean; case?: CaseReach }
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
