import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROLES } from '@opennrm/domain';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from './env.ts';
import { openDb } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import { maintainEmbedded, prepare } from './server.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'opennrm-prepare-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const base = { OPENNRM_ARGON2_MEMORY_KIB: '8192', OPENNRM_ARGON2_ITERATIONS: '1' };

describe('prepare', () => {
  it('never creates demo agencies or users in production', async () => {
    const config = loadConfig(
      {
        ...base,
        OPENNRM_DATA_DIR: tempDir(),
        OPENNRM_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
        OPENNRM_INDEX_KEY: Buffer.alloc(32, 8).toString('base64'),
        OPENNRM_DEMO_PASSWORD: 'would-be-demo-password',
      },
      'production',
    );
    const logs: string[] = [];
    const deps = await prepare(config, (m) => logs.push(m));
    try {
      const [u] = await deps.db.query<{ n: number }>('select count(*)::int as n from users');
      const [a] = await deps.db.query<{ n: number }>('select count(*)::int as n from agencies');
      expect(u!.n).toBe(0);
      expect(a!.n).toBe(0);
      expect(deps.keys.master.equals(Buffer.alloc(32, 7))).toBe(true);
      expect(logs.join('\n')).not.toMatch(/demo/i);
    } finally {
      await deps.db.close();
    }
  }, 60_000);

  it('creates the demo directory in demo mode: 12 agencies and a user for every role', async () => {
    const config = loadConfig(
      { ...base, OPENNRM_DATA_DIR: tempDir(), OPENNRM_DEMO_PASSWORD: 'demo-password-12345' },
      'demo',
    );
    const deps = await prepare(config, () => undefined);
    try {
      const [a] = await deps.db.query<{ n: number }>('select count(*)::int as n from agencies');
      expect(a!.n).toBe(12);
      const roles = await deps.db.query<{ role: string }>('select distinct unnest(roles) as role from users');
      expect(roles.map((r) => r.role).sort()).toEqual([...ROLES].sort());
    } finally {
      await deps.db.close();
    }
  }, 60_000);
});

describe('embedded database maintenance', () => {
  it('gives the PGlite planner statistics (PGlite has no autovacuum; regression: 5 requests/s at 100,000 cases)', async () => {
    const db = await openDb({ dataDir: 'memory://' });
    try {
      await migrate(db);
      await db.query(
        `insert into agencies (id, name, type, region) select gen_random_uuid(), 'Agency ' || i, 'ngo', 'almaty' from generate_series(1, 50) i`,
      );
      const stats = async () =>
        (await db.query<{ n: number }>("select count(*)::int as n from pg_stats where tablename = 'agencies'"))[0]!.n;
      expect(await stats()).toBe(0);
      await maintainEmbedded(db);
      expect(await stats()).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });
});
