import { createHash, randomUUID } from 'node:crypto';
import { rmSync, existsSync } from 'node:fs';
import pg from 'pg';
import { ageBandOn, isChildForRules, isCrossBorder, type TCaseFields, type TPersonInput } from '@opennrm/domain';
import type { Keys } from '../apps/server/src/crypto/keys.ts';
import { PersonCipher } from '../apps/server/src/crypto/person-crypto.ts';
import { type Db, openDb } from '../apps/server/src/db/client.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { ensureDefaultCatalogue } from '../apps/server/src/modules/screening/screening.service.ts';
import { seedDemo } from '../apps/server/src/seed/demo.ts';
import { caseFieldParams } from '../apps/server/src/modules/cases/cases.repository.ts';
import { INDEX_VERSION, personIndexKeys } from '../apps/server/src/modules/cases/persons.repository.ts';
import { rng, type TRng } from './duplicates/generate.ts';
import { femaleSurname, NAMES, type TLanguage } from './duplicates/names.data.ts';

const LANGS: TLanguage[] = ['kk', 'kk', 'kk', 'ru', 'ru', 'uz', 'uz', 'ky', 'tg'];
/** The citizenship of a person whose name is of this language (the usual one; generators vary it). */
export const CITIZENSHIP: Record<TLanguage, string> = { kk: 'KZ', ru: 'KZ', uz: 'UZ', ky: 'KG', tg: 'TJ' };
const REGIONS = [
  'almaty',
  'astana',
  'shymkent',
  'turkistan',
  'almaty_region',
  'karaganda',
  'mangystau',
  'atyrau',
  'jambyl',
  'east_kazakhstan',
] as const;
const METHODS = [
  'police_operation',
  'labour_inspection',
  'border_check',
  'health_visit',
  'hotline_call',
  'self_referral',
  'ngo_outreach',
] as const;
const FORMS = [
  'ForcedLabour',
  'ForcedLabour',
  'ForcedLabour',
  'SexualExploitation',
  'SexualExploitation',
  'ForcedBegging',
  'ForcedMarriage',
  'ForcedCriminality',
] as const;

export interface PopulationAgency {
  id: string;
  creator: string;
  type: string;
  competent: boolean;
}

/** One synthetic person as a worker would record them (also the load benchmark's registrations). */
export function syntheticPerson(r: TRng): TPersonInput {
  const lang = r.pick(LANGS);
  const female = r.chance(0.6);
  const given = r.pick(female ? NAMES[lang].female : NAMES[lang].male);
  const surname = r.pick(NAMES[lang].surnames);
  const year = 1965 + r.int(45);
  const month = String(1 + r.int(12)).padStart(2, '0');
  const day = String(1 + r.int(28)).padStart(2, '0');
  const citizen = r.chance(0.85) ? CITIZENSHIP[lang] : r.pick(['KZ', 'UZ', 'KG', 'TJ', 'RU']);
  return {
    names: [{ family: female ? femaleSurname(surname) : surname, given, script: 'cyrillic', kind: 'primary' }],
    sex: female ? 'Feminine' : 'Masculine',
    birthDate: r.chance(0.8) ? { kind: 'exact', date: `${year}-${month}-${day}` } : { kind: 'year', year },
    ageUncertainPossiblyMinor: false,
    citizenships: [citizen as 'KZ'],
    stateless: false,
    languages: [lang === 'tg' ? 'tg' : lang === 'ky' ? 'ky' : lang],
    interpreterNeeded: lang !== 'kk' && lang !== 'ru',
    documents: r.chance(0.6)
      ? [{ type: 'passport', number: `N${String(r.int(1e8)).padStart(8, '0')}`, issuingCountry: citizen as 'KZ' }]
      : [],
    contacts: r.chance(0.5)
      ? [{ type: 'phone', value: `+7 7${r.int(100)} ${String(r.int(1e7)).padStart(7, '0')}` }]
      : [],
    vulnerabilities: r.chance(0.5) ? ['Poverty'] : [],
  };
}

