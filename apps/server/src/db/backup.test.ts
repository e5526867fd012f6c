import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { sealAudit, verifyAudit } from '../audit/sealer.ts';
import { intake } from '../test/factories.ts';
import { createTestApp } from '../test/harness.ts';
import { BackupError, type BackupTarget, backupDatabase, restoreDatabase } from './backup.ts';
import { type Db, openDb } from './client.ts';

/**
 * Backup → restore into an empty database → the audit chain verifies, records decrypt with the
 * same keys, the chain keeps growing; the backup holds ciphertexts only; a non-empty target is
 * refused. PGlite always; PostgreSQL when TEST_DATABASE_URL is set (two fresh databases).
 */
const work = mkdtempSync(join(tmpdir(), 'opennrm-backup-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Side {
  target: BackupTarget;
  open: () => Promise<Db>;
  /** The backup as text we can search for plaintext. */
  readable: (file: string) => string;
  cleanup: () => Promise<void>;
}

function pgliteSide(name: string): Side {
  const dataDir = join(work, name);
  return {
    target: { kind: 'pglite', dataDir },
    open: () => openDb({ dataDir }),
    readable: (file) => gunzipSync(readFileSync(file)).toString('latin1'),
    cleanup: async () => undefined,
  };
}

async function pgSide(base: string, name: string): Promise<Side> {
  const dbName = `opennrm_bk_${randomBytes(4).toString('hex')}_${name}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${dbName}`;
  return {
    target: { kind: 'pg', url: url.toString() },
    open: () => openDb({ url: url.toString(), poolSize: 4 }),
    readable: (file) => execFileSync('pg_restore', ['--file=-', file], { maxBuffer: 64 << 20 }).toString('utf8'),
    cleanup: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${dbName} with (force)`);
      await c.end();
    },
  };
}

const BACKENDS = process.env.TEST_DATABASE_URL ? (['pglite', 'pg'] as const) : (['pglite'] as const);

describe.each(BACKENDS)('backup and restore on %s', (backend) => {
  it('round-trips: chain intact, records decrypt with the same keys, no plaintext in the backup', async () => {
    const make = (name: string) =>
      backend === 'pg' ? pgSide(process.env.TEST_DATABASE_URL!, name) : Promise.resolve(pgliteSide(name));
    const source = await make('src');
    const target = await make('dst');
    const file = join(work, `${backend}.backup`);
    const keys = { master: randomBytes(32), index: randomBytes(32) };
    try {
      // 1. Data with encrypted persons, written through the API.
      const t = await createTestApp({}, { db: await source.open(), keys });
      const worker = await t.as('shelter.worker');
      const written: { id: string; family: string; doc: string; narrative: string }[] = [];
      for (let i = 0; i < 4; i++) {
        const body = intake({
          person: { names: [{ family: `Backupova${i}Q`, given: 'Roundtrip', script: 'latin', kind: 'primary' }] },
          case: { narrative: `Backup narrative number ${i} xyzzy` },
        });
        const res = await worker.post('/api/cases', body);
        expect(res.statusCode).toBe(201);
        written.push({
          id: res.json().id,
          family: `Backupova${i}Q`,
          doc: body.person.documents[0]!.number,
          narrative: body.case.narrative!,
        });
      }
      await sealAudit(t.db);
      const before = await verifyAudit(t.db);
      expect(before.ok).toBe(true);
      const [pii] = await t.db.query<{ pii: string }>('select pii from persons limit 1');
      await t.close();

      // 2. Backup: ciphertexts only (the positive control proves we search the right bytes).
      expect(await backupDatabase(source.target, file)).toBeGreaterThan(1000);
      const text = source.readable(file);
      expect(text.includes(pii!.pii.slice(0, 40))).toBe(true);
      for (const w of written) {
        expect(text.includes(w.family)).toBe(false);
        expect(text.includes(w.doc)).toBe(false);
        expect(text.includes(w.narrative)).toBe(false);
      }
      expect(text.includes(keys.master.toString('base64'))).toBe(false);

      // 3. Refuses a database that is not empty, and a backup of the other back end.
      await expect(restoreDatabase(source.target, file)).rejects.toThrow(/not empty/);
      await expect(restoreDatabase(source.target, file)).rejects.toBeInstanceOf(BackupError);

      // 4. Restore into an empty one: the chain verifies and records decrypt with the same keys.
      await restoreDatabase(target.target, file);
      const r = await createTestApp({}, { db: await target.open(), keys });
      try {
        const after = await verifyAudit(r.db);
        expect(after).toMatchObject({ ok: true, blocks: before.blocks, events: before.events });
        const reader = await r.as('shelter.worker');
        for (const w of written) {
          const c = await reader.get(`/api/cases/${w.id}`);
          expect(c.statusCode).toBe(200);
          expect(c.json().person.names[0].family).toBe(w.family);
          expect(c.json().case.narrative).toBe(w.narrative);
        }
        // Blind-index search works with the same index key.
        const found = await reader.post('/api/cases/search', { q: written[0]!.family });
        expect(found.json().items.map((i: { id: string }) => i.id)).toContain(written[0]!.id);
        // The restored chain keeps growing and still verifies.
        expect((await reader.post('/api/cases', intake())).statusCode).toBe(201);
        expect(await sealAudit(r.db)).toBeGreaterThan(0);
        const grown = await verifyAudit(r.db);
        expect(grown.ok).toBe(true);
        expect(grown.blocks).toBeGreaterThan(before.blocks);
      } finally {
        await r.close();
      }
    } finally {
      await source.cleanup();
      await target.cleanup();
    }
  }, 120_000); // three databases, a full backup and a restore: ~30 s alone on 2 cores, more when they are shared
});

describe('backup and restore commands', () => {
  it('refuses a restore into a non-empty PGlite folder with a clear message, and a pg_dump into PGlite', async () => {
    const dir = join(work, 'cli');
    const env = { ...process.env, OPENNRM_DATA_DIR: dir, DATABASE_URL: '' };
    delete (env as Record<string, string | undefined>).DATABASE_URL;
    const cli = (...args: string[]) => {
      try {
        return {
          code: 0,
          out: execFileSync('npx', ['tsx', 'apps/server/src/cli/index.ts', ...args], {
            env,
            cwd: join(__dirname, '../../../..'),
            stdio: 'pipe',
          }).toString(),
        };
      } catch (err) {
        const e = err as { status: number; stderr: Buffer; stdout: Buffer };
        return { code: e.status, out: `${e.stdout}${e.stderr}` };
      }
    };
    expect(cli('migrate').code).toBe(0);
    const file = join(work, 'cli.backup');
    const b = cli('backup', file);
    expect(b.out).toMatch(/backup written to .* It holds no keys/);
    const refused = cli('restore', file);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/refusing to restore: the database folder .* is not empty/);
    const fake = join(work, 'fake.dump');
    writeFileSync(fake, 'PGDMP\u0001\u000e\u0000');
    const wrongKind = cli('restore', fake);
    expect(wrongKind.code).toBe(1);
    expect(wrongKind.out).toMatch(/is a PostgreSQL \(pg_dump\) backup, but the configured database is embedded PGlite/);
    const fresh = { ...env, OPENNRM_DATA_DIR: join(work, 'cli-restored') };
    const ok = execFileSync('npx', ['tsx', 'apps/server/src/cli/index.ts', 'restore', file], {
      env: fresh,
      cwd: join(__dirname, '../../../..'),
    }).toString();
    expect(ok).toMatch(/restored/);
    const verify = execFileSync('npx', ['tsx', 'apps/server/src/cli/index.ts', 'verify-audit'], {
      env: fresh,
      cwd: join(__dirname, '../../../..'),
    }).toString();
    expect(verify).toMatch(/audit chain OK/);
  }, 120_000);
});
