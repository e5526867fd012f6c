import { z } from 'zod';
import type { TAgencyType } from '../agency/agency.ts';

/** Agency types whose users may open a case in an emergency (with permission `emergency.access`). */
export const EMERGENCY_AGENCY_TYPES: readonly TAgencyType[] = ['police', 'migration_police', 'health'];

/** How long emergency access lasts. */
export const EMERGENCY_ACCESS_HOURS = 4;

export const ZEmergencyRequest = z.object({ reason: z.string().trim().min(20).max(2000) });

export const EMERGENCY_REVIEW_OUTCOMES = ['justified', 'not_justified'] as const;
export const ZEmergencyReview = z.object({ outcome: z.enum(EMERGENCY_REVIEW_OUTCOMES) });

export const ZEmergencyAccess = z.object({
  id: z.uuid(),
  caseId: z.uuid(),
  user: z.object({ id: z.uuid(), displayName: z.string() }),
  agency: z.object({ id: z.uuid(), name: z.string() }),
  /** The written reason; shown to the holding agency and the user who gave it. */
  reason: z.string().nullable(),
  grantedAt: z.string(),
  expiresAt: z.string(),
  active: z.boolean(),
  review: z
    .object({
      outcome: z.enum(EMERGENCY_REVIEW_OUTCOMES),
      by: z.object({ id: z.uuid(), displayName: z.string() }),
      at: z.string(),
    })
    .nullable(),
});
export type TEmergencyAccess = z.infer<typeof ZEmergencyAccess>;
