import { randomBytes, randomUUID } from 'node:crypto';
import { permissionsOf, type TMatchPerson } from '@opennrm/domain';
import pg from 'pg';
import { PersonCipher } from '../../apps/server/src/crypto/person-crypto.ts';
import { openDb } from '../../apps/server/src/db/client.ts';
import { migrate } from '../../apps/server/src/db/migrate.ts';
import type { Ctx } from '../../apps/server/src/http/context.ts';
import type { AppDeps } from '../../apps/server/src/http/deps.ts';
import { personIndexKeys, type TPersonPii } from '../../apps/server/src/modules/cases/persons.repository.ts';
import { scanAllPairs } from '../../apps/server/src/modules/duplicates/duplicates.batch.ts';
import { checkDuplicates } from '../../apps/server/src/modules/duplicates/duplicates.service.ts';
import { seedDemo } from '../../apps/server/src/seed/demo.ts';
import { percentile } from '../lib.ts';
import { generateBench } from './generate.ts';

const BATCH = 5_000;

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

/**
 * Duplicate detection on PostgreSQL (issue 8): loads N synthetic persons (bench/duplicates
 * generator) with encrypted identifiers, a case each and every blind-index key the server writes,
 * then times (1) the intake check of one new person — the server's own `checkDuplicates`: blocking
 * keys, the candidate query, decryption and scoring of each candidate, and its audit entry — over
 * the labelled variants of stored persons, and (2) the full batch (`scanAllPairs`). A fresh schema
 * on BENCH_DATABASE_URL (default: the local opennrm_dev) is dropped afterwards.
 */
export async function runDuplicatesPgBench(): Promise<Record<string, string | number>> {
  const n = Number(process.env.BENCH_N ?? 100_000);
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/opennrm_dev';
  const schema = `bench_dup_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const db = await openDb({ url, schema, poolSize: 4 });
  const out: Record<string, string | number> = { 'stored persons (N)': n.toLocaleString('en') };
  try {
    await migrate(db);
    await seedDemo(db, 'bench-password', { memoryCost: 8192, timeCost: 1 });
    const keys = { master: randomBytes(32), index: randomBytes(32) };
    const deps = { keys } as AppDeps;
    const [agency] = await db.query<{ id: string }>("select id from agencies where name like 'Safe Home%'");
    const [user] = await db.query<{ id: string }>("select id from users where username = 'shelter.worker'");
    const [other] = await db.query<{ id: string }>("select id from users where username = 'police.officer'");
    const [otherAgency] = await db.query<{ id: string }>(
      "select agency_id as id from users where username = 'police.officer'",
    );

    let t = performance.now();
    const records = generateBench({ seed: 20261201, population: n, duplicatesPerKind: 20, nonDuplicatesPerKind: 0 });
    const base = records.filter((r) => r.kind === 'base');
    const probes = records.filter((r) => r.kind !== 'base');
    out['generate (s)'] = ((performance.now() - t) / 1000).toFixed(1);

    t = performance.now();
    let indexRows = 0;
    let pending: Promise<unknown> = Promise.resolve();
    for (let start = 0; start < base.length; start += BATCH) {
      const slice = base.slice(start, start + BATCH);
      const persons: unknown[][] = [[], [], [], [], []];
      const cases: unknown[][] = [[], [], []];
      const index: string[][] = [[], [], []];
      slice.forEach((r, i) => {
        const id = randomUUID();
        const cipher = PersonCipher.create(keys, id);
        const p = pii(r.person);
        persons[0]!.push(id);
        persons[1]!.push(cipher.wrappedKey);
        persons[2]!.push(cipher.encrypt('persons.pii', p));
        persons[3]!.push(r.person.sex ?? 'NonSpecifiedUnknown');
        persons[4]!.push(`{${(r.person.citizenships ?? []).join(',')}}`);
        cases[0]!.push(randomUUID());
        cases[1]!.push(`KZ-2026-${String(start + i + 1).padStart(7, '0')}`);
        cases[2]!.push(id);
        for (const e of personIndexKeys(keys, p)) {
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
    await db.query('analyze');
    out['load: persons + cases + index rows'] =
      `${n.toLocaleString('en')} + ${n.toLocaleString('en')} + ${indexRows.toLocaleString('en')}`;
    out['load time (s)'] = ((performance.now() - t) / 1000).toFixed(1);

    // (1) intake check of one new person, as a police officer (every candidate held elsewhere) and as
    // the holding agency's case worker (candidates visible, with details)
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
      actorOf(other!.id, otherAgency!.id, ['first_responder']),
      actorOf(user!.id, agency!.id, ['case_worker']),
    ];
    const times: number[] = [];
    let found = 0;
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
          if (res.visible.length || res.elsewhere.length) found++;
        }
      }
    times.sort((a, b) => a - b);
    out['intake check: probes (variants of stored persons)'] = probes.length;
    out['intake check: probes with a flagged candidate'] = `${found} (${((100 * found) / probes.length).toFixed(1)} %)`;
    out['intake check p50 / p95 / max (ms)'] =
      `${percentile(times, 50).toFixed(1)} / **${percentile(times, 95).toFixed(1)}** / ${times[times.length - 1]!.toFixed(1)}`;
    const [largest] = await db.query<{ n: number }>(
      "select max(c)::int as n from (select count(*) as c from person_index where kind = 'block' group by key) x",
    );
    out['largest block (persons sharing one key)'] = largest?.n ?? 0;

    // (2) the full batch (BENCH_BATCH=0 skips it)
    if (process.env.BENCH_BATCH === '0') return out;
    t = performance.now();
    const scan = await db.tx((q) => scanAllPairs(deps, q));
    out['full batch (s)'] = `**${((performance.now() - t) / 1000).toFixed(1)}**`;
    out['full batch: candidate pairs scored / flagged / blocks skipped (> 200)'] =
      `${scan.candidatePairs.toLocaleString('en')} / ${scan.flagged.toLocaleString('en')} / ${scan.skippedBlocks.toLocaleString('en')}`;
    const [size] = await db.query<{ s: string }>(
      `select pg_size_pretty(pg_total_relation_size('${schema}.person_index')) as s`,
    );
    out['person_index size'] = size?.s ?? '';
    return out;
  } finally {
    await db.close();
    if (!process.env.BENCH_KEEP) await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}
