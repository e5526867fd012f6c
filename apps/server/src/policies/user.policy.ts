import { COMPETENT_AUTHORITY_ROLES, SYSTEM_GRANTED_ROLES, type TRole } from '@opennrm/domain';
import type { Actor } from '../http/context.ts';
import { fieldError } from '../http/errors.ts';

/** SQL condition (on alias `u`) limiting a user list to what the actor may see; $1 is the actor's agency. */
export function usersVisibleTo(actor: Actor): { sql: string; params: unknown[] } {
  if (actor.permissions.has('users.read_all')) return { sql: 'true', params: [] };
  return { sql: 'u.agency_id = $1', params: [actor.agencyId] };
}

export function canSeeUser(actor: Actor, target: { agency_id: string }): boolean {
  return actor.permissions.has('users.read_all') || target.agency_id === actor.agencyId;
}

/** System administrators manage every agency's users; agency administrators only their own. */
export function canManageUsersOf(actor: Actor, agencyId: string): boolean {
  if (actor.permissions.has('users.manage_all')) return true;
  return actor.permissions.has('users.manage') && actor.agencyId === agencyId;
}

/** Refuses a role set the actor may not grant or the agency may not hold. */
export function assertAssignableRoles(
  actor: Actor,
  roles: readonly TRole[],
  agency: { is_competent_authority: boolean },
): void {
  if (!actor.permissions.has('users.manage_all') && roles.some((r) => SYSTEM_GRANTED_ROLES.includes(r))) {
    throw fieldError('roles', 'role_not_assignable');
  }
  if (!agency.is_competent_authority && roles.some((r) => COMPETENT_AUTHORITY_ROLES.includes(r))) {
    throw fieldError('roles', 'decision_maker_needs_competent_authority');
  }
}
