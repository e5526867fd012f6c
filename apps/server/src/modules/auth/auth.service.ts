import type { TLoginRequest, TSessionUser } from '@opennrm/domain';
import { permissionsOf } from '@opennrm/domain';
import { appendAudit } from '../../audit/audit.service.ts';
import { open, randomToken, seal, sha256Hex } from '../../crypto/keys.ts';
import { hashPassword, verifyPassword } from '../../crypto/password.ts';
import { newTotpSecret, otpauthUrl, verifyTotp } from '../../crypto/totp.ts';
import type { Queryable } from '../../db/client.ts';
import type { Ctx } from '../../http/context.ts';
import { type AppDeps, actorOf } from '../../http/deps.ts';
import { AppError } from '../../http/errors.ts';
import { getSecuritySettings, mfaRequiredFor } from '../settings/settings.repository.ts';
import { createSession, deleteSession, deleteUserSessions, findSession } from './session.repository.ts';

interface LoginUserRow {
  id: string;
  username: string;
  agency_id: string;
  password_hash: string;
  active: boolean;
  agency_active: boolean;
  failed_logins: number;
  locked_until: string | null;
  totp_enabled: boolean;
  totp_secret_enc: string | null;
  totp_last_step: string | null;
}

let dummyHash: string | null = null;

/** AAD that binds an encrypted TOTP secret to its user. */
const totpAad = (userId: string) => `users.totp_secret:${userId}`;

/**
 * Verifies credentials and opens a session. Failures are audited; repeated failures lock the
 * account for a while. Unknown usernames cost the same argon2 time as known ones.
 */
export async function login(
  deps: AppDeps,
  input: TLoginRequest,
  meta: { ip: string | null; userAgent: string | null; previousSessionId?: string | null },
) {
  const { db, config } = deps;
  const params = { memoryCost: config.argon2MemoryKib, timeCost: config.argon2Iterations };
  const [user] = await db.query<LoginUserRow>(
    `select u.id, u.username, u.agency_id, u.password_hash, u.active, a.active as agency_active, u.failed_logins, u.locked_until,
            u.totp_enabled, u.totp_secret_enc, u.totp_last_step::text
       from users u join agencies a on a.id = u.agency_id
      where lower(u.username) = lower($1) or lower(u.email) = lower($1)
      order by (lower(u.username) = lower($1)) desc limit 1`,
    [input.login],
  );
  const fail = async (reason: string, q: Queryable = db) =>
    appendAudit(q, {
      actor: user ? { userId: user.id, username: user.username, agencyId: user.agency_id } : null,
      action: 'auth.login.failure',
      ip: meta.ip,
      outcome: 'failure',
      details: { reason },
    });

  /** Counts a failed attempt (bad password or bad second factor) and locks the account at the threshold. */
  const failAndCount = (found: LoginUserRow, reason: string) =>
    db.tx(async (q) => {
      const [row] = await q.query<{ failed_logins: number }>(
        `update users set failed_logins = failed_logins + 1 where id = $1 returning failed_logins`,
        [found.id],
      );
      await fail(reason, q);
      if (row && row.failed_logins >= config.lockoutThreshold) {
        await q.query(
          `update users set locked_until = now() + make_interval(mins => $2), failed_logins = 0 where id = $1`,
          [found.id, config.lockoutMinutes],
        );
        await appendAudit(q, {
          actor: { userId: found.id, username: found.username, agencyId: found.agency_id },
          action: 'auth.lockout',
          ip: meta.ip,
          outcome: 'failure',
          details: { minutes: config.lockoutMinutes },
        });
      }
    });

  if (!user) {
    dummyHash ??= await hashPassword(randomToken(), params);
    await verifyPassword(dummyHash, input.password);
    await fail('unknown_user');
    throw new AppError('auth.invalid_credentials');
  }
  if (user.locked_until && new Date(user.locked_until).getTime() > Date.now()) {
    await fail('locked');
    throw new AppError('auth.locked', { until: new Date(user.locked_until).toISOString() });
  }
  const passwordOk = await verifyPassword(user.password_hash, input.password);
  if (!passwordOk || !user.active || !user.agency_active) {
    await failAndCount(user, passwordOk ? 'inactive' : 'bad_password');
    throw new AppError('auth.invalid_credentials');
  }
  let totpStep: number | null = null;
  if (user.totp_enabled && user.totp_secret_enc) {
    if (!input.totp) throw new AppError('auth.totp_required');
    const secret = open(deps.keys.master, user.totp_secret_enc, totpAad(user.id)).toString('utf8');
    totpStep = verifyTotp(
      secret,
      input.totp,
      Date.now(),
      user.totp_last_step === null ? null : Number(user.totp_last_step),
    );
    if (totpStep === null) {
      // Wrong codes count toward the lockout too, or a stolen password would allow guessing codes forever.
      await failAndCount(user, 'bad_totp');
      throw new AppError('auth.totp_invalid');
    }
  }
  const token = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(Date.now() + config.sessionMaxHours * 3600_000);
  await db.tx(async (q) => {
    await q.query(
      `update users set failed_logins = 0, locked_until = null, last_login_at = now(), totp_last_step = coalesce($2, totp_last_step) where id = $1`,
      [user.id, totpStep],
    );
    // Signing in over a live session replaces it: one browser never holds two sessions.
    if (meta.previousSessionId) await deleteSession(q, meta.previousSessionId);
    await createSession(q, {
      id: sha256Hex(token),
      userId: user.id,
      csrfToken,
      ip: meta.ip,
      userAgent: meta.userAgent,
      expiresAt,
    });
    await appendAudit(q, {
      actor: { userId: user.id, username: user.username, agencyId: user.agency_id },
      action: 'auth.login.success',
      ip: meta.ip,
      details: { mfa: totpStep !== null },
    });
  });
  return { token, csrfToken, expiresAt };
}

