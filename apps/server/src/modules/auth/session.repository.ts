import type { TAgencyType, TLocale, TRole } from '@opennrm/domain';
import type { Queryable } from '../../db/client.ts';

export interface SessionRow {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  username: string;
  display_name: string;
  email: string | null;
  locale: TLocale;
  roles: TRole[];
  user_active: boolean;
  totp_enabled: boolean;
  agency_id: string;
  agency_name: string;
  agency_type: TAgencyType;
  agency_region: string;
  agency_active: boolean;
}

export async function findSession(q: Queryable, id: string): Promise<SessionRow | undefined> {
  const [row] = await q.query<SessionRow>(
    `select s.id, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at,
            u.username, u.display_name, u.email, u.locale, u.roles, u.active as user_active, u.totp_enabled,
            a.id as agency_id, a.name as agency_name, a.type as agency_type, a.region as agency_region, a.active as agency_active
       from sessions s join users u on u.id = s.user_id join agencies a on a.id = u.agency_id
      where s.id = $1`,
    [id],
  );
  return row;
}

export async function createSession(
  q: Queryable,
  s: { id: string; userId: string; csrfToken: string; ip: string | null; userAgent: string | null; expiresAt: Date },
): Promise<void> {
  await q.query(
    'insert into sessions (id, user_id, csrf_token, ip, user_agent, expires_at) values ($1, $2, $3, $4, $5, $6)',
    [s.id, s.userId, s.csrfToken, s.ip, s.userAgent?.slice(0, 300) ?? null, s.expiresAt.toISOString()],
  );
}

export async function touchSession(q: Queryable, id: string): Promise<void> {
  await q.query('update sessions set last_seen_at = now() where id = $1', [id]);
}

export async function deleteSession(q: Queryable, id: string): Promise<void> {
  await q.query('delete from sessions where id = $1', [id]);
}

/** Ends every session of a user, optionally keeping one (the caller's own). */
export async function deleteUserSessions(q: Queryable, userId: string, keep?: string): Promise<number> {
  const rows = await q.query('delete from sessions where user_id = $1 and id <> $2 returning id', [userId, keep ?? '']);
  return rows.length;
}

export async function deleteAgencySessions(q: Queryable, agencyId: string): Promise<void> {
  await q.query('delete from sessions where user_id in (select id from users where agency_id = $1)', [agencyId]);
}

export async function purgeExpiredSessions(q: Queryable, idleMinutes: number): Promise<number> {
  const rows = await q.query(
    `delete from sessions where expires_at < now() or last_seen_at < now() - make_interval(mins => $1) returning id`,
    [idleMinutes],
  );
  return rows.length;
}
