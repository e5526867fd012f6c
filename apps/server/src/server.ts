import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { sealAudit } from './audit/sealer.ts';
import { resolveKeys } from './crypto/keys.ts';
import { type Db, openDb } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import type { Config } from './env.ts';
import type { AppDeps } from './http/deps.ts';
import { runDueJobs } from './jobs/jobs.runner.ts';
import { purgeExpiredSessions } from './modules/auth/session.repository.ts';
import { backfillIndex } from './modules/duplicates/duplicates.repository.ts';
import { queueScan } from './modules/duplicates/duplicates.service.ts';
import { ensureDefaultCatalogue } from './modules/screening/screening.service.ts';
import { seedDemo } from './seed/demo.ts';

/** Opens the database named by the configuration (PostgreSQL server, or PGlite in the data folder). */
export function openConfiguredDb(config: Config): Promise<Db> {
  return openDb({ url: config.databaseUrl, dataDir: join(config.dataDir, 'pglite'), poolSize: config.dbPoolSize });
}

/** Opens the database, applies migrations, resolves keys and (demo only) seeds demo data. */
export async function prepare(config: Config, log: (msg: string) => void): Promise<AppDeps> {
  const db = await openConfiguredDb(config);
  const applied = await migrate(db);
  if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
  await ensureDefaultCatalogue(db);
  const keys = resolveKeys({
    master: config.masterKey,
    index: config.indexKey,
    dataDir: config.dataDir,
    persist: config.mode === 'demo',
  });
  // Persons indexed before the current blind-index keys (INDEX_VERSION) are re-indexed now; the
  // duplicates batch then pairs them in the background.
  const reindexed = await backfillIndex(db, keys);
  if (reindexed) {
    await db.tx((q) => queueScan(q));
    log(`blind index rewritten for ${reindexed} persons; duplicates batch queued`);
  }
  if (config.mode === 'demo') {
    const generated = !config.demoPassword;
    const password = config.demoPassword ?? randomBytes(12).toString('base64url');
    const seeded = await seedDemo(db, password, {
      memoryCost: config.argon2MemoryKib,
      timeCost: config.argon2Iterations,
    });
    if (seeded) {
      log(
        generated
          ? `demo data created. Demo users (see README) sign in with the password: ${password}\n  (shown once; set OPENNRM_DEMO_PASSWORD to choose it, or reset one with: npm run cli -- set-password <username>)`
          : 'demo data created. Demo users sign in with OPENNRM_DEMO_PASSWORD.',
      );
    }
  }
  return { config, db, keys };
}

/**
 * Background work of one server instance: sealing the audit chain, purging dead sessions, and running
 * due jobs (referral reminders, escalations, expiry, e-mail). Jobs are claimed with
 * `FOR UPDATE SKIP LOCKED`, so any number of instances may run this loop on one database.
 */
/**
 * Embedded PGlite runs without autovacuum: without this, its planner statistics would stay those of
 * an empty database while it fills up, and list and search plans would degrade with every case
 * (measured: 100,000 cases unanalysed, 5 requests/s). PostgreSQL's own autovacuum does this there.
 */
export async function maintainEmbedded(db: AppDeps['db']): Promise<void> {
  if (db.kind === 'pglite') await db.query('analyze');
}

export function startBackground(deps: AppDeps, onError: (err: unknown) => void): () => Promise<void> {
  let stopped = false;
  const worker = `${process.pid}:${randomUUID().slice(0, 8)}`;
  let running: Promise<unknown> = Promise.resolve();
  const every = (ms: number, fn: () => Promise<unknown>) =>
    setInterval(() => {
      if (stopped) return;
      running = running.then(fn).catch(onError);
    }, ms);
  const timers = [
    every(2000, () => sealAudit(deps.db)),
    every(10 * 60_000, () => purgeExpiredSessions(deps.db, deps.config.sessionIdleMinutes)),
    every(5000, () => runDueJobs(deps, worker)),
    every(60 * 60_000, () => maintainEmbedded(deps.db)),
  ];
  const firstMaintenance = setTimeout(() => {
    if (!stopped) running = running.then(() => maintainEmbedded(deps.db)).catch(onError);
  }, 30_000);
  timers.push(firstMaintenance as unknown as NodeJS.Timeout);
  for (const t of timers) t.unref();
  return async () => {
    stopped = true;
    for (const t of timers) clearInterval(t);
    await running;
    await sealAudit(deps.db).catch(onError);
  };
}
