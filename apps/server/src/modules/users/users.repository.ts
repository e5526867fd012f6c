import type { TUser } from '@opennrm/domain';
import type { Queryable } from '../../db/client.ts';

export const USER_COLUMNS = `u.id, u.agency_id as "agencyId", a.name as "agencyName", u.username, u.email, u.display_name as "displayName",
  u.roles, u.locale, u.active, u.totp_enabled as "totpEnabled", u.locked_until as "lockedUntil", u.last_login_at as "lastLoginAt",
  u.version, u.created_at as "createdAt"`;

export interface UserFilter {
  agencyId?: string | undefined;
  role?: string | undefined;
  active?: boolean | undefined;
  q?: string | undefined;
  page: number;
  pageSize: number;
}

export async function listUsers(q: Queryable, scope: { sql: string; params: unknown[] }, f: UserFilter) {
  const params = [...scope.params];
  const where = [scope.sql];
  if (f.agencyId) where.push(`u.agency_id = $${params.push(f.agencyId)}`);
  if (f.role) where.push(`$${params.push(f.role)} = any(u.roles)`);
  if (f.active !== undefined) where.push(`u.active = $${params.push(f.active)}`);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    where.push(`(u.username ilike $${params.push(like)} or u.display_name ilike $${params.length})`);
  }
  const from = `from users u join agencies a on a.id = u.agency_id where ${where.join(' and ')}`;
  const [count] = await q.query<{ n: number }>(`select count(*)::int as n ${from}`, params);
  const items = await q.query<TUser>(
    `select ${USER_COLUMNS} ${from} order by a.name, u.username limit ${f.pageSize} offset ${(f.page - 1) * f.pageSize}`,
    params,
  );
  return { items, total: count?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

export async function getUser(q: Queryable, id: string): Promise<(TUser & { agency_id: string }) | undefined> {
  const [row] = await q.query<TUser & { agency_id: string }>(
    `select ${USER_COLUMNS}, u.agency_id from users u join agencies a on a.id = u.agency_id where u.id = $1`,
    [id],
  );
  return row;
}
