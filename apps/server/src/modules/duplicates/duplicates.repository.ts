import {
  DEFAULT_MATCH_CONFIG,
  type TFieldComparison,
  type TMatchConfig,
  type TMatchPerson,
  ZMatchConfig,
} from '@opennrm/domain';
import type { Keys } from '../../crypto/keys.ts';
import { PersonCipher } from '../../crypto/person-crypto.ts';
import type { Queryable } from '../../db/client.ts';
import { INDEX_VERSION, personIndexKeys, type TPersonPii } from '../cases/persons.repository.ts';

/** Most candidates one lookup decrypts and scores: those sharing the most blocking keys first. */
export const MAX_CANDIDATES = 100;
/**
 * Candidate keys of the batch shared by more persons than this are skipped (too common to
 * discriminate). With the batch's keys (`batchKeysOf`) the largest block of 1,000,000 synthetic
 * persons is a common full name of about 800 persons; see docs/benchmarks.md.
 */
export const MAX_BLOCK_SIZE = 1_000;

/** A stored person as the matcher reads it: decrypted identifiers plus the plain sex and citizenships. */
export function matchPersonOf(
  keys: Keys,
  row: { person_id: string; data_key: string; pii: string; sex: string; citizenships: string[] },
): TMatchPerson {
  const pii = PersonCipher.unwrap(keys, row.person_id, row.data_key).decrypt<TPersonPii>('persons.pii', row.pii);
  return { ...pii, sex: row.sex, citizenships: row.citizenships };
}

export interface CandidateRow {
  person_id: string;
  shared: number;
  data_key: string;
  pii: string;
  sex: string;
  citizenships: string[];
  case_id: string;
  number: string;
  agency_id: string;
  agency_name: string;
  show_identity: boolean;
}

/**
 * Candidates of a person by blind-index blocking: persons sharing at least one HMAC'd blocking key,
 * most shared keys first, at most `limit`. `visibility` is a SQL condition on case alias `c` (with
 * its parameters from $1) telling whether the caller may see the candidate's identity.
 */
export async function findCandidates(
  q: Queryable,
  blockKeys: string[],
  visibility: { identitySql: string; params: unknown[] },
  opts: { excludePersonId?: string | null; limit?: number } = {},
): Promise<CandidateRow[]> {
  if (!blockKeys.length) return [];
  const params = [...visibility.params];
  const keysParam = `$${params.push(blockKeys)}`;
  const excludeParam = `$${params.push(opts.excludePersonId ?? null)}`;
  const limitParam = `$${params.push(opts.limit ?? MAX_CANDIDATES)}`;
  return q.query<CandidateRow>(
    `select k.person_id, k.shared, p.data_key, p.pii, p.sex, p.citizenships,
            c.id as case_id, c.number, c.agency_id, a.name as agency_name, ${visibility.identitySql} as show_identity
       from (select x.person_id, count(*)::int as shared from person_index x
              where x.kind = 'block' and x.key = any(${keysParam}::text[])
                and (${excludeParam}::uuid is null or x.person_id <> ${excludeParam}::uuid)
              group by x.person_id order by shared desc, x.person_id limit ${limitParam}) k
       join persons p on p.id = k.person_id
       join cases c on c.person_id = p.id
       join agencies a on a.id = c.agency_id
      order by k.shared desc, k.person_id`,
    params,
  );
}

/** The matcher configuration: as saved by a system administrator, or the defaults (version 0). */
export async function getMatchConfig(q: Queryable): Promise<{ config: TMatchConfig; version: number }> {
  const [row] = await q.query<{ value: unknown; version: number }>(
    "select value, version from settings where key = 'match_config'",
  );
  if (!row) return { config: DEFAULT_MATCH_CONFIG, version: 0 };
  return { config: ZMatchConfig.parse(row.value), version: row.version };
}

/** Saves the matcher configuration when `version` is current (0 = first save); false when stale. */
export async function saveMatchConfig(q: Queryable, config: TMatchConfig, version: number, userId: string) {
  if (version === 0) {
    const rows = await q.query(
      `insert into settings (key, value, updated_by) values ('match_config', $1, $2) on conflict (key) do nothing returning key`,
      [JSON.stringify(config), userId],
    );
    return rows.length === 1;
  }
  const rows = await q.query(
    `update settings set value = $1, version = version + 1, updated_at = now(), updated_by = $2
      where key = 'match_config' and version = $3 returning key`,
    [JSON.stringify(config), userId, version],
  );
  return rows.length === 1;
}

/**
 * Records scored pairs (person ids in any order). A pair already decided (merged, dismissed) keeps
 * its status; an open one gets the new score. Returns how many rows were written.
 */