function caseFields(r: TRng, citizen: string): TCaseFields {
  const year = 2023 + r.int(4);
  const date = `${year}-${String(1 + r.int(11)).padStart(2, '0')}-${String(1 + r.int(28)).padStart(2, '0')}`;
  const cross = citizen !== 'KZ' || r.chance(0.2);
  return {
    encounterDate: date,
    encounterRegion: r.pick(REGIONS),
    encounterPlace: `Synthetic place ${r.int(1000)}`,
    identificationMethod: r.pick(METHODS),
    exploitationForms: [r.pick(FORMS)],
    labourIndustry: null,
    sexExploitationTypes: [],
    meansOfControl: ['WithholdsDocuments'],
    recruitmentMethods: [],
    recruitmentApps: [],
    relationshipToRecruiter: null,
    countriesOfOrigin: [citizen as 'KZ'],
    countriesOfTransit: [],
    countriesOfExploitation: [cross ? (r.chance(0.5) ? 'RU' : 'KZ') : 'KZ'],
    exploitationStart: null,
    exploitationEnd: null,
    narrative: `Synthetic narrative ${r.int(1e6)}`,
  };
}

/**
 * Deterministic synthetic population for benchmarks: persons (identifiers encrypted exactly as the
 * server does, blind indexes through the server's own `personIndexKeys`), cases spread over the
 * agencies, and referrals (with consent) for about a third of them. Written in batches through
 * `unnest`, so 1M cases load in minutes rather than hours.
 */
