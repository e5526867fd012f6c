import { randomUUID } from 'node:crypto';
import { ageBandOn, isCrossBorder, type TCaseCreate } from '@opennrm/domain';
import { eventHash, type StoredAuditFields } from '../../audit/audit.service.ts';
import { PersonCipher } from '../../crypto/person-crypto.ts';
import type { Queryable } from '../../db/client.ts';
import type { Actor } from '../../http/context.ts';
import type { AppDeps } from '../../http/deps.ts';
import { caseFieldParams } from '../cases/cases.repository.ts';
import { INDEX_VERSION, personIndexKeys, personIsChild, splitPerson } from '../cases/persons.repository.ts';
import { caseNumberSql, type TCaseNumbers } from '../cases/case-numbers.ts';

/** The array types of the case columns passed through unnest (c1…c21 of `write`): ids, two flags, then text. */
const CASE_COLUMN_TYPES = ['uuid', 'uuid', 'boolean', 'boolean', ...Array<string>(17).fill('text')];

/** Rows written per statement. */
export const IMPORT_BATCH = 1000;

/** A PostgreSQL array literal of text values (for text[] columns passed through unnest). */
export function pgTextArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

const lit = (v: unknown) => (Array.isArray(v) ? pgTextArray(v as string[]) : v);

/** One batch, ready to write: column arrays for unnest. */
interface Batch {
  P: unknown[][];
  I: unknown[][];
  C: unknown[][];
  hashes: string[];
  at: string;
}

/**
 * Registers many intakes at once, writing exactly what `createCase` writes for each (persons with
 * encrypted identifiers and their blind-index and blocking keys, a case with the next case number
 * of the year, a `case.create` audit event and a `duplicates.person` job), but set-based: one
 * statement per IMPORT_BATCH rows instead of six round trips per row, and the next batch is
 * encrypted and keyed while the database writes the previous one. Runs in the caller's
 * transaction; returns the case ids in input order.
 */
export async function insertCases(
  deps: AppDeps,
  q: Queryable,
  actor: Actor,
  ip: string | null,
  inputs: readonly TCaseCreate[],
  numbers: TCaseNumbers,
): Promise<string[]> {
  const country = deps.config.country;
  const { year, sequence } = numbers;
  const ids: string[] = [];
  let writing: Promise<unknown> = Promise.resolve();
  for (let start = 0; start < inputs.length; start += IMPORT_BATCH) {
    const batch = prepare(deps, actor, ip, inputs.slice(start, start + IMPORT_BATCH), ids);
    await writing;
    writing = write(q, batch, { country, year, sequence, actor, ip });
    // a failure surfaces at the next `await writing`; meanwhile it must not count as unhandled
    writing.catch(() => undefined);
    // let the query go out before the next batch is prepared
    await new Promise((resolve) => setImmediate(resolve));
  }
  await writing;
  return ids;
}

function prepare(deps: AppDeps, actor: Actor, ip: string | null, batch: readonly TCaseCreate[], ids: string[]): Batch {
  const country = deps.config.country;
  const P: unknown[][] = Array.from({ length: 9 }, () => []);
  const index: [string, string, string][] = [];
  const C: unknown[][] = Array.from({ length: 21 }, () => []);
  const hashes: string[] = [];
  const at = new Date().toISOString();
  for (const input of batch) {
    const personId = randomUUID();
    const caseId = randomUUID();
    ids.push(caseId);
    const p = input.person;
    const c = input.case;
    const cipher = PersonCipher.create(deps.keys, personId);
    const { pii, attributes } = splitPerson(p);
    [
      personId,
      cipher.wrappedKey,
      cipher.encrypt('persons.pii', pii),
      p.sex,
      ageBandOn(p.birthDate, c.encounterDate),
      p.ageUncertainPossiblyMinor,
      pgTextArray(p.citizenships),
      pgTextArray(p.languages),
      JSON.stringify(attributes),
    ].forEach((v, k) => {
      P[k]!.push(v);
    });
    for (const e of personIndexKeys(deps.keys, pii)) index.push([e.kind, e.key, personId]);
    [
      caseId,
      personId,
      personIsChild(p, c.encounterDate),
      isCrossBorder(c, p.citizenships, country),
      ...caseFieldParams(cipher, caseId, c).map(lit),
    ].forEach((v, k) => {
      C[k]!.push(v);
    });
    const event: StoredAuditFields = {
      at,
      actor_id: actor.userId,
      actor_username: actor.username,
      agency_id: actor.agencyId,
      action: 'case.create',
      target_type: 'case',
      target_id: caseId,
      ip,
      outcome: 'success',
      details: {},
    };
    hashes.push(eventHash(event));
  }
  // In index order: the index's b-tree is filled page by page instead of at random.
  index.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const I: unknown[][] = [index.map((e) => e[2]), index.map((e) => e[0]), index.map((e) => e[1])];
  return { P, I, C, hashes, at };
}