export async function upsertPairs(
  q: Queryable,
  pairs: { a: string; b: string; score: number; band: 'likely' | 'possible'; fields: TFieldComparison[] }[],
  configVersion: string,
): Promise<number> {
  if (!pairs.length) return 0;
  const ordered = pairs.map((p) => (p.a < p.b ? p : { ...p, a: p.b, b: p.a }));
  const rows = await q.query(
    `insert into duplicate_pairs (person_a, person_b, score, band, fields, config_version, updated_at)
     select x.a, x.b, x.score, x.band, x.fields::jsonb, $6, clock_timestamp()
       from unnest($1::uuid[], $2::uuid[], $3::float8[], $4::text[], $5::text[]) as x(a, b, score, band, fields)
     on conflict (person_a, person_b) do update
        set score = excluded.score, band = excluded.band, fields = excluded.fields,
            config_version = excluded.config_version, updated_at = clock_timestamp()
      where duplicate_pairs.status = 'open'
     returning id`,
    [
      ordered.map((p) => p.a),
      ordered.map((p) => p.b),
      ordered.map((p) => p.score),
      ordered.map((p) => p.band),
      ordered.map((p) => JSON.stringify(p.fields)),
      configVersion,
    ],
  );
  return rows.length;
}

type TScoredPair = { a: string; b: string; score: number; band: 'likely' | 'possible'; fields: TFieldComparison[] };

/**
 * Records the result of a full batch: the flagged pairs become the open queue. A new pair is
 * inserted; an open one is rewritten only when its score, band, explanation or configuration
 * changed (most pairs do not between two runs); a decided one (merged, dismissed) keeps its
 * status. Open pairs the batch did not flag leave the queue, unless written after `since` (by a
 * `duplicates.person` job while the batch ran) or tied to a merge. Returns the rows written.
 */
export async function replaceOpenPairs(
  q: Queryable,
  pairs: TScoredPair[],
  configVersion: string,
  since: string,
): Promise<{ written: number; removed: number }> {
  await q.query('drop table if exists dup_scan_found');
  await q.query(
    `create temp table dup_scan_found (a uuid, b uuid, score float8, band text, fields jsonb, primary key (a, b))
     on commit drop`,
  );
  // one JSON document per chunk: an array parameter of JSON texts costs far more to escape and parse
  for (let i = 0; i < pairs.length; i += 10_000) {
    const chunk = pairs.slice(i, i + 10_000).map((p) => (p.a < p.b ? p : { ...p, a: p.b, b: p.a }));
    await q.query(
      `insert into dup_scan_found select x.a, x.b, x.score, x.band, x.fields
         from jsonb_to_recordset($1::jsonb) as x(a uuid, b uuid, score float8, band text, fields jsonb)
       on conflict do nothing`,
      [JSON.stringify(chunk.map(({ a, b, score, band, fields }) => ({ a, b, score, band, fields })))],
    );
  }
  const written = await q.query(
    `insert into duplicate_pairs (person_a, person_b, score, band, fields, config_version, updated_at)
     select f.a, f.b, f.score, f.band, f.fields, $1, clock_timestamp() from dup_scan_found f
     on conflict (person_a, person_b) do update
        set score = excluded.score, band = excluded.band, fields = excluded.fields,
            config_version = excluded.config_version, updated_at = clock_timestamp()
      where duplicate_pairs.status = 'open'
        and (duplicate_pairs.score, duplicate_pairs.band, duplicate_pairs.config_version, duplicate_pairs.fields)
            is distinct from (excluded.score, excluded.band, excluded.config_version, excluded.fields)
     returning 1`,
    [configVersion],
  );
  const removed = await q.query(
    `delete from duplicate_pairs dp where dp.status = 'open' and dp.updated_at < $1::timestamptz
        and not exists (select 1 from dup_scan_found f where f.a = dp.person_a and f.b = dp.person_b)
        and not exists (select 1 from person_merges m where m.pair_id = dp.id)
     returning 1`,
    [since],
  );
  await q.query('drop table dup_scan_found');
  return { written: written.length, removed: removed.length };
}

/**
 * Rewrites the blind-index entries of persons indexed with an older version (or never), in
 * batches; returns how many persons were re-indexed. Runs at start, so existing records join
 * duplicate detection and name search with the current keys.
 */
export async function backfillIndex(
  db: { tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> },
  keys: Keys,
  batch = 500,
): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await db.tx(async (q) => {
      const rows = await q.query<{ id: string; data_key: string; pii: string }>(
        'select id, data_key, pii from persons where block_keys_version < $1 order by id limit $2 for update skip locked',
        [INDEX_VERSION, batch],
      );
      if (!rows.length) return 0;
      const ids: string[] = [];
      const kinds: string[] = [];
      const entries: string[] = [];
      for (const r of rows) {
        const pii = PersonCipher.unwrap(keys, r.id, r.data_key).decrypt<TPersonPii>('persons.pii', r.pii);
        for (const e of personIndexKeys(keys, pii)) {
          ids.push(r.id);
          kinds.push(e.kind);
          entries.push(e.key);
        }
      }
      const all = rows.map((r) => r.id);
      await q.query('delete from person_index where person_id = any($1::uuid[])', [all]);
      if (ids.length)
        await q.query(
          'insert into person_index (person_id, kind, key) select * from unnest($1::uuid[], $2::text[], $3::text[])',
          [ids, kinds, entries],
        );
      await q.query('update persons set block_keys_version = $2 where id = any($1::uuid[])', [all, INDEX_VERSION]);
      return rows.length;
    });
    total += done;
    if (done < batch) return total;
  }
}
