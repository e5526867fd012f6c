import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDb } from '../db/client.ts';
import type { AppDeps } from '../http/deps.ts';
import { createTestApp, type TestApp } from '../test/harness.ts';
import { referredCase } from '../test/referral-fixtures.ts';
import { runDueJobs } from './jobs.runner.ts';

const url = process.env.TEST_DATABASE_URL;

/** Two server instances (two connection pools) on one PostgreSQL database run the job loop together. */
describe.skipIf(!url)('jobs with two instances on PostgreSQL', () => {
  let t: TestApp;
  let second: Db;
  let deps2: AppDeps;
  beforeAll(async () => {
    t = await createTestApp();
    const [{ schema }] = (await t.db.query<{ schema: string }>('select current_schema() as schema')) as [
      { schema: string },
    ];
    second = await openDb({ url, schema, poolSize: 5 });
    deps2 = { ...t.deps, db: second };
  });
  afterAll(async () => {
    await second.close();
    await t.close();
  });

  it('escalates each overdue referral exactly once', async () => {
    const shelter = await t.as('shelter.worker');
    const policeId = await t.agencyId('Almaty City Police Department');
    const ids: string[] = [];
    for (let i = 0; i < 6; i++)
      ids.push((await referredCase(t, shelter, { toAgencyId: policeId, scope: [] })).referralId);
    await t.db.query("update referrals set due_at = now() - interval '1 minute' where id = any($1::uuid[])", [ids]);
    await t.db.query(
      "update jobs set run_at = now() - interval '1 second' where kind = 'referral.escalate' and payload->>'referralId' = any($1::text[])",
      [ids],
    );
    // Both instances poll at the same time, several rounds each.
    const runs = await Promise.all([
      runDueJobs(t.deps, 'instance-a'),
      runDueJobs(deps2, 'instance-b'),
      runDueJobs(t.deps, 'instance-a'),
      runDueJobs(deps2, 'instance-b'),
    ]);
    expect(runs.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(6);
    const jobs = await t.db.query<{ done_by: string }>(
      "select done_by from jobs where kind = 'referral.escalate' and status = 'done' and payload->>'referralId' = any($1::text[])",
      [ids],
    );
    expect(jobs.length).toBe(6);
    for (const id of ids) {
      const rows = await t.db.query<{ user_id: string; n: number }>(
        "select user_id, count(*)::int as n from notifications where referral_id = $1 and kind = 'referral_overdue' group by user_id",
        [id],
      );
      expect(rows.length).toBe(2); // police.supervisor + coordinator
      for (const r of rows) expect(r.n).toBe(1);
      const [audit] = await t.db.query<{ n: number }>(
        "select count(*)::int as n from audit_events where action = 'referral.escalate' and target_id = $1",
        [id],
      );
      expect(audit!.n).toBe(1);
    }
  });
});
