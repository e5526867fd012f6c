import type { Queryable } from '../db/client.ts';
import type { AppDeps } from '../http/deps.ts';
import { remindFollowUp } from '../modules/assistance/assistance.service.ts';
import { scanAllPairs } from '../modules/duplicates/duplicates.batch.ts';
import { pairPerson, supersedeByQueuedScan } from '../modules/duplicates/duplicates.service.ts';
import { sendNotificationEmail } from '../modules/notifications/mailer.ts';
import { escalateReferral, expireReferral, remindReferral } from '../modules/referrals/referrals.jobs.ts';
import { escalateDecision, escalateReview, remindReflection } from '../modules/status/status.jobs.ts';
import type { JobKind } from './jobs.repository.ts';

type Handler = (deps: AppDeps, q: Queryable, payload: Record<string, string>) => Promise<void>;

const HANDLERS: Record<JobKind, Handler> = {
  'referral.remind': (deps, q, p) => remindReferral(deps, q, p.referralId!),
  'referral.escalate': (deps, q, p) => escalateReferral(deps, q, p.referralId!),
  'referral.expire': (deps, q, p) => expireReferral(deps, q, p.referralId!),
  'email.send': (deps, q, p) => sendNotificationEmail(q, deps.config, p.notificationId!),
  'decision.escalate': (deps, q, p) => escalateDecision(deps, q, p.trackId!),
  'reflection.remind': (deps, q, p) => remindReflection(deps, q, p.periodId!, p.plannedEnd!),
  'review.escalate': (deps, q, p) => escalateReview(deps, q, p.reviewId!),
  'duplicates.person': async (deps, q, p) => {
    if (await supersedeByQueuedScan(q)) return;
    await pairPerson(deps, q, p.personId!);
  },
  'duplicates.scan': async (deps, q) => {
    await scanAllPairs(deps, q);
  },
  'return.follow_up': (deps, q, p) => remindFollowUp(deps, q, p.followUpId!),
};

const MAX_ATTEMPTS = 5;

/**
 * Runs one due job, if any. The job row is claimed with `FOR UPDATE SKIP LOCKED` in the same
 * transaction that runs the handler and marks the job done: another instance polling at the same
 * moment skips the locked row, and if this one dies mid-way the transaction rolls back and the job
 * is picked up again. Effects in the database therefore happen exactly once; an e-mail is sent at
 * most once per successful commit (a crash between sending and committing can repeat it).
 */
export async function runOneJob(deps: AppDeps, worker: string): Promise<boolean> {
  let claimed: { id: string; kind: JobKind } | null = null;
  try {
    return await deps.db.tx(async (q) => {
      const [job] = await q.query<{ id: string; kind: JobKind; payload: Record<string, string> }>(
        `select id::text, kind, payload from jobs where status = 'pending' and run_at <= now()
          order by run_at, id limit 1 for update skip locked`,
      );
      if (!job) return false;
      claimed = { id: job.id, kind: job.kind };
      const handler = HANDLERS[job.kind] as Handler | undefined;
      if (handler) await handler(deps, q, job.payload);
      await q.query(
        `update jobs set status = $2, attempts = attempts + 1, done_at = now(), done_by = $3, last_error = $4 where id = $1`,
        [job.id, handler ? 'done' : 'failed', worker, handler ? null : 'unknown job kind'],
      );
      return true;
    });
  } catch (err) {
    const failed = claimed as { id: string } | null;
    if (!failed) throw err;
    // Record the failure (error type only: messages can quote data) and retry later with backoff.
    await deps.db.query(
      `update jobs set attempts = attempts + 1, last_error = $2,
              status = case when attempts + 1 >= $3 then 'failed' else 'pending' end,
              run_at = now() + (interval '1 minute' * power(2, attempts))
        where id = $1`,
      [failed.id, (err as Error).name ?? 'Error', MAX_ATTEMPTS],
    );
    return true;
  }
}

/** Runs due jobs until none is left or `max` have run; returns how many ran. */
export async function runDueJobs(deps: AppDeps, worker: string, max = 100): Promise<number> {
  let n = 0;
  while (n < max && (await runOneJob(deps, worker))) n += 1;
  return n;
}
