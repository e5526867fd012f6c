import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runDueJobs, runOneJob } from '../../jobs/jobs.runner.ts';
import { intake } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { queueScan } from './duplicates.service.ts';

/**
 * A queued full batch supersedes the one-person duplicate jobs waiting before it (after an import,
 * tens of thousands of them); a batch already running does not, since persons added meanwhile may
 * be missing from its snapshot.
 */
let t: TestApp;

const jobs = (kind: string) =>
  t.db.query<{ status: string; done_by: string | null }>(
    'select status, done_by from jobs where kind = $1 order by id',
    [kind],
  );
const openPairs = async () =>
  Number((await t.db.query<{ n: string }>("select count(*) as n from duplicate_pairs where status = 'open'"))[0]!.n);

beforeEach(async () => {
  await t?.close();
  t = await createTestApp();
  await runDueJobs(t.deps, 'setup', 1000);
  const police = await t.as('police.investigator');
  // the same person registered three times: three person jobs, three pairs to find
  for (let i = 0; i < 3; i++) expect((await police.post('/api/cases', intake())).statusCode).toBe(201);
});
afterAll(async () => t.close());

describe('one-person duplicate jobs and a queued full batch', () => {
  it('are superseded by the batch in one go, and the batch finds the pairs', async () => {
    await t.db.tx((q) => queueScan(q));
    expect(await runOneJob(t.deps, 'w')).toBe(true);
    const persons = await jobs('duplicates.person');
    expect(persons.map((j) => j.status)).toEqual(['done', 'done', 'done']);
    expect(persons.filter((j) => j.done_by === 'superseded by duplicates.scan')).toHaveLength(2);
    expect(await openPairs()).toBe(0);
    expect((await jobs('duplicates.scan')).map((j) => j.status)).toEqual(['pending']);
    await runDueJobs(t.deps, 'w');
    expect((await jobs('duplicates.scan')).map((j) => j.status)).toEqual(['done']);
    expect(await openPairs()).toBe(3);
  });

  it('without a queued batch, each pairs its own person', async () => {
    await runDueJobs(t.deps, 'w');
    const persons = await jobs('duplicates.person');
    expect(persons.every((j) => j.status === 'done' && j.done_by === 'w')).toBe(true);
    expect(await openPairs()).toBe(3);
  });

  // A batch running elsewhere needs a second connection holding its job row: PostgreSQL only (the
  // PostgreSQL run of CI, `npm run test:pg`). Embedded PGlite has one connection and one job loop,
  // so no batch can run beside a person job there.
  it.skipIf(!process.env.TEST_DATABASE_URL)('are not superseded by a batch that is already running', async () => {
    await t.db.tx((q) => queueScan(q));
    // another instance runs the batch: its job row is locked until that transaction ends
    await t.db.tx(async (q) => {
      await q.query("select id from jobs where kind = 'duplicates.scan' for update");
      await runDueJobs(t.deps, 'w');
    });
    const persons = await jobs('duplicates.person');
    expect(persons.every((j) => j.status === 'done' && j.done_by === 'w')).toBe(true);
    expect(await openPairs()).toBe(3);
  });
});
