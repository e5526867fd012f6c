import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import {
  blockingKeysOf,
  DEFAULT_MATCH_CONFIG,
  matchScore,
  permissionsOf,
  prepareForMatching,
  scorePrepared,
  type TDuplicateCheckResult,
  type TMatchPerson,
} from '@opennrm/domain';
import pg from 'pg';
import { open } from '../../apps/server/src/crypto/keys.ts';
import { PersonCipher } from '../../apps/server/src/crypto/person-crypto.ts';
import { type Db, openDb } from '../../apps/server/src/db/client.ts';
import { migrate } from '../../apps/server/src/db/migrate.ts';
import type { Ctx } from '../../apps/server/src/http/context.ts';
import type { AppDeps } from '../../apps/server/src/http/deps.ts';
import { personIndexKeys, type TPersonPii } from '../../apps/server/src/modules/cases/persons.repository.ts';
import { scanAllPairs } from '../../apps/server/src/modules/duplicates/duplicates.batch.ts';
import { checkDuplicates } from '../../apps/server/src/modules/duplicates/duplicates.service.ts';
import { seedDemo } from '../../apps/server/src/seed/demo.ts';
import { percentile } from '../lib.ts';
import { blocksOf } from './duplicates.bench.ts';
import { DUPLICATE_KINDS, generateBench, type TBenchRecord } from './generate.ts';

const BATCH = 5_000;
/** Labelled variants per kind stored with the population (the batch must find them). */
const STORED_PER_KIND = 100;
/** Labelled variants per kind used as intake probes (not stored). */
const PROBES_PER_KIND = 20;
/** Bump when what is loaded changes: a kept schema of another version is loaded again. */
const LOAD_VERSION = 3;

/** The generator's person as the server stores it: identifiers (encrypted) and the plain columns. */
function pii(p: TMatchPerson): TPersonPii {
  return {
    names: (p.names ?? []).map((n, i) => ({
      family: n.family ?? null,
      given: n.given ?? null,
      patronymic: n.patronymic ?? null,
      script: 'other',
      kind: i === 0 ? 'primary' : 'alias',
    })),
    birthDate: p.birthDate ?? { kind: 'unknown' },
    documents: (p.documents ?? []) as TPersonPii['documents'],
    contacts: (p.contacts ?? []) as TPersonPii['contacts'],
  } as TPersonPii;
}

const load1 = () => loadavg()[0]!.toFixed(1);
const seconds = (ms: number) => (ms / 1000).toFixed(1);

/**
 * Duplicate detection on PostgreSQL (issue 8): loads N synthetic persons (bench/duplicates
 * generator) with encrypted identifiers, a case each and every blind-index key the server writes,
 * plus 100 labelled variants per kind of stored persons; then times (1) the intake check of one
 * new person — the server's own `checkDuplicates`: blocking keys, the candidate query, decryption
 * and scoring of each candidate, and its audit entry — over 20 other labelled variants per kind,
 * and (2) the full batch (`scanAllPairs`), with its recall on the stored labelled variants.
 *
 * BENCH_DATABASE_URL (default: the local opennrm_dev) gets a schema of its own, dropped afterwards;
 * with BENCH_KEEP=1 the schema `bench_dup_<N>` is kept and reused by the next run (keys are fixed
 * for the benchmark, so the stored data stays readable). BENCH_INTAKE=0 / BENCH_BATCH=0 skip the
 * intake check / the batch;
 * BENCH_WORKERS sets its worker threads; BENCH_REFERENCE=1 also scores, in memory, every pair
 * sharing a stored blocking key (no cap: only for N ≤ 100,000) and reports how many of the pairs
 * flagged that way the batch found; BENCH_RERUN=1 runs the batch a second time (nothing changed).
 */