export async function generatePopulation(
  db: Db,
  keys: Keys,
  n: number,
  agencies: PopulationAgency[],
  seed = 20261130,
  onProgress?: (done: number) => void,
) {
  const r = rng(seed);
  const competent = agencies.filter((a) => a.competent);
  const BATCH = 1000;
  let seq = 0;
  for (let start = 0; start < n; start += BATCH) {
    const size = Math.min(BATCH, n - start);
    const P: unknown[][] = [[], [], [], [], [], [], [], [], []];
    const I: unknown[][] = [[], [], []];
    const C: unknown[][] = Array.from({ length: 25 }, () => []);
    const R: unknown[][] = Array.from({ length: 9 }, () => []);
    for (let i = 0; i < size; i++) {
      const pid = randomUUID();
      const cid = randomUUID();
      const p = syntheticPerson(r);
      const f = caseFields(r, p.citizenships[0] ?? 'KZ');
      const cipher = PersonCipher.create(keys, pid);
      const pii = { names: p.names, birthDate: p.birthDate, documents: p.documents, contacts: p.contacts };
      const row = [
        pid,
        cipher.wrappedKey,
        cipher.encrypt('persons.pii', pii),
        p.sex,
        ageBandOn(p.birthDate, f.encounterDate),
        false,
        p.citizenships,
        p.languages,
        JSON.stringify({ vulnerabilities: p.vulnerabilities }),
      ];
      row.forEach((v, k) => {
        P[k]!.push(v);
      });
      for (const e of personIndexKeys(keys, pii)) {
        I[0]!.push(pid);
        I[1]!.push(e.kind);
        I[2]!.push(e.key);
      }
      const agency = r.chance(0.2) ? agencies[0]! : r.pick(agencies);
      seq += 1;
      const number = `KZ-${f.encounterDate.slice(0, 4)}-${String(seq).padStart(7, '0')}`;
      const params = caseFieldParams(cipher, cid, f);
      const crow = [
        cid,
        number,
        'KZ',
        agency.id,
        agency.creator,
        pid,
        isChildForRules(p, f.encounterDate),
        isCrossBorder(f, p.citizenships, 'KZ'),
        ...params,
      ];
      crow.forEach((v, k) => {
        C[k]!.push(v);
      });
      if (r.chance(0.33) && competent.length) {
        const to = r.pick(
          competent.filter((a) => a.id !== agency.id).length ? competent.filter((a) => a.id !== agency.id) : competent,
        );
        if (to.id !== agency.id) {
          const sent = new Date(Date.parse(`${f.encounterDate}T10:00:00Z`) + 86_400_000);
          const state = r.pick(['sent', 'accepted', 'accepted', 'completed', 'declined']);
          [
            randomUUID(),
            cid,
            agency.id,
            to.id,
            agency.creator,
            'formal_identification',
            r.pick(['urgent', 'routine']),
            state,
            sent.toISOString(),
          ].forEach((v, k) => {
            R[k]!.push(v);
          });
        }
      }
    }
    await db.tx(async (q) => {
      await q.query(
        `insert into persons (id, data_key, pii, sex, age_band, age_uncertain, citizenships, languages, attributes, block_keys_version)
         select c1, c2, c3, c4, c5, c6, array[c7], array[c8], c9, ${INDEX_VERSION}
           from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::text[], $8::text[], $9::jsonb[])
             as t(c1, c2, c3, c4, c5, c6, c7, c8, c9)`,
        // The generator gives every person exactly one citizenship and one language.
        P.map((col, k) => (k === 6 || k === 7 ? (col as string[][]).map((a) => a[0] ?? null) : col)),
      );
      await q.query(
        'insert into person_index (person_id, kind, key) select * from unnest($1::uuid[], $2::text[], $3::text[]) on conflict do nothing',
        I,
      );
      await q.query(
        `insert into cases (id, number, country, agency_id, created_by, person_id, is_child, cross_border,
           encounter_date, encounter_region, encounter_place_enc, identification_method, exploitation_forms, labour_industry,
           sex_exploitation_types, means_of_control, recruitment_methods, recruitment_apps, relationship_to_recruiter,
           countries_of_origin, countries_of_transit, countries_of_exploitation, exploitation_start, exploitation_end, narrative_enc)
         select c1, c2, c3, c4, c5, c6, c7, c8, c9::date, c10, c11, c12, array[c13], c14, '{}', array[c16], '{}', '{}', c19,
                array[c20], '{}', array[c22], c23::date, c24::date, c25
           from unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::uuid[], $6::uuid[], $7::boolean[], $8::boolean[], $9::text[],
                       $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[],
                       $19::text[], $20::text[], $21::text[], $22::text[], $23::text[], $24::text[], $25::text[])
             as t(c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20, c21, c22, c23, c24, c25)`,
        C.map((col, k) => (k >= 8 && Array.isArray(col[0]) ? (col as string[][]).map((a) => a[0] ?? null) : col)),
      );
      if (R[0]!.length) {
        await q.query(
          `insert into consents (id, case_id, purpose, status, language, interpreter_used, given_on, recorded_by)
           select gen_random_uuid(), c, 'referral_identification', 'given', 'ru', false, (s::timestamptz)::date, u
             from unnest($1::uuid[], $2::text[], $3::uuid[]) as t(c, s, u)`,
          [R[1], R[8], R[4]],
        );
        await q.query(
          `insert into referrals (id, case_id, from_agency_id, to_agency_id, sent_by, purpose, urgency, state, sent_at, due_at, expires_at, scope)
           select id, c, f, t, u, p, g, st, s::timestamptz, s::timestamptz + interval '3 days', s::timestamptz + interval '10 days', '{identity,screening}'
             from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[])
               as x(id, c, f, t, u, p, g, st, s)`,
          R,
        );
      }
    });
    onProgress?.(start + size);
  }
}

/**
 * Bumped whenever the generator's output changes: a stored population of another version is
 * generated afresh.
 */
export const POPULATION_VERSION = 2; // 2: name pair keys in the blind index (INDEX_VERSION 2)
export const POPULATION_SEED = 20261130;
export const BENCH_PASSWORD = 'bench-password-2026';
/** Fixed keys (synthetic data only), so a population generated once serves later runs. */
export const BENCH_KEYS = {
  master: createHash('sha256').update('opennrm-bench-master-key').digest(),
  index: createHash('sha256').update('opennrm-bench-index-key').digest(),
};
const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface Target {
  backend: 'pg' | 'pglite';
  size: number;
  /** The environment that points a server at this database. */
  env: Record<string, string>;
  dbOpts: { url?: string; dataDir?: string };
}

