import {
  ATTACHMENT_CATEGORIES,
  REFERRAL_ACCESS_STATES,
  SHARE_SCOPES,
  scopeOfField,
  type TCaseAccess,
  type TShareScope,
} from '@opennrm/domain';
import type { Queryable } from '../db/client.ts';
import type { Actor } from '../http/context.ts';

const ACCESS_STATES_SQL = REFERRAL_ACCESS_STATES.map((s) => `'${s}'`).join(', ');
const ALL_SCOPES: TShareScope[] = [...SHARE_SCOPES];

/**
 * The share scope that releases a case's linked criminal proceedings (register number, article,
 * stage, the person's procedural role, protection measures) to a referral receiver: they are part
 * of the account of the exploitation. Without it the proceedings of the case do not exist for the
 * receiver (404).
 */
export const PROCEEDINGS_SCOPE: TShareScope = scopeOfField('criminalProceedings');

/**
 * The scopes under which a referral receiver sees attachments: each category's scope
 * (`ATTACHMENT_CATEGORIES`; `other` stays with the holder). Without one of them the attachments of
 * the case do not exist for the receiver (404).
 */
export const ATTACHMENT_SCOPES: readonly TShareScope[] = Object.values(ATTACHMENT_CATEGORIES).filter(
  (s): s is Exclude<typeof s, null> => s !== null,
);

/**
 * Which cases an actor may see (NRM.md section 4), as a SQL condition on alias `c` whose
 * parameters start at `$<first>`:
 * - the holding agency: case workers, supervisors and decision makers all its cases, first
 *   responders those they created;
 * - an agency with an accepted (in progress, completed) referral of the case: its users who answer
 *   referrals, limited to the referral's scope (the presenter cuts the fields);
 * - a user with unexpired emergency access to the case.
 * `identitySql` (same parameters) is true for rows whose identity the actor may see: lists show a
 * name only then. `sharedScopeSql` is null where the actor sees the whole case (holder, emergency)
 * and else the scopes its agency's referrals share: lists cut the other fields.
 */
export function casesVisibleTo(
  actor: Actor,
  first = 1,
): { sql: string; params: unknown[]; identitySql: string; sharedScopeSql: string } {
  if (!actor.permissions.has('cases.read'))
    return { sql: 'false', params: [], identitySql: 'false', sharedScopeSql: "'{}'::text[]" };
  const params: unknown[] = [];
  const p = (v: unknown) => `$${first - 1 + params.push(v)}`;
  const agency = p(actor.agencyId);
  const user = p(actor.userId);
  const holder = actor.permissions.has('cases.read_agency')
    ? `c.agency_id = ${agency}::uuid`
    : `(c.agency_id = ${agency}::uuid and c.created_by = ${user}::uuid)`;
  const full = [holder];
  const any = [holder];
  if (actor.permissions.has('emergency.access')) {
    const emergency = `exists (select 1 from emergency_access ea where ea.case_id = c.id and ea.user_id = ${user}::uuid and ea.expires_at > now())`;
    full.push(emergency);
    any.push(emergency);
  }
  let identitySql = `(${full.join(' or ')})`;
  if (actor.permissions.has('referrals.respond')) {
    const referred = (extra: string) =>
      `exists (select 1 from referrals rr where rr.case_id = c.id and rr.to_agency_id = ${agency}::uuid and rr.state in (${ACCESS_STATES_SQL})${extra})`;
    any.push(referred(''));
    identitySql = `(${identitySql} or ${referred(" and 'identity' = any(rr.scope)")})`;
  }
  // Both parameters are always referenced (PostgreSQL needs a type for each), in each condition:
  // the case list runs `identitySql` without `sql` (a decision maker's holder branch names no user).
  const always = `(${user}::uuid is null)`;
  // Where the actor sees the case only through referrals: the union of their shared scopes (else null).
  const sharedScopeSql = actor.permissions.has('referrals.respond')
    ? `case when (${full.join(' or ')} or ${always}) then null else
        (select coalesce(array_agg(distinct s.scope), '{}') from referrals rr, unnest(rr.scope) as s(scope)
          where rr.case_id = c.id and rr.to_agency_id = ${agency}::uuid and rr.state in (${ACCESS_STATES_SQL})) end`
    : `case when ${always} then '{}'::text[] end`;
  return {
    sql: `(${any.join(' or ')} or ${always})`,
    params,
    identitySql: `(${identitySql} or ${always})`,
    sharedScopeSql,
  };
}

/** One visibility branch of the case list (see `caseVisibilityBranches`). */
export interface CaseBranch {
  /** The condition on alias `c` selecting the branch's cases, answerable from an index. */
  sql: string;
  /**
   * Null on the branches whose cases the actor sees in full (holder, emergency access). On the
   * branch of cases referred to the actor's agency, which it sees cut to the shared scope (as
   * `sharedScopeSql` says), conditions on case `c`: `shares(scope)` an accepted referral to the
   * agency shares `scope` (a semi-join on the referrals of the case); `only` the actor sees the
   * case through referrals only — not in full on another ground, which would put it in another
   * branch as well, with every value (a conjunction of anti-joins). A list filters and sorts a
   * referred case on a column of a part only where that part is shared, else as if the value were
   * null: neither the rows nor their order may answer what a row does not show.
   */
  referred: { shares: (scope: TShareScope) => string; only: string } | null;
}

