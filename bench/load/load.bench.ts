import { readFileSync } from 'node:fs';
import type { EventEmitter } from 'node:events';
import autocannon from 'autocannon';
import { openDb } from '../../apps/server/src/db/client.ts';
import { ZCaseListQuery } from '@opennrm/domain';
import type { Keys } from '../../apps/server/src/crypto/keys.ts';
import { CappedLists, loadCaseRow, queryCaseList } from '../../apps/server/src/modules/cases/cases.repository.ts';
import { intake } from '../../apps/server/src/test/factories.ts';
import { loadActor } from '../../apps/server/src/test/harness.ts';
import { femaleSurname, NAMES } from '../duplicates/names.data.ts';
import { BenchClient, percentile, startServer, stopServer } from '../lib.ts';
import { rng } from '../duplicates/generate.ts';
import {
  BENCH_KEYS,
  BENCH_PASSWORD as PASSWORD,
  ensurePopulation,
  syntheticPerson,
  type Target,
} from '../population.ts';

const BENCH_USER = 'shelter.supervisor';
const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
/**
 * What a worker types to find a person: family and given name, as the population generator
 * combines them (a family name alone matches thousands of people at 1,000,000 cases).
 */
function fullName(): string {
  const lang = pick(['kk', 'ru', 'uz', 'ky', 'tg'] as const);
  const female = Math.random() < 0.6;
  const surname = pick(NAMES[lang].surnames);
  return `${female ? femaleSurname(surname) : surname} ${pick(female ? NAMES[lang].female : NAMES[lang].male)}`;
}

function cpuTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(f[11]) + Number(f[12]);
}

/** The HTTP mix: list and search 40 %, read 40 %, create 20 %, authenticated and audited. */
async function httpLoad(t: Target, keys: { master: Buffer; index: Buffer }, duration: number, connections: number) {
  const port = 3391;
  const server = await startServer(
    {
      ...t.env,
      PORT: String(port),
      OPENNRM_MASTER_KEY: keys.master.toString('base64'),
      OPENNRM_INDEX_KEY: keys.index.toString('base64'),
      OPENNRM_SECURE_COOKIES: 'false',
      OPENNRM_LOG_LEVEL: 'warn',
    },
    [],
  );
  const pid = server.proc.pid!;
  const client = new BenchClient(`http://127.0.0.1:${port}`);
  if ((await client.login(BENCH_USER, PASSWORD)) !== 200) throw new Error('bench login failed');
  const cookie = (client as unknown as { cookies: Map<string, string> }).cookies;
  const headers = {
    cookie: [...cookie].map(([k, v]) => `${k}=${v}`).join('; '),
    'x-csrf-token': client.csrf,
    'content-type': 'application/json',
  };
  // The floor: what this machine serves with no work behind the request — a route that reads
  // nothing (no cookie, so no session either), and the signed-in user's session (two indexed reads)
  // — at the same connections, from the same client.
  const floor: string[] = [];
  for (const [path, h] of [
    ['/healthz', {}],
    ['/api/auth/session', headers],
  ] as const) {
    const r = await autocannon({ url: `http://127.0.0.1:${port}${path}`, connections, duration: 10, headers: h });
    floor.push(`${path} ${Math.round(r.requests.average)} req/s`);
  }
  const ids: string[] = [];
  for (let page = 1; page <= 20; page++) {
    const res = await client.request('POST', '/api/cases/search', { page, pageSize: 100 });
    const body = (await res.json()) as { items: { id: string }[] };
    ids.push(...body.items.map((i) => i.id));
  }
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const cpu0 = cpuTicks(pid);
  let maxRss = 0;
  const rssTimer = setInterval(() => {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    maxRss = Math.max(maxRss, kb / 1024);
  }, 1000);
  // Each registration is another synthetic person (a constant body would make every new person a
  // duplicate of all the earlier ones, and the background duplicate check far heavier than real).
  const people = rng(Date.now());
  const registration = () => JSON.stringify(intake({ person: syntheticPerson(people) }));
  // Without a callback autocannon returns an emitter that is also a promise of the result.
  const instance = autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration,
    headers,
    requests: [
      {
        method: 'POST',
        path: '/api/cases/search',
        setupRequest: (r) => ({
          ...r,
          body: JSON.stringify({ page: 1 + Math.floor(Math.random() * 20), pageSize: 25 }),
        }),
      },
      {
        method: 'POST',
        path: '/api/cases/search',
        setupRequest: (r) => ({ ...r, body: JSON.stringify({ q: fullName(), pageSize: 25 }) }),
      },
      { method: 'GET', setupRequest: (r) => ({ ...r, path: `/api/cases/${pick(ids)}` }) },
      { method: 'GET', setupRequest: (r) => ({ ...r, path: `/api/cases/${pick(ids)}` }) },
      { method: 'POST', path: '/api/cases', setupRequest: (r) => ({ ...r, body: registration() }) },
    ],
  }) as unknown as EventEmitter & Promise<autocannon.Result>;
  instance.on('response', (_c: unknown, status: number, _b: number, ms: number) => {
    latencies.push(ms);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  });
  const result = await instance;
  clearInterval(rssTimer);
  const cpu = ((cpuTicks(pid) - cpu0) / 100 / duration) * 100;
  await stopServer(server.proc);
  latencies.sort((a, b) => a - b);
  const errors =
    result.errors + result.timeouts + [...statuses].filter(([s]) => s >= 400).reduce((n, [, c]) => n + c, 0);
  return {
    rps: Math.round(result.requests.average),
    p50: Math.round(percentile(latencies, 50) * 10) / 10,
    p95: Math.round(percentile(latencies, 95) * 10) / 10,
    p99: Math.round(percentile(latencies, 99) * 10) / 10,
    errors,
    cpu: Math.round(cpu),
    rss: Math.round(maxRss),
    statuses: [...statuses].map(([s, n]) => `${s}:${n}`).join(' '),
    floor: floor.join(', '),
    ids,
  };
}

