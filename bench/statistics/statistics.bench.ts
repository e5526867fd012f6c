import { loadavg } from 'node:os';
import pg from 'pg';
import { openDb } from '../../apps/server/src/db/client.ts';
import { migrate } from '../../apps/server/src/db/migrate.ts';
import { ensureDefaultCatalogue } from '../../apps/server/src/modules/screening/screening.service.ts';
import { seedDemo } from '../../apps/server/src/seed/demo.ts';
import { BenchClient, percentile, startServer, stopServer } from '../lib.ts';
import { BENCH_KEYS, BENCH_PASSWORD, ensurePopulation, type Target } from '../population.ts';
import { ensureStatisticsData } from './extras.ts';
import { htcdsBenchFile } from './htcds-file.ts';

/**
 * Issue 7 at scale, through the real server over HTTP (`npm run bench statistics`):
 * (a) the dashboard's full query set (every table and indicator of a year, all regions) — cold (a
 *     fresh server, and again right after a write) and warm (repeated, unchanged data);
 * (b) the national report (PDF and XLSX) of that year, with the cache emptied by a write first;
 * (c) the k = 11 HTCDS export (CSV and XLSX);
 * (d) an import of BENCH_IMPORT_ROWS (default 100,000) HTCDS rows into a database of its own
 *     (opennrm_bench_import, recreated per run): preview, then the confirmed import.
 * Data: the shared population of each BENCH_SIZES (bench/population.ts) plus the statistics' extra
 * rows (extras.ts). BENCH_YEAR (default 2025) is the period; BENCH_RUNS (default 10) warm runs.
 */
const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PORT = 3393;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
const ms = (t0: number) => Math.round(performance.now() - t0);

/** Refuses a population that exists but is not finished (another process is generating it). */
async function assertPopulationReady(size: number): Promise<void> {
  const name = `opennrm_bench_${size}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount;
  await admin.end();
  if (!exists) return;
  const c = new pg.Client({ connectionString: PG_ADMIN.replace(/\/[^/]*$/, `/${name}`) });
  await c.connect();
  const marker = (await c.query("select to_regclass('bench_population') is not null as ok")).rows[0]?.ok;
  await c.end();
  if (!marker)
    throw new Error(
      `${name} exists without its bench_population marker: it is being generated (or its generation failed); not touching it`,
    );
}

function serverEnv(t: { env: Record<string, string> }) {
  return {
    ...t.env,
    PORT: String(PORT),
    OPENNRM_MASTER_KEY: BENCH_KEYS.master.toString('base64'),
    OPENNRM_INDEX_KEY: BENCH_KEYS.index.toString('base64'),
    OPENNRM_SECURE_COOKIES: 'false',
    OPENNRM_LOG_LEVEL: 'warn',
  };
}

async function timed(client: BenchClient, path: string): Promise<{ ms: number; bytes: number; status: number }> {
  const t0 = performance.now();
  const res = await client.request('GET', path);
  const body = Buffer.from(await res.arrayBuffer());
  if (!res.ok) throw new Error(`${path}: ${res.status} ${body.toString('utf8').slice(0, 300)}`);
  return { ms: ms(t0), bytes: body.length, status: res.status };
}

/** Makes the statistics data version move, as a committed write does, without changing any figure. */
async function bumpVersion(t: Target) {
  const db = await openDb(t.dbOpts);
  await db.query('insert into statistics_changes (tx) values (pg_current_xact_id()) on conflict do nothing');
  await db.close();
}

async function dataSize(t: Target) {
  const db = await openDb(t.dbOpts);
  const [r] = await db.query<Record<string, number>>(
    `select (select count(*) from persons)::int as persons, (select count(*) from cases)::int as cases,
            (select count(*) from referrals)::int as referrals, (select count(*) from status_decisions)::int as decisions,
            (select count(*) from reflection_periods)::int as reflection, (select count(*) from criminal_proceedings)::int as proceedings,
            (select pg_database_size(current_database()) / 1048576)::int as mib`,
  );
  await db.close();
  return r!;
}

async function populationBench(size: number, out: Record<string, string | number>) {
  await assertPopulationReady(size);
  const t = await ensurePopulation('pg', size);
  const extras = await ensureStatisticsData(t);
  if (extras.added) out[`${size}: statistics extras added`] = `${extras.seconds} s`;
  const d = await dataSize(t);
  out[`${size}: data`] =
    `${d.persons} persons, ${d.cases} cases, ${d.referrals} referrals, ${d.decisions} decisions, ${d.reflection} reflection periods, ${d.proceedings} proceedings; database ${d.mib} MiB`;
  const year = process.env.BENCH_YEAR ?? '2025';
  const runs = Number(process.env.BENCH_RUNS ?? 10);
  const server = await startServer(serverEnv(t), []);
  try {
    const client = new BenchClient(`http://127.0.0.1:${PORT}`);
    if ((await client.login('coordinator', BENCH_PASSWORD)) !== 200) throw new Error('bench login failed');
    const dash = `/api/statistics/dashboard?period=${year}&region=all`;

    // (a) the dashboard
    out[`${size}: load average before (a)`] = load();
    out[`${size}: (a) dashboard ${year}, cold (fresh server)`] = `${(await timed(client, dash)).ms} ms`;
    const warm: number[] = [];
    for (let i = 0; i < runs; i++) warm.push((await timed(client, dash)).ms);
    warm.sort((a, b) => a - b);
    out[`${size}: (a) dashboard ${year}, warm p50 / p95 / max (${runs} runs)`] =
      `${percentile(warm, 50)} / ${percentile(warm, 95)} / ${warm[warm.length - 1]} ms`;
    const views: number[] = [];
    for (const path of [
      `/api/statistics/dashboard?period=${year}-Q2&region=all`,
      `/api/statistics/dashboard?period=${year}&region=almaty`,
      `/api/statistics/query?period=${year}&region=all&rows=ageBand&cols=sex`,
    ])
      views.push((await timed(client, path)).ms);
    out[`${size}: (a) other views of the year (quarter, region, a 2-D query)`] = `${views.join(' / ')} ms`;
    const afterWrite: number[] = [];
    for (let i = 0; i < 3; i++) {
      await bumpVersion(t);
      afterWrite.push((await timed(client, dash)).ms);
    }
    out[`${size}: (a) dashboard ${year}, cold after a write (3 runs)`] = `${afterWrite.join(' / ')} ms`;

    // (b) the national report, its figures recomputed
    out[`${size}: load average before (b)`] = load();
    for (const format of ['pdf', 'xlsx'] as const) {
      await bumpVersion(t);
      const r = await timed(client, `/api/statistics/report?period=${year}&lang=ru&format=${format}`);
      out[`${size}: (b) national report ${year} ${format}, cold`] = `${r.ms} ms (${Math.round(r.bytes / 1024)} KiB)`;
      const w = await timed(client, `/api/statistics/report?period=${year}&lang=kk&format=${format}`);
      out[`${size}: (b) national report ${year} ${format}, warm`] = `${w.ms} ms`;
    }

    // (c) the k = 11 HTCDS export
    out[`${size}: load average before (c)`] = load();
    const report = (await (await client.request('GET', '/api/exchange/htcds/export/report')).json()) as Record<
      string,
      number
    >;
    for (const format of ['csv', 'xlsx'] as const) {
      const r = await timed(client, `/api/exchange/htcds/export?format=${format}`);
      out[`${size}: (c) HTCDS export k = 11, ${format}`] = `${r.ms} ms (${(r.bytes / 2 ** 20).toFixed(1)} MiB)`;
    }
    out[`${size}: (c) export records in / suppressed / classes / smallest class`] =
      `${report.recordsIn} / ${report.recordsSuppressed} / ${report.equivalenceClasses} / ${report.minClassSize}`;
  } finally {
    await stopServer(server.proc);
  }
}