/**
 * One statement for the whole batch (data-modifying CTEs: the foreign keys are checked at its end,
 * when the persons exist). Case numbers are the next n of the year's sequence, in input order.
 */
function write(
  q: Queryable,
  b: Batch,
  o: { country: string; year: number; sequence: string; actor: Actor; ip: string | null },
): Promise<unknown> {
  const params: unknown[] = [];
  const $ = (v: unknown) => `$${params.push(v)}`;
  const cols = (arrays: unknown[][], types: string[]) => arrays.map((a, k) => `${$(a)}::${types[k]}[]`).join(', ');
  const n = b.P[0]!.length;
  const sql = `
    with numbers as materialized (
      -- the next n numbers of the year's sequence, in input order (case-numbers.ts)
      select g as ord, nextval(${$(o.sequence)}::text::regclass) as v from generate_series(1, ${$(n)}::int) g),
    p as (
      insert into persons (id, data_key, pii, sex, age_band, age_uncertain, citizenships, languages, attributes, block_keys_version)
      select c1, c2, c3, c4, c5, c6, c7::text[], c8::text[], c9::jsonb, ${INDEX_VERSION}
        from unnest(${cols(b.P, ['uuid', 'text', 'text', 'text', 'text', 'boolean', 'text', 'text', 'text'])})
          as t(c1, c2, c3, c4, c5, c6, c7, c8, c9)
      returning 1),
    i as (
      insert into person_index (person_id, kind, key)
      select * from unnest(${cols(b.I, ['uuid', 'text', 'text'])})
      returning 1),
    c as (
      insert into cases (id, number, country, agency_id, created_by, person_id, is_child, cross_border,
        encounter_date, encounter_region, encounter_place_enc, identification_method, exploitation_forms, labour_industry,
        sex_exploitation_types, means_of_control, recruitment_methods, recruitment_apps, relationship_to_recruiter,
        countries_of_origin, countries_of_transit, countries_of_exploitation, exploitation_start, exploitation_end, narrative_enc)
      select c1, ${caseNumberSql($(o.country), $(o.year), 'numbers.v')},
             ${$(o.country)}, ${$(o.actor.agencyId)}::uuid, ${$(o.actor.userId)}::uuid, c2, c3, c4, c5::date, c6, c7, c8,
             c9::text[], c10, c11::text[], c12::text[], c13::text[], c14::text[], c15, c16::text[], c17::text[], c18::text[],
             c19::date, c20::date, c21
        from unnest(${cols(b.C, CASE_COLUMN_TYPES)}) with ordinality
          as t(c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20, c21, ord)
          join numbers on numbers.ord = t.ord
      returning 1),
    a as (
      insert into audit_events (at, actor_id, actor_username, agency_id, action, target_type, target_id, ip, outcome, details, hash)
      select ${$(b.at)}::timestamptz, ${$(o.actor.userId)}::uuid, ${$(o.actor.username)}, ${$(o.actor.agencyId)}::uuid, 'case.create',
             'case', t.id::text, ${$(o.ip)}, 'success', '{}'::jsonb, t.hash
        from unnest(${$(b.C[0])}::uuid[], ${$(b.hashes)}::text[]) as t(id, hash)
      returning 1),
    j as (
      -- duplicate detection pairs each new person in the background (review queue), as after intake
      insert into jobs (kind, payload, run_at)
      select 'duplicates.person', jsonb_build_object('personId', id::text), ${$(b.at)}::timestamptz
        from unnest(${$(b.P[0])}::uuid[]) as t(id)
      returning 1)
    select (select count(*) from p) as persons, (select count(*) from c) as cases, (select count(*) from i) as index_rows,
           (select count(*) from a) as audits, (select count(*) from j) as jobs`;
  return q.query(sql, params);
}