/**
 * The ceiling: the same list, search and read statements the server runs (`queryCaseList`,
 * `loadCaseRow`, built for the same user), straight on a pool — no HTTP, session, transaction,
 * audit, decryption or serialisation — in the same proportions (list 1 : search 1 : read 2).
 */
async function sqlCeiling(t: Target, ids: string[], duration: number, connections: number) {
  const db = await openDb({ ...t.dbOpts, poolSize: connections });
  const actor = await loadActor(db, BENCH_USER);
  const keys: Keys = BENCH_KEYS;
  const capped = new CappedLists();
  const latencies: number[] = [];
  let ops = 0;
  const end = Date.now() + duration * 1000;
  const worker = async (w: number) => {
    let i = w;
    while (Date.now() < end) {
      const t0 = performance.now();
      if (i % 4 < 2) {
        const f = ZCaseListQuery.parse(
          i % 4 === 0 ? { page: 1 + Math.floor(Math.random() * 20), pageSize: 25 } : { q: fullName(), pageSize: 25 },
        );
        await queryCaseList(db, actor, keys, f, capped);
      } else {
        await loadCaseRow(db, pick(ids));
      }
      latencies.push(performance.now() - t0);
      ops += 1;
      i += 1;
    }
  };
  await Promise.all(Array.from({ length: t.backend === 'pg' ? connections : 1 }, (_, w) => worker(w)));
  await db.close();
  latencies.sort((a, b) => a - b);
  return { ops: Math.round(ops / duration), p95: Math.round(percentile(latencies, 95) * 10) / 10 };
}

/**
 * Reads every table and index of a PostgreSQL population once (`pg_prewarm`), so a run does not
 * start with the data on disk: on this VM the operating system's file cache is dropped now and then,
 * and a 1,000,000-case run then spent most of its time in reads (247–275 instead of 430–470 req/s).
 * With shared_buffers at least the database's size, the data stays in PostgreSQL's own cache.
 * Returns the database size and shared_buffers for the report.
 */
async function prewarm(t: Target): Promise<string> {
  const db = await openDb({ ...t.dbOpts, poolSize: 1 });
  try {
    await db.query('create extension if not exists pg_prewarm');
    await db.query(
      `select pg_prewarm(c.oid) from pg_class c
        where c.relkind in ('r', 'i', 't') and c.relnamespace in ('public'::regnamespace, 'pg_toast'::regnamespace)
          and pg_relation_size(c.oid) > 0`,
    );
    const [r] = await db.query<{ size: string; buffers: string }>(
      "select pg_size_pretty(pg_database_size(current_database())) as size, current_setting('shared_buffers') as buffers",
    );
    return `database ${r!.size}, shared_buffers ${r!.buffers}, prewarmed`;
  } catch (err) {
    return `not prewarmed (${(err as Error).message.slice(0, 80)})`;
  } finally {
    await db.close();
  }
}

/**
 * Issue 9: `npm run bench load` — for each size (BENCH_SIZES, default 10000) and back end
 * (BENCH_BACKENDS, default pg,pglite): generate the population, run the HTTP mix for BENCH_DURATION
 * seconds (default 60) at BENCH_CONNECTIONS (default 50) from this process against the server in a
 * child process, then the SQL ceiling of the read/list operations (BENCH_CEILING=0 skips it).
 */
export async function runLoadBench(): Promise<Record<string, string | number>> {
  const sizes = (process.env.BENCH_SIZES ?? '10000').split(',').map(Number);
  const backends = (process.env.BENCH_BACKENDS ?? 'pg,pglite').split(',') as ('pg' | 'pglite')[];
  const duration = Number(process.env.BENCH_DURATION ?? 60);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
  const withCeiling = process.env.BENCH_CEILING !== '0';
  const keys = BENCH_KEYS;
  const out: Record<string, string | number> = {
    mix: 'list+search 40 %, read 40 %, create 20 %',
    duration: `${duration} s`,
    connections,
  };
  for (const size of sizes) {
    for (const backend of backends) {
      const t = await ensurePopulation(backend, size);
      const cache = backend === 'pg' ? await prewarm(t) : 'embedded';
      const http = await httpLoad(t, keys, duration, connections);
      const ceiling = withCeiling ? await sqlCeiling(t, http.ids, Math.min(duration, 20), connections) : null;
      const label = `${backend} ${size.toLocaleString('en')} cases`;
      out[`${label}: data`] = cache;
      out[`${label}: HTTP req/s`] = http.rps;
      out[`${label}: HTTP p50 / p95 / p99 ms`] = `${http.p50} / ${http.p95} / ${http.p99}`;
      out[`${label}: errors (non-2xx + socket)`] = http.errors;
      out[`${label}: server CPU % (of one core) / max RSS MiB`] = `${http.cpu} / ${http.rss}`;
      out[`${label}: statuses`] = http.statuses;
      out[`${label}: floor (/healthz without a session / signed-in session lookup, 10 s each)`] = http.floor;
      if (!ceiling) continue;
      out[`${label}: SQL ceiling (list+search+read ops/s, p95 ms)`] = `${ceiling.ops} ops/s, ${ceiling.p95} ms`;
      out[`${label}: app / ceiling (list+search+read share)`] =
        `${Math.round(((http.rps * 0.8) / ceiling.ops) * 100)} %`;
    }
  }
  return out;
}
