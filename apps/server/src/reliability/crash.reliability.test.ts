import { describe, expect, it } from 'vitest';
import { crashRounds, freshPgDatabase } from '../../../../scripts/crash-test.ts';

/**
 * The reduced crash test: kill -9 of the real server process under concurrent case creation, twice
 * per back end. The full run (10 kills each) is `npm run test:crash`; results in docs/reliability.md.
 */
const KILLS = Number(process.env.CRASH_KILLS ?? 2);

describe('kill -9 under write load', () => {
  it('loses no acknowledged write on PGlite and the audit chain verifies', async () => {
    const r = await crashRounds({ backend: 'pglite', kills: KILLS, clients: 3 });
    expect(r.rounds.map((x) => x.missing)).toEqual(Array(KILLS).fill(0));
    expect(r.rounds.every((x) => x.acked > 0)).toBe(true);
    expect(r.auditAlwaysOk, JSON.stringify(r.rounds.map((x) => x.audit))).toBe(true);
  });

  it.runIf(process.env.TEST_DATABASE_URL)(
    'loses no acknowledged write on PostgreSQL and the audit chain verifies',
    async () => {
      const fresh = await freshPgDatabase(process.env.TEST_DATABASE_URL!);
      if (!fresh) throw new Error('TEST_DATABASE_URL is set but the server is not reachable');
      try {
        const r = await crashRounds({ backend: 'pg', kills: KILLS, clients: 3, databaseUrl: fresh.url });
        expect(r.rounds.map((x) => x.missing)).toEqual(Array(KILLS).fill(0));
        expect(r.auditAlwaysOk, JSON.stringify(r.rounds.map((x) => x.audit))).toBe(true);
      } finally {
        await fresh.drop();
      }
    },
  );
});