export async function runDuplicatesPgBench(): Promise<Record<string, string | number>> {
  const n = Number(process.env.BENCH_N ?? 100_000);
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/opennrm_dev';
  const keep = process.env.BENCH_KEEP === '1';
  const schema = keep ? `bench_dup_${n}` : `bench_dup_${randomBytes(4).toString('hex')}`;
  // fixed keys: a kept schema must stay readable by the next run (synthetic data only)
  const keys = {
    master: createHash('sha256').update('opennrm bench duplicates master').digest(),
    index: createHash('sha256').update('opennrm bench duplicates index').digest(),
  };
  const deps = { keys } as AppDeps;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const out: Record<string, string | number> = { 'stored persons (N)': n.toLocaleString('en'), schema };
  let db: Db | null = null;
  try {
    const [kept] = keep
      ? (await admin.query<{ t: string | null }>('select to_regclass($1)::text as t', [`${schema}.bench_dup_meta`]))
          .rows
      : [];
    const [meta] = kept?.t
      ? (await admin.query<{ v: number; n: number }>(`select version as v, n from ${schema}.bench_dup_meta`)).rows
      : [];
    const reuse = meta?.v === LOAD_VERSION && meta.n === n;
    if (!reuse) {
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.query(`create schema ${schema}`);
    }
    db = await openDb({ url, schema, poolSize: 4 });
    if (!reuse) await load(db, deps, n, out);
    else out.load = `reused the kept schema ${schema}`;

    if (process.env.BENCH_INTAKE !== '0') await intake(db, deps, out);

    if (process.env.BENCH_BATCH !== '0') await batch(db, deps, n, out);
    const [size] = await db.query<{ s: string }>(
      `select pg_size_pretty(pg_total_relation_size('${schema}.person_index')) as s`,
    );
    out['person_index size'] = size?.s ?? '';
    return out;
  } finally {
    await db?.close();
    if (!keep) await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
}

async function load(db: Db, deps: AppDeps, n: number, out: Record<string, string | number>) {
  await migrate(db);
  await seedDemo(db, 'bench-password', { memoryCost: 8192, timeCost: 1 });
  const [agency] = await db.query<{ id: string }>("select id from agencies where name like 'Safe Home%'");
  const [user] = await db.query<{ id: string }>("select id from users where username = 'shelter.worker'");

  let t = performance.now();
  const records = generateBench({
    seed: 20261201,
    population: n,
    duplicatesPerKind: STORED_PER_KIND + PROBES_PER_KIND,
    nonDuplicatesPerKind: 0,
  });
  // per kind: the first variants are stored with the population, the last ones are intake probes
  const seen = new Map<string, number>();
  const stored: { r: TBenchRecord; idx: number }[] = [];
  const probes: TBenchRecord[] = [];
  records.forEach((r, idx) => {
    if (r.kind === 'base') {
      stored.push({ r, idx });
      return;
    }
    const k = seen.get(r.kind) ?? 0;
    seen.set(r.kind, k + 1);
    if (k < STORED_PER_KIND) stored.push({ r, idx });
    else probes.push(r);
  });
  out['generate (s)'] = seconds(performance.now() - t);

  t = performance.now();
  const ids = new Map<number, string>();
  let indexRows = 0;
  let pending: Promise<unknown> = Promise.resolve();
  for (let start = 0; start < stored.length; start += BATCH) {
    const slice = stored.slice(start, start + BATCH);
    const persons: unknown[][] = [[], [], [], [], []];
    const cases: unknown[][] = [[], [], []];
    const index: string[][] = [[], [], []];
    slice.forEach(({ r, idx }, i) => {
      const id = randomUUID();
      ids.set(idx, id);
      const cipher = PersonCipher.create(deps.keys, id);
      const p = pii(r.person);
      persons[0]!.push(id);
      persons[1]!.push(cipher.wrappedKey);
      persons[2]!.push(cipher.encrypt('persons.pii', p));
      persons[3]!.push(r.person.sex ?? 'NonSpecifiedUnknown');
      persons[4]!.push(`{${(r.person.citizenships ?? []).join(',')}}`);
      cases[0]!.push(randomUUID());
      cases[1]!.push(`KZ-2026-${String(start + i + 1).padStart(7, '0')}`);
      cases[2]!.push(id);
      for (const e of personIndexKeys(deps.keys, p)) {
        index[0]!.push(id);
        index[1]!.push(e.kind);
        index[2]!.push(e.key);
      }
    });
    indexRows += index[0]!.length;
    await pending;
    pending = db.tx(async (q) => {
      await q.query(
        `insert into persons (id, data_key, pii, sex, citizenships, block_keys_version)
         select x.id, x.k, x.p, x.s, x.c::text[], 1 from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) as x(id, k, p, s, c)`,
        persons,
      );
      await q.query(
        `insert into cases (id, number, country, agency_id, created_by, person_id, is_child, cross_border,
                            encounter_date, encounter_region, identification_method)
         select x.id, x.n, 'KZ', $4, $5, x.p, false, false, '2026-11-20', 'almaty', 'ngo_outreach'
           from unnest($1::uuid[], $2::text[], $3::uuid[]) as x(id, n, p)`,
        [...cases, agency!.id, user!.id],
      );
      await q.query(
        'insert into person_index (person_id, kind, key) select * from unnest($1::uuid[], $2::text[], $3::text[])',
        index,
      );
    });
  }
  await pending;
  // labels of the stored variants (with the matcher's verdict on the pair compared directly) and the probes
  const labels = stored
    .filter(({ r }) => r.of !== null)
    .map(({ r, idx }) => ({
      variant: ids.get(idx)!,
      base: ids.get(r.of!)!,
      kind: r.kind,
      band: scorePrepared(
        prepareForMatching(r.person),
        prepareForMatching(records[r.of!]!.person),
        DEFAULT_MATCH_CONFIG,
      ).band,
    }));
  await db.tx(async (q) => {
    await q.query('create table bench_dup_labels (variant uuid, base uuid, kind text, band text)');
    await q.query('insert into bench_dup_labels select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[])', [
      labels.map((l) => l.variant),
      labels.map((l) => l.base),
      labels.map((l) => l.kind),
      labels.map((l) => l.band),
    ]);
    // each probe with the stored person it is a variant of, and the matcher's verdict on the two
    await q.query('create table bench_dup_probes (i int, kind text, person jsonb, base uuid, band text)');
    await q.query(
      'insert into bench_dup_probes select * from unnest($1::int[], $2::text[], $3::jsonb[], $4::uuid[], $5::text[])',
      [
        probes.map((_, i) => i),
        probes.map((p) => p.kind),
        probes.map((p) => JSON.stringify(p.person)),
        probes.map((p) => ids.get(p.of!)!),
        probes.map(
          (p) =>
            scorePrepared(
              prepareForMatching(p.person),
              prepareForMatching(records[p.of!]!.person),
              DEFAULT_MATCH_CONFIG,
            ).band,
        ),
      ],
    );
  });
  // the steady state of a database that autovacuum keeps: visibility map set (index-only scans), statistics
  for (const table of ['persons', 'person_index', 'cases']) await db.query(`vacuum (analyze) ${table}`);
  await db.query('create table bench_dup_meta (version int not null, n int not null)');
  await db.query('insert into bench_dup_meta values ($1, $2)', [LOAD_VERSION, n]);
  out['load: persons (+ stored labelled variants) + cases + index rows'] =
    `${n.toLocaleString('en')} (+ ${labels.length.toLocaleString('en')}) + ${stored.length.toLocaleString('en')} + ${indexRows.toLocaleString('en')}`;
  out['load time (s)'] = `${seconds(performance.now() - t)} (load average ${load1()})`;
}

async function intake(db: Db, deps: AppDeps, out: Record<string, string | number>) {
  const [agency] = await db.query<{ id: string }>("select id from agencies where name like 'Safe Home%'");
  const [user] = await db.query<{ id: string }>("select id from users where username = 'shelter.worker'");
  const [other] = await db.query<{ id: string; agency_id: string }>(
    "select id, agency_id from users where username = 'police.officer'",
  );
  const probes = await db.query<{ kind: string; person: TMatchPerson; base: string; band: string }>(
    'select kind, person, base, band from bench_dup_probes order by i',
  );
  // a police officer (every candidate held elsewhere) and the holding agency's case worker (candidates visible)
  const actorOf = (userId: string, agencyId: string, roles: ['first_responder'] | ['case_worker']) => ({
    userId,
    username: 'bench',
    agencyId,
    agencyType: 'ngo' as const,
    agencyRegion: 'almaty',
    roles,
    permissions: permissionsOf(roles),
    sessionId: 'bench',
  });
  const actors = [
    actorOf(other!.id, other!.agency_id, ['first_responder']),
    actorOf(user!.id, agency!.id, ['case_worker']),
  ];
  const times: number[] = [];
  const results: { res: TDuplicateCheckResult; actor: (typeof actors)[number] }[] = [];
  const load = load1();
  for (let round = 0; round < 2; round++)
    for (const [i, r] of probes.entries()) {
      const actor = actors[i % 2]!;
      const t0 = performance.now();
      const res = await db.tx((q) =>
        checkDuplicates(deps, { actor, ip: null, locale: 'en', q, auditDenied: () => {} } as Ctx, {
          person: r.person as never,
        }),
      );
      if (round === 1) {
        times.push(performance.now() - t0);
        results.push({ res, actor });
      }
    }
  times.sort((a, b) => a - b);
  // which stored persons each check flagged: visible cases, and the persons inside the inquiry tokens
  let found = 0;
  let foundBase = 0;
  for (const [i, { res, actor }] of results.entries()) {
    if (res.visible.length || res.elsewhere.length) found++;
    const flagged = new Set<string>();
    const cases = res.visible.map((v) => v.caseId);
    if (cases.length)
      for (const c of await db.query<{ person_id: string }>('select person_id from cases where id = any($1::uuid[])', [
        cases,
      ]))
        flagged.add(c.person_id);
    for (const e of res.elsewhere) {
      const token = JSON.parse(
        open(deps.keys.master, e.inquiryToken, `duplicate-inquiry:${actor.userId}`).toString('utf8'),
      ) as { p: string[] };
      for (const p of token.p) flagged.add(p);
    }
    if (flagged.has(probes[i]!.base)) foundBase++;
  }
  const matcher = probes.filter((p) => p.band !== 'none').length;
  out['intake check: probes (variants of stored persons, not stored)'] = probes.length;
  out['intake check: probes with a flagged candidate'] = `${found} (${((100 * found) / probes.length).toFixed(1)} %)`;
  out['intake check: probes whose stored original is flagged (of those the matcher flags directly)'] =
    `${foundBase} of ${probes.length} (**${(foundBase / probes.length).toFixed(3)}**; ${foundBase} of ${matcher})`;
  out['intake check p50 / p95 / max (ms)'] =
    `${percentile(times, 50).toFixed(1)} / **${percentile(times, 95).toFixed(1)}** / ${times[times.length - 1]!.toFixed(1)} (load average ${load} → ${load1()})`;
  const [largest] = await db.query<{ n: number }>(
    "select max(c)::int as n from (select count(*) as c from person_index where kind = 'block' group by key) x",
  );
  out['largest stored block (persons sharing one key)'] = largest?.n ?? 0;
}

async function batch(db: Db, deps: AppDeps, n: number, out: Record<string, string | number>) {
  const workers = process.env.BENCH_WORKERS === undefined ? undefined : Number(process.env.BENCH_WORKERS);
  // a first batch: an empty queue (a kept schema holds the pairs of the last run)
  await db.query('delete from duplicate_pairs');
  const load = load1();
  const t = performance.now();
  const scan = await db.tx((q) => scanAllPairs(deps, q, { workers }));
  out['full batch (s)'] =
    `**${seconds(performance.now() - t)}** (${scan.workers} worker threads, ${seconds(scan.cpuMs)} s CPU; load average ${load} → ${load1()})`;
  out['full batch phases: read + decrypt + prepare / blocks / score / write (s)'] = [
    scan.phases.read,
    scan.phases.blocks,
    scan.phases.score,
    scan.phases.write,
  ]
    .map(seconds)
    .join(' / ');
  out['full batch: persons / candidate pairs / scored exactly / flagged'] =
    `${scan.persons.toLocaleString('en')} / ${scan.candidatePairs.toLocaleString('en')} / ${scan.scoredPairs.toLocaleString('en')} / ${scan.flagged.toLocaleString('en')}`;
  out['full batch: largest block / blocks skipped (> cap)'] = `${scan.largestBlock} / ${scan.skippedBlocks}`;
  out['full batch: duplicate_pairs rows written (new or changed) / removed'] =
    `${scan.written.toLocaleString('en')} / ${scan.removed.toLocaleString('en')}`;

  // recall on the stored labelled variants: flagged by the batch, of all labelled and of those the matcher flags
  const rows = await db.query<{ kind: string; band: string; flagged: boolean }>(
    `select l.kind, l.band, exists (select 1 from duplicate_pairs dp
              where dp.person_a = least(l.variant, l.base) and dp.person_b = greatest(l.variant, l.base)) as flagged
       from bench_dup_labels l`,
  );
  const labelled = rows.length;
  const matcher = rows.filter((r) => r.band !== 'none');
  const found = rows.filter((r) => r.flagged).length;
  const foundOfMatcher = matcher.filter((r) => r.flagged).length;
  out['full batch: stored labelled variants flagged (recall likely+possible)'] =
    `${found} of ${labelled} (**${(found / labelled).toFixed(3)}**)`;
  out['full batch: of the labelled pairs the matcher flags when compared directly'] =
    `${foundOfMatcher} of ${matcher.length} (${(foundOfMatcher / matcher.length).toFixed(3)})`;
  const missed = new Map<string, number>();
  for (const r of matcher) if (!r.flagged) missed.set(r.kind, (missed.get(r.kind) ?? 0) + 1);
  out['full batch: missed (matcher would flag) by kind'] =
    DUPLICATE_KINDS.filter((k) => missed.has(k))
      .map((k) => `${k}: ${missed.get(k)}`)
      .join('; ') || 'none';

  if (process.env.BENCH_RERUN === '1') {
    // the next run: nothing changed, so nothing is rewritten
    const load2 = load1();
    const t2 = performance.now();
    const again = await db.tx((q) => scanAllPairs(deps, q, { workers }));
    out['full batch again, nothing changed (s)'] =
      `${seconds(performance.now() - t2)} (write ${seconds(again.phases.write)}; rows written ${again.written}, removed ${again.removed}; ${seconds(again.cpuMs)} s CPU; load average ${load2} → ${load1()})`;
  }
  if (process.env.BENCH_REFERENCE === '1') await reference(db, deps, n, out);
}

/**
 * Every pair sharing a stored blocking key (the intake's keys, no block cap), scored in memory:
 * the pairs the batch would flag if it compared everything the stored index puts together.
 */
async function reference(db: Db, deps: AppDeps, n: number, out: Record<string, string | number>) {
  if (n > 100_000) {
    out.reference = 'skipped (N > 100,000)';
    return;
  }
  const t = performance.now();
  const rows = await db.query<{
    person_id: string;
    data_key: string;
    pii: string;
    sex: string;
    citizenships: string[];
  }>('select id as person_id, data_key, pii, sex, citizenships from persons order by id');
  const prepared = rows.map((r) => {
    const p = PersonCipher.unwrap(deps.keys, r.person_id, r.data_key).decrypt<TPersonPii>('persons.pii', r.pii);
    return prepareForMatching({ ...p, sex: r.sex, citizenships: r.citizenships });
  });
  const blocks = blocksOf(prepared, blockingKeysOf);
  const seen = new Set<number>();
  const flagged: [number, number][] = [];
  const floor = DEFAULT_MATCH_CONFIG.thresholds.possible;
  for (const list of blocks.values())
    for (let x = 0; x < list.length; x++)
      for (let y = x + 1; y < list.length; y++) {
        const code = list[x]! * rows.length + list[y]!;
        if (seen.has(code)) continue;
        seen.add(code);
        if (matchScore(prepared[list[x]!]!, prepared[list[y]!]!, DEFAULT_MATCH_CONFIG, floor) >= floor)
          flagged.push([list[x]!, list[y]!]);
      }
  // split by label: a flagged pair that is not a labelled variant joins two different synthetic persons
  const [found] = await db.query<{ n: number; labelled: number; labelled_found: number }>(
    `select count(dp.id)::int as n, count(l.variant)::int as labelled, count(l.variant) filter (where dp.id is not null)::int as labelled_found
       from unnest($1::uuid[], $2::uuid[]) as r(a, b)
       left join duplicate_pairs dp on dp.person_a = least(r.a, r.b) and dp.person_b = greatest(r.a, r.b)
       left join bench_dup_labels l on (l.variant, l.base) in ((r.a, r.b), (r.b, r.a))`,
    [flagged.map(([a]) => rows[a]!.person_id), flagged.map(([, b]) => rows[b]!.person_id)],
  );
  out['reference: pairs sharing a stored blocking key / flagged'] =
    `${seen.size.toLocaleString('en')} / ${flagged.length.toLocaleString('en')} (${seconds(performance.now() - t)} s)`;
  out['reference: of those flagged, found by the batch'] =
    `${found!.n.toLocaleString('en')} (**${(found!.n / flagged.length).toFixed(3)}**): labelled duplicates ${found!.labelled_found} of ${found!.labelled}, other pairs (two different synthetic persons) ${found!.n - found!.labelled_found} of ${flagged.length - found!.labelled}`;
}