async function storedVersion(db: Db): Promise<string | null> {
  try {
    const [row] = await db.query<{ v: string }>("select version || ':' || size as v from bench_population");
    return row?.v ?? null;
  } catch {
    return null;
  }
}

/**
 * The benchmark population of `size` cases on a back end (PostgreSQL database
 * `opennrm_bench_<size>` or PGlite folder `/tmp/opennrm-bench-pglite-<size>`), with the demo
 * directory (password BENCH_PASSWORD) and BENCH_KEYS. Generated once and reused while
 * POPULATION_VERSION holds; `BENCH_FRESH=1` forces a new one. Benchmarks that write add rows to it.
 */
export async function ensurePopulation(backend: 'pg' | 'pglite', size: number): Promise<Target> {
  const fresh = process.env.BENCH_FRESH === '1';
  const want = `${POPULATION_VERSION}:${size}`;
  let dbOpts: Target['dbOpts'];
  let env: Record<string, string>;
  let create: () => Promise<void>;
  if (backend === 'pg') {
    const name = `opennrm_bench_${size}`;
    const url = PG_ADMIN.replace(/\/[^/]*$/, `/${name}`);
    dbOpts = { url };
    env = { DATABASE_URL: url };
    create = async () => {
      const admin = new pg.Client({ connectionString: PG_ADMIN });
      await admin.connect();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`create database ${name}`);
      await admin.end();
    };
  } else {
    const dir = `/tmp/opennrm-bench-pglite-${size}`;
    dbOpts = { dataDir: `${dir}/pglite` };
    env = { OPENNRM_DATA_DIR: dir };
    create = async () => rmSync(dir, { recursive: true, force: true });
  }
  const target: Target = { backend, size, env, dbOpts };
  if (!fresh && (backend === 'pglite' ? existsSync(`${dbOpts.dataDir}`) : true)) {
    const probe = await openDb(dbOpts).catch(() => null);
    const have = probe ? await storedVersion(probe) : null;
    if (probe) await migrate(probe);
    await probe?.close();
    if (have === want) {
      console.error(`  ${backend} ${size}: reusing the stored population (version ${POPULATION_VERSION})`);
      return target;
    }
  }
  await create();
  const db = await openDb(dbOpts);
  await migrate(db);
  await ensureDefaultCatalogue(db);
  await seedDemo(db, BENCH_PASSWORD, { memoryCost: 19456, timeCost: 2 });
  const agencies = await db.query<PopulationAgency>(
    `select a.id, a.type, a.is_competent_authority as competent,
            (select u.id from users u where u.agency_id = a.id and u.roles && '{first_responder,case_worker}' order by u.username limit 1) as creator
       from agencies a where exists (select 1 from users u where u.agency_id = a.id and u.roles && '{first_responder,case_worker}')
      order by (a.name like 'Safe Home%') desc, a.name`,
  );
  const t0 = performance.now();
  await generatePopulation(db, BENCH_KEYS, size, agencies, POPULATION_SEED, (done) => {
    if (done % 100_000 === 0) console.error(`  ${backend}: ${done} cases`);
  });
  console.error(`  ${backend} ${size}: generated in ${Math.round((performance.now() - t0) / 1000)} s`);
  await db.query('create table bench_population (version int not null, size int not null)');
  await db.query('insert into bench_population values ($1, $2)', [POPULATION_VERSION, size]);
  if (backend === 'pg') await db.query('vacuum analyze');
  else {
    // PGlite has no autovacuum: the server analyses on its own (maintainEmbedded), the generator at once.
    await db.query('analyze');
    await db.query('checkpoint');
  }
  await db.close();
  return target;
}
