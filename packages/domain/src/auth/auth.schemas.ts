import { z } from 'zod';
import { ZPermission, ZRole } from '../access/roles.ts';
import { ZAgencyType } from '../agency/agency.ts';
import { ZLocale } from '../common/locale.ts';

/** Password policy: length over composition rules (NIST SP 800-63B). */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
export const ZPassword = z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH);

export const ZTotpCode = z.string().regex(/^[0-9]{6}$/);

export const ZLoginRequest = z.object({
  login: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  totp: ZTotpCode.optional(),
});
export type TLoginRequest = z.infer<typeof ZLoginRequest>;

export const ZChangePasswordRequest = z.object({
  currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  newPassword: ZPassword,
});

export const ZTotpConfirmRequest = z.object({ code: ZTotpCode });
export const ZTotpDisableRequest = z.object({ password: z.string().min(1).max(PASSWORD_MAX_LENGTH) });
export const ZTotpSetup = z.object({ secret: z.string(), otpauthUrl: z.string() });

export const ZSessionUser = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  locale: ZLocale,
  roles: z.array(ZRole),
  permissions: z.array(ZPermission),
  agency: z.object({ id: z.uuid(), name: z.string(), type: ZAgencyType, region: z.string() }),
  totpEnabled: z.boolean(),
  mfaEnrollmentRequired: z.boolean(),
});
export type TSessionUser = z.infer<typeof ZSessionUser>;

export const ZSessionInfo = z.object({
  user: ZSessionUser.nullable(),
  csrfToken: z.string(),
  demo: z.boolean(),
  idleTimeoutSeconds: z.number().int(),
  expiresAt: z.string().nullable(),
});
export type TSessionInfo = z.infer<typeof ZSessionInfo>;

export const ZLocaleUpdate = z.object({ locale: ZLocale });
