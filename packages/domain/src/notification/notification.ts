import { z } from 'zod';
import { ZReferralPurpose } from '../referral/referral.ts';

/**
 * In-app and e-mail notifications. They carry a case number and a referral purpose only — never
 * personal data — and the text is built from `notifications.<kind>` in the reader's language.
 */
export const NOTIFICATION_KINDS = [
  'referral_received',
  'referral_accepted',
  'referral_declined',
  'referral_cancelled',
  'referral_completed',
  'referral_expired',
  'referral_reminder',
  'referral_overdue',
  'referral_consent_withdrawn',
  'emergency_access_opened',
  'decision_taken',
  'decision_overdue',
  'reflection_ending',
  'review_requested',
  'review_overdue',
  'duplicate_inquiry',
  'placement_over_capacity',
  'closure_requested',
  'return_follow_up_due',
] as const;
export const ZNotificationKind = z.enum(NOTIFICATION_KINDS);
export type TNotificationKind = z.infer<typeof ZNotificationKind>;

export const ZNotification = z.object({
  id: z.uuid(),
  kind: ZNotificationKind,
  caseNumber: z.string(),
  purpose: ZReferralPurpose.nullable(),
  referralId: z.uuid().nullable(),
  message: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type TNotification = z.infer<typeof ZNotification>;

export const ZNotificationList = z.object({ items: z.array(ZNotification), unread: z.number().int() });
