import {
  ROLE_PERMISSIONS,
  ROLES,
  type TLocale,
  type TNotification,
  type TNotificationKind,
  type TPermission,
  type TReferralPurpose,
  type TRole,
  translate,
} from '@opennrm/domain';
import type { Queryable } from '../../db/client.ts';
import type { Config } from '../../env.ts';
import type { Ctx } from '../../http/context.ts';
import { actorOf } from '../../http/deps.ts';
import { enqueueJob } from '../../jobs/jobs.repository.ts';

/** The text of a notification in a language: case number and purpose only, never personal data. */
export function notificationMessage(
  locale: TLocale,
  kind: TNotificationKind,
  caseNumber: string,
  purpose: TReferralPurpose | null,
  /** The agency the notification comes from (a duplicate-match inquiry names it). */
  fromAgency: string | null = null,
): string {
  return translate(locale, `notifications.${kind}`, {
    number: caseNumber,
    purpose: purpose ? translate(locale, `referralPurposes.${purpose}`) : '',
    agency: fromAgency ?? '',
  });
}

/** Roles that hold a permission (to find who in an agency must hear of something). */
export function rolesWith(permission: TPermission): TRole[] {
  return ROLES.filter((r) => ROLE_PERMISSIONS[r].includes(permission));
}

/** Active users of an agency holding any of the roles. */
export async function agencyUsersWithRoles(q: Queryable, agencyId: string, roles: readonly TRole[]): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    'select id from users where agency_id = $1 and active and roles && $2::text[] order by id',
    [agencyId, roles],
  );
  return rows.map((r) => r.id);
}

/** Active users holding a role anywhere (e.g. the national coordinators). */
export async function usersWithRole(q: Queryable, role: TRole): Promise<string[]> {
  const rows = await q.query<{ id: string }>('select id from users where active and $1 = any(roles) order by id', [
    role,
  ]);
  return rows.map((r) => r.id);
}

/**
 * Puts a notification in each user's inbox, in the caller's transaction, and — when SMTP is
 * configured — queues one e-mail job per user with an address (sent by the job runner, outside
 * the request).
 */
export async function notify(
  q: Queryable,
  config: Pick<Config, 'smtpUrl'>,
  n: {
    userIds: readonly string[];
    kind: TNotificationKind;
    caseNumber: string;
    purpose?: TReferralPurpose | null;
    referralId?: string | null;
    fromAgencyId?: string | null;
  },
): Promise<number> {
  const users = [...new Set(n.userIds)];
  if (!users.length) return 0;
  const rows = await q.query<{ id: string; user_id: string }>(
    `insert into notifications (user_id, kind, case_number, purpose, referral_id, from_agency_id)
     select u, $2, $3, $4, $5, $6 from unnest($1::uuid[]) as u returning id, user_id`,
    [users, n.kind, n.caseNumber, n.purpose ?? null, n.referralId ?? null, n.fromAgencyId ?? null],
  );
  if (config.smtpUrl) {
    const withEmail = await q.query<{ id: string }>(
      'select id from users where id = any($1::uuid[]) and email is not null and active',
      [users],
    );
    const mailable = new Set(withEmail.map((u) => u.id));
    for (const r of rows) if (mailable.has(r.user_id)) await enqueueJob(q, 'email.send', { notificationId: r.id });
  }
  return rows.length;
}

interface NotificationRow {
  id: string;
  kind: TNotificationKind;
  case_number: string;
  purpose: TReferralPurpose | null;
  referral_id: string | null;
  from_agency: string | null;
  created_at: string;
  read_at: string | null;
}

/** The caller's inbox (latest first) and unread count. */
export async function listNotifications(ctx: Ctx, opts: { unreadOnly: boolean; limit: number }) {
  const actor = actorOf(ctx);
  const rows = await ctx.q.query<NotificationRow>(
    `select n.id, n.kind, n.case_number, n.purpose, n.referral_id, a.name as from_agency, n.created_at, n.read_at
       from notifications n left join agencies a on a.id = n.from_agency_id
      where n.user_id = $1 and ($2::boolean = false or n.read_at is null) order by n.created_at desc, n.id limit $3`,
    [actor.userId, opts.unreadOnly, opts.limit],
  );
  const [count] = await ctx.q.query<{ n: number }>(
    'select count(*)::int as n from notifications where user_id = $1 and read_at is null',
    [actor.userId],
  );
  const items: TNotification[] = rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    caseNumber: r.case_number,
    purpose: r.purpose,
    referralId: r.referral_id,
    message: notificationMessage(ctx.locale, r.kind, r.case_number, r.purpose, r.from_agency),
    createdAt: r.created_at,
    readAt: r.read_at,
  }));
  return { items, unread: count?.n ?? 0 };
}

/** Marks the caller's notifications read (the given ones, or all); another user's id matches nothing. */
export async function markRead(ctx: Ctx, ids: string[] | 'all'): Promise<{ unread: number }> {
  const actor = actorOf(ctx);
  if (ids === 'all')
    await ctx.q.query('update notifications set read_at = now() where user_id = $1 and read_at is null', [
      actor.userId,
    ]);
  else
    await ctx.q.query(
      'update notifications set read_at = now() where user_id = $1 and id = any($2::uuid[]) and read_at is null',
      [actor.userId, ids],
    );
  const [count] = await ctx.q.query<{ n: number }>(
    'select count(*)::int as n from notifications where user_id = $1 and read_at is null',
    [actor.userId],
  );
  return { unread: count?.n ?? 0 };
}
