import { describe, expect, it } from 'vitest';
import { intake } from '../test/factories.ts';
import { createTestApp } from '../test/harness.ts';

/**
 * Two users edit the same case at the same moment with the same version: exactly one wins (200),
 * the other is told the case changed (409 conflict.stale) — never a lost update. PGlite always;
 * PostgreSQL when TEST_DATABASE_URL is set (there the two requests really run on two connections).
 */
const BACKENDS: ('pglite' | 'pg')[] = process.env.TEST_DATABASE_URL ? ['pglite', 'pg'] : ['pglite'];
const ROUNDS = 15;

describe.each(BACKENDS)('concurrent edits on %s', (backend) => {
  it('answers exactly one 200 and one 409 for two simultaneous edits of the same version', async () => {
    const t = await createTestApp({}, { backend });
    try {
      const worker = await t.as('police.investigator');
      const supervisor = await t.as('police.supervisor');
      for (let round = 0; round < ROUNDS; round++) {
        const created = await worker.post('/api/cases', intake());
        expect(created.statusCode).toBe(201);
        const id = created.json().id as string;
        const { version, case: fields } = (await worker.get(`/api/cases/${id}`)).json();
        const [a, b] = await Promise.all([
          worker.patch(`/api/cases/${id}`, { version, case: { ...fields, narrative: `edit A ${round}` } }),
          supervisor.patch(`/api/cases/${id}`, { version, case: { ...fields, narrative: `edit B ${round}` } }),
        ]);
        const codes = [a.statusCode, b.statusCode].sort();
        expect(codes, `round ${round}: ${a.body.slice(0, 200)} | ${b.body.slice(0, 200)}`).toEqual([200, 409]);
        const loser = a.statusCode === 409 ? a : b;
        expect(loser.json().error.code).toBe('conflict.stale');
        const winner = a.statusCode === 200 ? 'A' : 'B';
        const after = (await worker.get(`/api/cases/${id}`)).json();
        expect(after.version).toBe(version + 1);
        expect(after.case.narrative).toBe(`edit ${winner} ${round}`);
      }
    } finally {
      await t.close();
    }
  });
});
