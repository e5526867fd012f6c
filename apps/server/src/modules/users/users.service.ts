import { SYSTEM_GRANTED_ROLES, type TUser, type TUserCreate, type TUserUpdate } from '@opennrm/domain';
import { appendAudit } from '../../audit/audit.service.ts';
import { hashPassword } from '../../crypto/password.ts';
import type { Ctx } from '../../http/context.ts';
import { type AppDeps, actorOf } from '../../http/deps.ts';
import { AppError, fieldError, notFound, stale } from '../../http/errors.ts';
import { assertAssignableRoles, canManageUsersOf, canSeeUser } from '../../policies/user.policy.ts';
import { deleteUserSessions } from '../auth/session.repository.ts';
import { getUser } from './users.repository.ts';

function uniqueViolation(err: unknown): never {
  const e = err as { code?: string; constraint?: string; message?: string };
  if (e.code === '23505') {
    const what = `${e.constraint ?? ''} ${e.message ?? ''}`;
    throw new AppError(what.includes('email') ? 'conflict.email_taken' : 'conflict.username_taken');
  }
  throw err;
}

async function agencyFor(ctx: Ctx, agencyId: string) {
  const [agency] = await ctx.q.query<{ id: string; is_competent_authority: boolean; active: boolean }>(
    'select id, is_competent_authority, active from agencies where id = $1',
    [agencyId],
  );
  return agency;
}

/** Loads a user the actor may manage; anything else is "not found". */
async function manageable(ctx: Ctx, id: string) {
  const actor = actorOf(ctx);
  const user = await getUser(ctx.q, id);
  if (!user || !canSeeUser(actor, user) || !canManageUsersOf(actor, user.agency_id)) throw notFound();
  // An account holding a role only the system administrator grants is managed by them alone: otherwise an
  // agency administrator could reset its password or e-mail and act with system-wide rights.
  if (!actor.permissions.has('users.manage_all') && user.roles.some((r) => SYSTEM_GRANTED_ROLES.includes(r)))
    throw new AppError('forbidden');
  return user;
}

export async function readUser(ctx: Ctx, id: string): Promise<TUser> {
  const user = await getUser(ctx.q, id);
  if (!user || !canSeeUser(actorOf(ctx), user)) throw notFound();
  const { agency_id: _, ...rest } = user;
  return rest;
}

export async function createUser(deps: AppDeps, ctx: Ctx, input: TUserCreate): Promise<TUser> {
  const actor = actorOf(ctx);
  const agency = await agencyFor(ctx, input.agencyId);
  if (!agency || !canManageUsersOf(actor, agency.id)) throw fieldError('agencyId', 'invalid_value');
  assertAssignableRoles(actor, input.roles, agency);
  const passwordHash = await hashPassword(input.password, {
    memoryCost: deps.config.argon2MemoryKib,
    timeCost: deps.config.argon2Iterations,
  });
  const [row] = await ctx.q
    .query<{ id: string }>(
      `insert into users (agency_id, username, email, display_name, password_hash, roles, locale)
       values ($1, $2, $3, $4, $5, $6, $7) returning id`,
      [input.agencyId, input.username, input.email ?? null, input.displayName, passwordHash, input.roles, input.locale],
    )
    .catch(uniqueViolation);
  await appendAudit(ctx.q, {
    actor,
    action: 'user.create',
    targetType: 'user',
    targetId: row!.id,
    ip: ctx.ip,
    details: { roles: input.roles.join(',') },
  });
  return readUser(ctx, row!.id);
}

/** Updates a user; deactivation ends every session of that user in the same transaction. */
export async function updateUser(ctx: Ctx, id: string, patch: TUserUpdate): Promise<TUser> {
  const actor = actorOf(ctx);
  const user = await manageable(ctx, id);
  if (id === actor.userId && (patch.active === false || patch.roles)) throw new AppError('forbidden');
  if (patch.roles) {
    const agency = await agencyFor(ctx, user.agency_id);
    assertAssignableRoles(actor, patch.roles, agency!);
  }
  const rows = await ctx.q
    .query(
      `update users set email = case when $3::boolean then $4 else email end,
              display_name = coalesce($5, display_name),
              roles = coalesce($6, roles),
              active = coalesce($7, active),
              version = version + 1, updated_at = now()
        where id = $1 and version = $2 returning id`,
      [
        id,
        patch.version,
        patch.email !== undefined,
        patch.email ?? null,
        patch.displayName ?? null,
        patch.roles ?? null,
        patch.active ?? null,
      ],
    )
    .catch(uniqueViolation);
  if (!rows.length) throw stale();
  const deactivated = user.active && patch.active === false;
  if (deactivated) await deleteUserSessions(ctx.q, id);
  await appendAudit(ctx.q, {
    actor,
    action: deactivated ? 'user.deactivate' : 'user.update',
    targetType: 'user',
    targetId: id,
    ip: ctx.ip,
    details: {
      fields: Object.keys(patch)
        .filter((k) => k !== 'version')
        .join(','),
    },
  });
  return readUser(ctx, id);
}

/** Sets a new password chosen by an administrator; the user's sessions end. */
export async function resetPassword(deps: AppDeps, ctx: Ctx, id: string, password: string): Promise<void> {
  const actor = actorOf(ctx);
  await manageable(ctx, id);
  const passwordHash = await hashPassword(password, {
    memoryCost: deps.config.argon2MemoryKib,
    timeCost: deps.config.argon2Iterations,
  });
  await ctx.q.query(
    'update users set password_hash = $2, password_changed_at = now(), failed_logins = 0, locked_until = null, updated_at = now() where id = $1',
    [id, passwordHash],
  );
  await deleteUserSessions(ctx.q, id);
  await appendAudit(ctx.q, { actor, action: 'user.password.reset', targetType: 'user', targetId: id, ip: ctx.ip });
}

export async function unlockUser(ctx: Ctx, id: string): Promise<void> {
  const actor = actorOf(ctx);
  await manageable(ctx, id);
  await ctx.q.query('update users set failed_logins = 0, locked_until = null where id = $1', [id]);
  await appendAudit(ctx.q, { actor, action: 'user.unlock', targetType: 'user', targetId: id, ip: ctx.ip });
}
