import type { Actor } from '../http/context.ts';

/**
 * Which cases an actor may see (NRM.md section 4), as a SQL condition on alias `c` whose
 * parameters start at `$<first>`. The holding agency sees its cases: case workers, supervisors and
 * decision makers all of them, first responders only those they created. Later capabilities
 * (accepted referrals, emergency access) widen this here and nowhere else.
 */
export function casesVisibleTo(actor: Actor, first = 1): { sql: string; params: unknown[] } {
  if (!actor.permissions.has('cases.read')) return { sql: 'false', params: [] };
  if (actor.permissions.has('cases.read_agency')) return { sql: `c.agency_id = $${first}`, params: [actor.agencyId] };
  return { sql: `(c.agency_id = $${first} and c.created_by = $${first + 1})`, params: [actor.agencyId, actor.userId] };
}

export interface CaseRef {
  agency_id: string;
  created_by: string;
}

export function canSeeCase(actor: Actor, c: CaseRef): boolean {
  if (!actor.permissions.has('cases.read') || c.agency_id !== actor.agencyId) return false;
  return actor.permissions.has('cases.read_agency') || c.created_by === actor.userId;
}

/** What the actor may do with a case they can see; the web app reads this, never re-derives it. */
export function caseAbilities(actor: Actor, c: CaseRef) {
  const visible = canSeeCase(actor, c);
  return {
    update: visible && actor.permissions.has('cases.update'),
    screen: visible && actor.permissions.has('screening.perform'),
    viewAccessLog: visible && actor.permissions.has('cases.supervise'),
  };
}
export type TCaseAbilities = ReturnType<typeof caseAbilities>;