/**
 * The cases an actor may see (the same rules as `casesVisibleTo`) as separate conditions on alias
 * `c` whose union is the visible set, each one answerable from an index: the holding agency's
 * cases, cases under emergency access, cases referred to the actor's agency. A list takes the top
 * rows of each branch and merges them, instead of testing every case against an `or exists`.
 * With `identityOnly`, only branches whose cases show the person's identity (a name search).
 * `push` adds a parameter and returns its placeholder.
 */
export function caseVisibilityBranches(
  actor: Actor,
  push: (v: unknown) => string,
  identityOnly: boolean,
): CaseBranch[] {
  if (!actor.permissions.has('cases.read')) return [];
  const agency = `${push(actor.agencyId)}::uuid`;
  const holder = actor.permissions.has('cases.read_agency')
    ? `c.agency_id = ${agency}`
    : `(c.agency_id = ${agency} and c.created_by = ${push(actor.userId)}::uuid)`;
  const branches: CaseBranch[] = [{ sql: holder, referred: null }];
  // The actor does not see the case in full on any ground (each a condition an anti-join answers).
  const notFull = [`not (${holder})`];
  if (actor.permissions.has('emergency.access')) {
    const user = `${push(actor.userId)}::uuid`;
    branches.push({
      sql: `c.id in (select ea.case_id from emergency_access ea where ea.user_id = ${user} and ea.expires_at > now())`,
      referred: null,
    });
    notFull.push(
      `not exists (select 1 from emergency_access ea where ea.case_id = c.id and ea.user_id = ${user} and ea.expires_at > now())`,
    );
  }
  if (actor.permissions.has('referrals.respond'))
    branches.push({
      sql: `c.id in (select rr.case_id from referrals rr where rr.to_agency_id = ${agency} and rr.state in (${ACCESS_STATES_SQL})${identityOnly ? " and 'identity' = any(rr.scope)" : ''})`,
      referred: {
        shares: (scope) => {
          if (!ALL_SCOPES.includes(scope)) throw new Error(`unknown share scope ${scope}`);
          return `exists (select 1 from referrals rs where rs.case_id = c.id and rs.to_agency_id = ${agency}
            and rs.state in (${ACCESS_STATES_SQL}) and '${scope}' = any(rs.scope))`;
        },
        only: `(${notFull.join(' and ')})`,
      },
    });
  return branches;
}

export interface CaseRef {
  id?: string;
  agency_id: string;
  created_by: string;
}

/** True when the actor sees the case as (a member of) its holding agency. */
export function canSeeCase(actor: Actor, c: CaseRef): boolean {
  if (!actor.permissions.has('cases.read') || c.agency_id !== actor.agencyId) return false;
  return actor.permissions.has('cases.read_agency') || c.created_by === actor.userId;
}
export const isHolder = canSeeCase;

/**
 * On what ground the actor may read the case, or null (the caller answers 404). Emergency access
 * and referrals are read from the database at the moment of the request, so an expired grant or a
 * withdrawn consent takes effect on the very next request.
 */
export async function caseAccess(q: Queryable, actor: Actor, c: CaseRef & { id: string }): Promise<TCaseAccess | null> {
  if (canSeeCase(actor, c)) return { kind: 'holder', scope: ALL_SCOPES, expiresAt: null };
  if (!actor.permissions.has('cases.read')) return null;
  if (actor.permissions.has('emergency.access')) {
    const [grant] = await q.query<{ expires_at: string }>(
      `select expires_at from emergency_access where case_id = $1 and user_id = $2 and expires_at > now()
        order by expires_at desc limit 1`,
      [c.id, actor.userId],
    );
    if (grant) return { kind: 'emergency', scope: ALL_SCOPES, expiresAt: grant.expires_at };
  }
  if (actor.permissions.has('referrals.respond')) {
    const rows = await q.query<{ scope: string[] }>(
      `select scope from referrals where case_id = $1 and to_agency_id = $2 and state in (${ACCESS_STATES_SQL})`,
      [c.id, actor.agencyId],
    );
    if (rows.length) {
      const union = new Set(rows.flatMap((r) => r.scope));
      return { kind: 'referral', scope: ALL_SCOPES.filter((s) => union.has(s)), expiresAt: null };
    }
  }
  return null;
}

/**
 * Whether a ground of access (from `caseAccess`) reaches the part of the case one of these scopes
 * releases: always for the holder and emergency access (every scope), for a referral receiver only
 * when its referrals share one of them.
 */
export function reachesScope(access: TCaseAccess, scopes: TShareScope | readonly TShareScope[]): boolean {
  return [scopes].flat().some((s) => access.scope.includes(s));
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