async function importBench(rows: number, format: 'csv' | 'xlsx', out: Record<string, string | number>) {
  const name = 'opennrm_bench_import';
  const url = PG_ADMIN.replace(/\/[^/]*$/, `/${name}`);
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const db = await openDb({ url });
  await migrate(db);
  await ensureDefaultCatalogue(db);
  await seedDemo(db, BENCH_PASSWORD, { memoryCost: 19456, timeCost: 2 });
  await db.close();
  const t0 = performance.now();
  const file = await htcdsBenchFile(rows, format);
  out[`import: file (bench/statistics/htcds-file.ts)`] =
    `${rows} rows, ${format}, ${(file.length / 2 ** 20).toFixed(1)} MiB, generated in ${ms(t0)} ms`;
  const server = await startServer(serverEnv({ env: { DATABASE_URL: url } }), []);
  try {
    const client = new BenchClient(`http://127.0.0.1:${PORT}`);
    if ((await client.login('iom.officer', BENCH_PASSWORD)) !== 200) throw new Error('bench login failed');
    const upload = { fileName: `bench.${format}`, content: file.toString('base64'), region: 'almaty' };
    out['import: load average before (d)'] = load();
    let t1 = performance.now();
    const preview = await client.request('POST', '/api/exchange/htcds/preview', upload);
    const p = (await preview.json()) as { fileHash: string; total: number; valid: number; error?: unknown };
    if (!preview.ok) throw new Error(`preview: ${preview.status} ${JSON.stringify(p).slice(0, 300)}`);
    const previewMs = ms(t1);
    t1 = performance.now();
    const confirm = await client.request('POST', '/api/exchange/htcds/import', { ...upload, fileHash: p.fileHash });
    const result = (await confirm.json()) as { imported: number };
    if (confirm.status !== 201) throw new Error(`import: ${confirm.status} ${JSON.stringify(result).slice(0, 300)}`);
    const importMs = ms(t1);
    out[`import: (d) preview (per-row report) of ${p.total} rows, ${p.valid} valid`] = `${previewMs} ms`;
    out[`import: (d) confirmed import of ${result.imported} rows (one transaction)`] = `${importMs} ms`;
    out['import: (d) preview + import'] = `${previewMs + importMs} ms`;
  } finally {
    await stopServer(server.proc);
  }
  const check = await openDb({ url });
  const [c] = await check.query<Record<string, number>>(
    `select (select count(*) from cases)::int as cases, (select count(*) from person_index)::int as index_rows,
            (select count(*) from jobs where kind = 'duplicates.person')::int as jobs,
            (select count(*) from audit_events where action = 'case.create')::int as audits`,
  );
  await check.close();
  out['import: written'] =
    `${c!.cases} cases, ${c!.index_rows} blind-index rows, ${c!.jobs} duplicates.person jobs, ${c!.audits} case.create audit events`;
}

export async function runStatisticsBench(): Promise<Record<string, string | number>> {
  const out: Record<string, string | number> = {};
  for (const size of (process.env.BENCH_SIZES ?? '10000').split(',').filter(Boolean).map(Number))
    await populationBench(size, out);
  const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
  if (rows > 0) await importBench(rows, (process.env.BENCH_IMPORT_FORMAT ?? 'csv') as 'csv' | 'xlsx', out);
  out['load average at the end'] = load();
  return out;
}
