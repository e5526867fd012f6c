import { z } from 'zod';

/** User roles inside an agency (NRM.md section 4). A user may hold several. */
export const ROLES = [
  'first_responder',
  'case_worker',
  'supervisor',
  'decision_maker',
  'coordinator',
  'exchange_officer',
  'agency_admin',
  'analyst',
  'auditor',
  'system_admin',
] as const;
export const ZRole = z.enum(ROLES);
export type TRole = z.infer<typeof ZRole>;

/**
 * Every permission a route can declare. Record-level rules (which agency holds a case,
 * referrals, consent) are not here: they live in the server's policies.
 */
export const PERMISSIONS = [
  'profile.self',
  'agencies.read',
  'agencies.manage',
  'users.read',
  'users.read_all',
  'users.manage',
  'users.manage_all',
  'audit.read',
  'settings.manage',
  'metrics.read',
  'cases.create',
  'cases.read',
  'cases.update',
  'cases.read_agency',
  'cases.supervise',
  'screening.perform',
  'catalogue.read',
  'catalogue.manage',
  'referrals.send',
  'referrals.respond',
  'consent.record',
  'decisions.take',
  'protection.read',
  'assistance.manage',
  'emergency.access',
  'emergency.review',
  'stats.read',
  'coordination.read',
  'rules.read',
  'duplicates.review',
  'exchange.import',
  'exchange.export',
] as const;
export const ZPermission = z.enum(PERMISSIONS);
export type TPermission = z.infer<typeof ZPermission>;

const CASE_WORK: TPermission[] = [
  'cases.create',
  'cases.read',
  'cases.read_agency',
  'cases.update',
  'screening.perform',
  'catalogue.read',
  'referrals.send',
  'referrals.respond',
  'rules.read',
  'consent.record',
  'assistance.manage',
];

/**
 * The static role → permission matrix. Data, not code: changing who may do what is an edit here
 * (and a test update), never a condition scattered through handlers. Deny by default: a role
 * has exactly what is listed.
 */
export const ROLE_PERMISSIONS: Record<TRole, readonly TPermission[]> = {
  first_responder: [
    'profile.self',
    'agencies.read',
    'cases.create',
    'cases.read',
    'cases.update',
    'screening.perform',
    'catalogue.read',
    'referrals.send',
    'rules.read',
    'consent.record',
    'emergency.access',
    'protection.read',
  ],
  case_worker: ['profile.self', 'agencies.read', ...CASE_WORK, 'emergency.access', 'protection.read'],
  supervisor: [
    'profile.self',
    'agencies.read',
    'users.read',
    ...CASE_WORK,
    'cases.supervise',
    'emergency.access',
    'emergency.review',
    'duplicates.review',
    'protection.read',
  ],
  decision_maker: [
    'profile.self',
    'agencies.read',
    'cases.read',
    'cases.read_agency',
    'cases.update',
    'referrals.respond',
    'decisions.take',
    'catalogue.read',
  ],
  coordinator: [
    'profile.self',
    'agencies.read',
    'users.read',
    'stats.read',
    'coordination.read',
    'rules.read',
    'duplicates.review',
    'exchange.export',
  ],
  // exchange.import: bulk intake of an HTCDS file (an IOM or partner data officer). Only this role has
  // it, granted by a system administrator (SYSTEM_GRANTED_ROLES) to the few people who load partner
  // data; the imported cases are held by the importer's agency, so it is usually held together with
  // case_worker. Not a case worker's permission: one upload creates hundreds of person records.
  exchange_officer: ['profile.self', 'exchange.import'],
  agency_admin: ['profile.self', 'agencies.read', 'users.read', 'users.manage'],
  analyst: ['profile.self', 'stats.read'],
  auditor: ['profile.self', 'agencies.read', 'users.read', 'users.read_all', 'audit.read'],
  system_admin: [
    'profile.self',
    'agencies.read',
    'agencies.manage',
    'users.read',
    'users.read_all',
    'users.manage',
    'users.manage_all',
    'settings.manage',
    'rules.read',
    'metrics.read',
    'catalogue.read',
    'catalogue.manage',
  ],
};

/** Roles that only a system administrator may grant (an agency administrator cannot). */
export const SYSTEM_GRANTED_ROLES: readonly TRole[] = ['system_admin', 'auditor', 'coordinator', 'exchange_officer'];

/** Roles that may only be held in an agency that is a competent authority. */
export const COMPETENT_AUTHORITY_ROLES: readonly TRole[] = ['decision_maker'];

/** The union of the permissions of the given roles. */
export function permissionsOf(roles: readonly TRole[]): Set<TPermission> {
  const out = new Set<TPermission>();
  for (const role of roles) for (const p of ROLE_PERMISSIONS[role]) out.add(p);
  return out;
}

/** True when any of the roles grants the permission. */
export function can(roles: readonly TRole[], permission: TPermission): boolean {
  return roles.some((r) => ROLE_PERMISSIONS[r].includes(permission));
}
