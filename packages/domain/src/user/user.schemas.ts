import { z } from 'zod';
import { ZRole } from '../access/roles.ts';
import { ZPassword } from '../auth/auth.schemas.ts';
import { ZLocale } from '../common/locale.ts';

export const ZUsername = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,63}$/);

export const ZUserCreate = z.object({
  agencyId: z.uuid(),
  username: ZUsername,
  email: z.email().max(254).toLowerCase().nullable().optional(),
  displayName: z.string().trim().min(1).max(200),
  roles: z.array(ZRole).min(1).max(9),
  locale: ZLocale.default('ru'),
  password: ZPassword,
});
export type TUserCreate = z.infer<typeof ZUserCreate>;

export const ZUserUpdate = z.object({
  email: z.email().max(254).toLowerCase().nullable().optional(),
  displayName: z.string().trim().min(1).max(200).optional(),
  roles: z.array(ZRole).min(1).max(9).optional(),
  active: z.boolean().optional(),
  version: z.number().int().positive(),
});
export type TUserUpdate = z.infer<typeof ZUserUpdate>;

export const ZPasswordReset = z.object({ password: ZPassword });

export const ZUser = z.object({
  id: z.uuid(),
  agencyId: z.uuid(),
  agencyName: z.string(),
  username: z.string(),
  email: z.string().nullable(),
  displayName: z.string(),
  roles: z.array(ZRole),
  locale: ZLocale,
  active: z.boolean(),
  totpEnabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
});
export type TUser = z.infer<typeof ZUser>;

export const ZPageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

/** A paginated list of items. */
export function ZPage<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    /** True when `total` is a floor: the count stopped there and more items exist. */
    totalCapped: z.boolean().optional(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}
