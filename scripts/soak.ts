// Soak: steady load for a while, then RSS growth and errors.
//   npm run test:soak -- [--minutes 10] [--rate 20] [--warmup 30]            starts its own demo server (PGlite)
//   npm run test:soak -- --database-url postgres://…/opennrm_soak [...]      the same on PostgreSQL (database recreated)
//   npm run test:soak -- --url http://host:3000 --pid <server pid> [--user U --password P]   a running server
// Passes when RSS at the end is within 10% of RSS after warm-up and no request failed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { BenchClient, percentile, rssMiB, startServer, stopServer } from '../bench/lib.ts';
import { intake } from '../apps/server/src/test/factories.ts';
import { rng } from '../bench/duplicates/generate.ts';
import { syntheticPerson } from '../bench/population.ts';

const arg = (name: string, def?: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : def;
};
const minutes = Number(arg('--minutes', '10'));
const rate = Number(arg('--rate', '20'));
const warmupS = Number(arg('--warmup', '30'));
const user = arg('--user', 'shelter.worker')!;
const password = arg('--password', process.env.OPENNRM_DEMO_PASSWORD ?? 'soak-test-password-0123')!;
const MAX_IN_FLIGHT = 64;
const people = rng(20261130);

let url = arg('--url');
// --database-url: the own server runs on this PostgreSQL database, created afresh (else PGlite).
const databaseUrl = arg('--database-url');
if (databaseUrl && !url) {
  const name = new URL(databaseUrl).pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error('--database-url must name a database (letters, digits, _)');
  const admin = new pg.Client({ connectionString: databaseUrl.replace(/\/[^/]*$/, '/postgres') });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
}
let pid = arg('--pid') ? Number(arg('--pid')) : undefined;
let own: Awaited<ReturnType<typeof startServer>> | undefined;
let dataDir: string | undefined;
if (!url) {
  dataDir = mkdtempSync(join(tmpdir(), 'opennrm-soak-'));
  const port = String(41_000 + Math.floor(Math.random() * 1000));
  own = await startServer({
    OPENNRM_DATA_DIR: dataDir,
    PORT: port,
    OPENNRM_DEMO_PASSWORD: password,
    OPENNRM_LOGIN_RATE_PER_MINUTE: '10000',
    OPENNRM_LOG_LEVEL: 'error',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  url = `http://127.0.0.1:${port}`;
  pid = own.proc.pid;
}
const rss = () => (pid ? rssMiB(pid) : Number.NaN);

const client = new BenchClient(url);
if ((await client.login(user, password)) !== 200) throw new Error(`cannot sign in as ${user}`);
const ids: string[] = [];
const statuses = new Map<string, number>();
const latencies: number[] = [];
let errors = 0;
let skipped = 0;
let inFlight = 0;
const samples: { s: number; rss: number }[] = [];

async function one(): Promise<void> {
  const roll = Math.random();
  const t = performance.now();
  let label = '';
  try {
    let res: Response;
    if (roll < 0.2 || ids.length === 0) {
      label = 'create';
      // another synthetic person each time (a constant one would be a duplicate of every earlier one)
      res = await client.request('POST', '/api/cases', intake({ person: syntheticPerson(people) }));
      const body = (await res.json()) as { id?: string };
      if (res.status === 201 && body.id) ids.push(body.id);
    } else if (roll < 0.7) {
      label = 'read';
      res = await client.request('GET', `/api/cases/${ids[Math.floor(Math.random() * ids.length)]}`);
      await res.arrayBuffer();
    } else if (roll < 0.9) {
      label = 'search';
      res = await client.request('POST', '/api/cases/search', { q: 'Ахметова' });
      await res.arrayBuffer();
    } else {
      label = 'session';
      res = await client.request('GET', '/api/auth/session');
      await res.arrayBuffer();
    }
    const key = `${label} ${res.status}`;
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
    if (res.status >= 400) errors++;
  } catch {
    errors++;
    statuses.set(`${label} network error`, (statuses.get(`${label} network error`) ?? 0) + 1);
  }
  latencies.push(performance.now() - t);
}

const t0 = performance.now();
const rssAtStart = rss();
let rssAfterWarmup = Number.NaN;
const end = t0 + minutes * 60_000;
const interval = 1000 / rate;
let next = t0;
let nextSample = t0;
const pending = new Set<Promise<void>>();
while (performance.now() < end) {
  const now = performance.now();
  if (now >= nextSample) {
    const s = Math.round((now - t0) / 1000);
    samples.push({ s, rss: rss() });
    if (Number.isNaN(rssAfterWarmup) && s >= warmupS) rssAfterWarmup = rss();
    nextSample += 10_000;
  }
  if (inFlight >= MAX_IN_FLIGHT) skipped++;
  else {
    inFlight++;
    const p = one().finally(() => {
      inFlight--;
      pending.delete(p);
    });
    pending.add(p);
  }
  next += interval;
  const wait = next - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
await Promise.all(pending);
const rssEnd = rss();
const seconds = (performance.now() - t0) / 1000;
const growth = (rssEnd - rssAfterWarmup) / rssAfterWarmup;
const sorted = [...latencies].sort((a, b) => a - b);
const summary = {
  url,
  ranSeconds: Math.round(seconds),
  targetRate: rate,
  requests: latencies.length,
  achievedRate: Math.round((latencies.length / seconds) * 10) / 10,
  errors,
  skippedAtInFlightCap: skipped,
  p50ms: Math.round(percentile(sorted, 50)),
  p99ms: Math.round(percentile(sorted, 99)),
  rssMiB: {
    atStart: rssAtStart,
    afterWarmup: rssAfterWarmup,
    end: rssEnd,
    max: Math.max(...samples.map((s) => s.rss)),
  },
  rssGrowthAfterWarmup: `${(growth * 100).toFixed(1)}%`,
  statuses: Object.fromEntries(statuses),
  samples,
};
console.log(JSON.stringify(summary, null, 2));
const ok = errors === 0 && (Number.isNaN(growth) || growth <= 0.1);
console.log(ok ? 'SOAK OK' : 'SOAK FAILED (errors, or RSS grew more than 10% after warm-up)');
if (own) await stopServer(own.proc);
if (dataDir) rmSync(dataDir, { recursive: true, force: true });
process.exit(ok ? 0 : 1);