/** The signed-in user as the web app needs it. */
export async function sessionUser(
  deps: AppDeps,
  sessionId: string,
  mfaEnrollmentRequired: boolean,
): Promise<TSessionUser & { expiresAt: string }> {
  const s = await findSession(deps.db, sessionId);
  if (!s) throw new AppError('auth.required');
  return {
    id: s.user_id,
    username: s.username,
    displayName: s.display_name,
    email: s.email,
    locale: s.locale,
    roles: s.roles,
    permissions: [...permissionsOf(s.roles)],
    agency: { id: s.agency_id, name: s.agency_name, type: s.agency_type, region: s.agency_region },
    totpEnabled: s.totp_enabled,
    mfaEnrollmentRequired,
    expiresAt: s.expires_at,
  };
}

export async function logout(ctx: Ctx): Promise<void> {
  const actor = actorOf(ctx);
  await deleteSession(ctx.q, actor.sessionId);
  await appendAudit(ctx.q, { actor, action: 'auth.logout', ip: ctx.ip });
}

export async function logoutEverywhere(ctx: Ctx): Promise<number> {
  const actor = actorOf(ctx);
  // Deletes every session of the user, the caller's own included; n already counts it.
  const n = await deleteUserSessions(ctx.q, actor.userId);
  await appendAudit(ctx.q, { actor, action: 'auth.logout_all', ip: ctx.ip, details: { sessions: n } });
  return n;
}

async function checkCurrentPassword(ctx: Ctx, password: string): Promise<void> {
  const actor = actorOf(ctx);
  const [row] = await ctx.q.query<{ password_hash: string }>('select password_hash from users where id = $1', [
    actor.userId,
  ]);
  if (!row || !(await verifyPassword(row.password_hash, password))) throw new AppError('auth.current_password_wrong');
}

/** Changes the caller's password and signs out their other sessions. */
export async function changePassword(deps: AppDeps, ctx: Ctx, current: string, next: string): Promise<void> {
  const actor = actorOf(ctx);
  await checkCurrentPassword(ctx, current);
  if (current === next) throw new AppError('auth.password_reused');
  const hashed = await hashPassword(next, {
    memoryCost: deps.config.argon2MemoryKib,
    timeCost: deps.config.argon2Iterations,
  });
  await ctx.q.query(
    'update users set password_hash = $2, password_changed_at = now(), updated_at = now() where id = $1',
    [actor.userId, hashed],
  );
  await deleteUserSessions(ctx.q, actor.userId, actor.sessionId);
  await appendAudit(ctx.q, { actor, action: 'auth.password.change', ip: ctx.ip });
}

/** Starts TOTP enrolment: stores a new secret (encrypted, not yet active) and returns it once. */
export async function setupTotp(deps: AppDeps, ctx: Ctx) {
  const actor = actorOf(ctx);
  const secret = newTotpSecret();
  await ctx.q.query(
    'update users set totp_secret_enc = $2, totp_enabled = false where id = $1 and totp_enabled = false',
    [actor.userId, seal(deps.keys.master, secret, totpAad(actor.userId))],
  );
  const [row] = await ctx.q.query<{ totp_enabled: boolean }>('select totp_enabled from users where id = $1', [
    actor.userId,
  ]);
  if (row?.totp_enabled) throw new AppError('conflict');
  return { secret, otpauthUrl: otpauthUrl(secret, actor.username) };
}

export async function confirmTotp(deps: AppDeps, ctx: Ctx, code: string): Promise<void> {
  const actor = actorOf(ctx);
  const [row] = await ctx.q.query<{ totp_secret_enc: string | null; totp_enabled: boolean }>(
    'select totp_secret_enc, totp_enabled from users where id = $1',
    [actor.userId],
  );
  if (!row?.totp_secret_enc || row.totp_enabled) throw new AppError('conflict');
  const step = verifyTotp(open(deps.keys.master, row.totp_secret_enc, totpAad(actor.userId)).toString('utf8'), code);
  if (step === null) throw new AppError('auth.totp_invalid');
  await ctx.q.query('update users set totp_enabled = true, totp_last_step = $2, updated_at = now() where id = $1', [
    actor.userId,
    step,
  ]);
  await appendAudit(ctx.q, { actor, action: 'auth.totp.enable', ip: ctx.ip });
}

/** Turns the second factor off; refused while one of the user's roles requires it. */
export async function disableTotp(ctx: Ctx, password: string): Promise<void> {
  const actor = actorOf(ctx);
  await checkCurrentPassword(ctx, password);
  if (mfaRequiredFor(actor.roles, await getSecuritySettings(ctx.q))) throw new AppError('forbidden');
  await ctx.q.query(
    'update users set totp_enabled = false, totp_secret_enc = null, totp_last_step = null, updated_at = now() where id = $1',
    [actor.userId],
  );
  await appendAudit(ctx.q, { actor, action: 'auth.totp.disable', ip: ctx.ip });
}

export async function setLocale(ctx: Ctx, locale: string): Promise<void> {
  await ctx.q.query('update users set locale = $2 where id = $1', [actorOf(ctx).userId, locale]);
}
