import { type TRole, ZRole } from '@opennrm/domain';
import { z } from 'zod';
import type { Queryable } from '../../db/client.ts';

export const ZSecuritySettings = z.object({
  /** Roles whose users must use a second factor (TOTP). */
  mfaRequiredRoles: z.array(ZRole).max(9),
});
export type TSecuritySettings = z.infer<typeof ZSecuritySettings>;

const DEFAULTS: TSecuritySettings = { mfaRequiredRoles: [] };

export async function getSecuritySettings(q: Queryable): Promise<TSecuritySettings & { version: number }> {
  const [row] = await q.query<{ value: unknown; version: number }>(
    "select value, version from settings where key = 'security'",
  );
  if (!row) return { ...DEFAULTS, version: 0 };
  return { ...ZSecuritySettings.parse(row.value), version: row.version };
}

/** Saves the security settings; returns false when `version` is stale. */
export async function saveSecuritySettings(
  q: Queryable,
  value: TSecuritySettings,
  version: number,
  userId: string,
): Promise<boolean> {
  if (version === 0) {
    const rows = await q.query(
      `insert into settings (key, value, updated_by) values ('security', $1, $2) on conflict (key) do nothing returning key`,
      [JSON.stringify(value), userId],
    );
    return rows.length === 1;
  }
  const rows = await q.query(
    `update settings set value = $1, version = version + 1, updated_at = now(), updated_by = $2 where key = 'security' and version = $3 returning key`,
    [JSON.stringify(value), userId, version],
  );
  return rows.length === 1;
}

export function mfaRequiredFor(roles: readonly TRole[], settings: TSecuritySettings): boolean {
  return roles.some((r) => settings.mfaRequiredRoles.includes(r));
}
