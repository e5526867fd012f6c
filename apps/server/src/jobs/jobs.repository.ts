import type { Queryable } from '../db/client.ts';

export type JobKind =
  | 'referral.remind'
  | 'referral.escalate'
  | 'referral.expire'
  | 'email.send'
  | 'decision.escalate'
  | 'reflection.remind'
  | 'review.escalate'
  | 'duplicates.person'
  | 'duplicates.scan'
  | 'return.follow_up';

/** Queues a job in the caller's transaction: it exists exactly when the change that needs it does. */
export async function enqueueJob(
  q: Queryable,
  kind: JobKind,
  payload: Record<string, string>,
  runAt: Date = new Date(),
): Promise<void> {
  await q.query('insert into jobs (kind, payload, run_at) values ($1, $2, $3)', [
    kind,
    JSON.stringify(payload),
    runAt.toISOString(),
  ]);
}
