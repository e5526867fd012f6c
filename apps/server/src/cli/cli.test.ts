import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../audit/audit.service.ts';
import { sealAudit } from '../audit/sealer.ts';
import { openDb } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const CLI = join(ROOT, 'apps/server/src/cli/index.ts');
let dataDir: string;

/** Runs the real CLI (tsx) on the embedded database in dataDir. */
function cli(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENNRM_DATA_DIR: dataDir, OPENNRM_LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  return spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [CLI, ...args], { cwd: ROOT, env, encoding: 'utf8' });
}

async function withDb(fn: (db: Awaited<ReturnType<typeof openDb>>) => Promise<void>) {
  const db = await openDb({ dataDir: join(dataDir, 'pglite') });
  try {
    await fn(db);
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'opennrm-cli-'));
  await withDb(async (db) => {
    await migrate(db);
    for (let i = 0; i < 4; i++)
      await db.tx((q) => appendAudit(q, { action: 'agency.update', targetType: 'agency', targetId: `a${i}` }));
    await sealAudit(db);
  });
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('cli verify-audit', () => {
  it('exits 0 on an intact chain and 1 naming the first broken link after tampering', async () => {
    const good = cli('verify-audit');
    expect(good.stderr).toBe('');
    expect(good.stdout).toMatch(/audit chain OK: 1 blocks, 4 events sealed/);
    expect(good.status).toBe(0);

    let tampered = '';
    await withDb(async (db) => {
      const [row] = await db.query<{ id: string }>("select id::text from audit_events where target_id = 'a2'");
      tampered = row!.id;
      await db.tx(async (q) => {
        await q.query('alter table audit_events disable trigger user');
        await q.query("update audit_events set target_id = 'zz' where id = $1", [tampered]);
        await q.query('alter table audit_events enable trigger user');
      });
    });
    const bad = cli('verify-audit');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(`audit chain BROKEN at event ${tampered} block 1`);
  }, 60_000);
});
