import { z } from 'zod';

/**
 * The audit event catalogue: every action the system records. Typed so a test can prove that
 * each is translated and that services only append known actions.
 */
export const AUDIT_ACTIONS = [
  'auth.login.success',
  'auth.login.failure',
  'auth.lockout',
  'auth.logout',
  'auth.logout_all',
  'auth.password.change',
  'auth.totp.enable',
  'auth.totp.disable',
  'auth.session.expired',
  'agency.create',
  'agency.update',
  'user.create',
  'user.update',
  'user.deactivate',
  'user.password.reset',
  'user.unlock',
  'settings.update',
  'audit.read',
  'case.create',
  'case.read',
  'case.update',
  'case.list',
  'case.search',
  'screening.create',
  'catalogue.publish',
  'draft.read',
  'draft.save',
  'draft.discard',
  'consent.record',
  'consent.withdraw',
  'referral.send',
  'referral.read',
  'referral.accept',
  'referral.decline',
  'referral.start',
  'referral.complete',
  'referral.cancel',
  'referral.expire',
  'referral.escalate',
  'referral.remind',
  'referral.consent_withdrawn',
  'referral.scope_reduced',
  'referral.coordination_read',
  'emergency.open',
  'emergency.review',
  'rules.update',
  'calendar.update',
  'decision.take',
  'decision.escalate',
  'review.request',
  'review.escalate',
  'reflection.open',
  'reflection.extend',
  'reflection.end_early',
  'reflection.remind',
  'residence_permit.record',
  'proceedings.create',
  'proceedings.update',
  'status.read',
  'protection.lookup',
  'compliance.read',
  'duplicates.check',
  'duplicates.inquiry',
  'duplicates.pairs_read',
  'duplicates.scan',
  'duplicates.merge',
  'duplicates.unmerge',
  'duplicates.dismiss',
  'duplicates.config_update',
] as const;
export const ZAuditAction = z.enum(AUDIT_ACTIONS);
export type TAuditAction = z.infer<typeof ZAuditAction>;

export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;
export const ZAuditOutcome = z.enum(AUDIT_OUTCOMES);
export type TAuditOutcome = z.infer<typeof ZAuditOutcome>;

export const ZAuditQuery = z.object({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  action: ZAuditAction.optional(),
  outcome: ZAuditOutcome.optional(),
  actorId: z.uuid().optional(),
  agencyId: z.uuid().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type TAuditQuery = z.infer<typeof ZAuditQuery>;

/** An audit entry as the audit-log page shows it: who did what to which record, never its content. */
export const ZAuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorUsername: z.string().nullable(),
  agencyId: z.string().nullable(),
  agencyName: z.string().nullable(),
  action: ZAuditAction,
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  ip: z.string().nullable(),
  outcome: ZAuditOutcome,
});
export type TAuditEntry = z.infer<typeof ZAuditEntry>;
