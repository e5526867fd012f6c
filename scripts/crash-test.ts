// kill -9 under write load: `npm run test:crash -- [--kills 10] [--backend pglite|pg|both] [--clients 4]`.
// After every crash: the database opens, every acknowledged (201) case is there, the audit chain verifies.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { BenchClient, ROOT, startServer } from '../bench/lib.ts';
import { sealAudit, verifyAudit } from '../apps/server/src/audit/sealer.ts';
import { openDb } from '../apps/server/src/db/client.ts';
import { intake } from '../apps/server/src/test/factories.ts';

const PASSWORD = 'crash-test-password-0123';
const WRITERS = ['shelter.worker', 'shelter.outreach', 'police.investigator', 'social.worker', 'iom.officer'];

export interface CrashRound {
  round: number;
  startMs: number;
  acked: number;
  failedInFlight: number;
  missing: number;
  totalCases: number;
  audit: { ok: boolean; blocks: number; events: number; reason?: string };
}

export interface CrashReport {
  backend: 'pglite' | 'pg';
  kills: number;
  ackedTotal: number;
  missingTotal: number;
  auditAlwaysOk: boolean;
  cliVerify: string;
  seconds: number;
  rounds: CrashRound[];
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A fresh database on the PostgreSQL server of `base`, or null when the server is not reachable. */
export async function freshPgDatabase(base: string): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const name = `opennrm_crash_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
    await admin.query(`create database ${name}`);
  } catch {
    return null;
  } finally {
    await admin.end().catch(() => undefined);
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** Runs `kills` rounds of: start → concurrent case creation → kill -9 → open, check, verify. */
export async function crashRounds(opts: {
  backend: 'pglite' | 'pg';
  kills: number;
  clients?: number;
  databaseUrl?: string;
  log?: (msg: string) => void;
}): Promise<CrashReport> {
  const log = opts.log ?? (() => {});
  const t0 = performance.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'opennrm-crash-'));
  const env: Record<string, string> = {
    OPENNRM_DATA_DIR: dataDir,
    OPENNRM_DEMO_PASSWORD: PASSWORD,
    OPENNRM_ARGON2_MEMORY_KIB: '8192',
    OPENNRM_ARGON2_ITERATIONS: '1',
    OPENNRM_LOGIN_RATE_PER_MINUTE: '10000',
    OPENNRM_LOG_LEVEL: 'error',
  };
  if (opts.backend === 'pg') env.DATABASE_URL = opts.databaseUrl!;
  const openTarget = () =>
    opts.backend === 'pg'
      ? openDb({ url: opts.databaseUrl!, poolSize: 2 })
      : openDb({ dataDir: join(dataDir, 'pglite') });
  const acked = new Set<string>();
  const rounds: CrashRound[] = [];
  try {
    for (let round = 1; round <= opts.kills; round++) {
      const port = await freePort();
      const server = await startServer({ ...env, PORT: String(port) });
      const base = `http://127.0.0.1:${port}`;
      const clients = await Promise.all(
        Array.from({ length: opts.clients ?? 4 }, async (_, i) => {
          const c = new BenchClient(base);
          const status = await c.login(WRITERS[i % WRITERS.length]!, PASSWORD);
          if (status !== 200) throw new Error(`login failed: ${status}`);
          return c;
        }),
      );
      let ackedThisRound = 0;
      let failed = 0;
      let stop = false;
      const writers = clients.map(async (c) => {
        while (!stop) {
          try {
            const res = await c.request('POST', '/api/cases', intake());
            const body = (await res.json()) as { id?: string };
            if (res.status === 201 && body.id) {
              acked.add(body.id);
              ackedThisRound++;
            } else if (!stop) failed++;
          } catch {
            failed++; // the connection died with the server: not acknowledged
          }
        }
      });
      // Kill at a random moment once writes are flowing.
      const started = acked.size;
      while (acked.size - started < 5) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 1200));
      const exited = new Promise((r) => server.proc.once('exit', r));
      server.proc.kill('SIGKILL');
      await exited;
      stop = true;
      await Promise.all(writers);

      // The database opens; every acknowledged case is there; the chain verifies.
      const db = await openTarget();
      try {
        const ids = [...acked];
        const [present] = await db.query<{ n: number }>(
          'select count(*)::int as n from cases where id = any($1::uuid[])',
          [ids],
        );
        const [total] = await db.query<{ n: number }>('select count(*)::int as n from cases');
        await sealAudit(db);
        const v = await verifyAudit(db);
        const r: CrashRound = {
          round,
          startMs: Math.round(server.ms),
          acked: ackedThisRound,
          failedInFlight: failed,
          missing: ids.length - (present?.n ?? 0),
          totalCases: total?.n ?? 0,
          audit: { ok: v.ok, blocks: v.blocks, events: v.events, ...(v.broken ? { reason: v.broken.reason } : {}) },
        };
        rounds.push(r);
        log(
          `${opts.backend} kill ${round}/${opts.kills}: ${r.acked} acknowledged this round, ${r.failedInFlight} cut off, missing ${r.missing} of ${ids.length}, audit ${v.ok ? 'OK' : `BROKEN (${v.broken?.reason})`} (${v.events} events)`,
        );
      } finally {
        await db.close();
      }
    }
    // The operator's command, once, on the crashed database.
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'apps/server/src/cli/index.ts', 'verify-audit'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    const cliVerify = `${cli.status === 0 ? 'exit 0' : `exit ${cli.status}`}: ${(cli.stdout + cli.stderr).trim()}`;
    log(`${opts.backend}: npm run cli -- verify-audit → ${cliVerify}`);
    return {
      backend: opts.backend,
      kills: opts.kills,
      ackedTotal: acked.size,
      missingTotal: rounds.reduce((a, r) => Math.max(a, r.missing), 0),
      auditAlwaysOk: rounds.every((r) => r.audit.ok) && cli.status === 0,
      cliVerify,
      seconds: Math.round((performance.now() - t0) / 100) / 10,
      rounds,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const arg = (name: string, def: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1]! : def;
  };
  const kills = Number(arg('--kills', '10'));
  const clients = Number(arg('--clients', '4'));
  const which = arg('--backend', 'both');
  const pgBase =
    process.env.CRASH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const reports: CrashReport[] = [];
  if (which !== 'pg') reports.push(await crashRounds({ backend: 'pglite', kills, clients, log: console.log }));
  if (which !== 'pglite') {
    const fresh = await freshPgDatabase(pgBase);
    if (!fresh) console.log(`PostgreSQL not reachable at ${pgBase}: skipping the PostgreSQL crash runs`);
    else {
      try {
        reports.push(await crashRounds({ backend: 'pg', kills, clients, databaseUrl: fresh.url, log: console.log }));
      } finally {
        await fresh.drop();
      }
    }
  }
  console.log('\n| back end | kills | acknowledged writes | lost | audit chain after every crash | time |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of reports)
    console.log(
      `| ${r.backend} | ${r.kills} | ${r.ackedTotal} | ${r.missingTotal} | ${r.auditAlwaysOk ? 'intact' : 'BROKEN'} | ${r.seconds} s |`,
    );
  const ok = reports.every((r) => r.missingTotal === 0 && r.auditAlwaysOk);
  process.exit(ok ? 0 : 1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
