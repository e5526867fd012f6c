import { prepareForMatching, scorePrepared, type TPreparedPerson } from '@opennrm/domain';
import type { Queryable } from '../../db/client.ts';
import type { AppDeps } from '../../http/deps.ts';
import * as repo from './duplicates.repository.ts';

export interface TScanResult {
  persons: number;
  candidatePairs: number;
  flagged: number;
  skippedBlocks: number;
  ms: number;
}

/**
 * The full batch (job `duplicates.scan`): every pair of persons sharing a blocking key is scored
 * and the flagged ones are recorded in `duplicate_pairs`. Pairs are generated in SQL from the
 * HMAC'd keys (no plaintext leaves the index); a key shared by more than `maxBlockSize` persons is
 * skipped as too common to discriminate (the pair still meets on its rarer keys: full name pair,
 * document, phone). Each person is decrypted and analysed once, in memory, when first needed.
 */
export async function scanAllPairs(
  deps: Pick<AppDeps, 'keys'>,
  q: Queryable,
  opts: { maxBlockSize?: number; pageSize?: number } = {},
): Promise<TScanResult> {
  const started = performance.now();
  const maxBlock = opts.maxBlockSize ?? repo.MAX_BLOCK_SIZE;
  const pageSize = opts.pageSize ?? 20_000;
  const { config } = await repo.getMatchConfig(q);
  const [{ at: scanStart } = { at: '' }] = await q.query<{ at: string }>('select clock_timestamp()::text as at');
  await q.query('drop table if exists dup_scan_keys');
  await q.query('drop table if exists dup_scan_pairs');
  await q.query(
    `create temp table dup_scan_keys on commit drop as
     select key, count(*)::int as n from person_index where kind = 'block' group by key having count(*) >= 2`,
  );
  const [skipped] = await q.query<{ n: number }>('select count(*)::int as n from dup_scan_keys where n > $1', [
    maxBlock,
  ]);
  await q.query('delete from dup_scan_keys where n > $1', [maxBlock]);
  await q.query(
    `create temp table dup_scan_pairs on commit drop as
     select distinct x.person_id as a, y.person_id as b
       from dup_scan_keys k
       join person_index x on x.kind = 'block' and x.key = k.key
       join person_index y on y.kind = 'block' and y.key = k.key and y.person_id > x.person_id`,
  );
  const [total] = await q.query<{ n: number }>('select count(*)::int as n from dup_scan_pairs');
  const prepared = new Map<string, TPreparedPerson>();
  let flagged = 0;
  let last: { a: string; b: string } | null = null;
  for (;;) {
    const page: { a: string; b: string }[] = await q.query(
      last
        ? 'select a, b from dup_scan_pairs where (a, b) > ($1::uuid, $2::uuid) order by a, b limit $3'
        : 'select a, b from dup_scan_pairs order by a, b limit $1',
      last ? [last.a, last.b, pageSize] : [pageSize],
    );
    if (!page.length) break;
    last = page[page.length - 1]!;
    const missing = [...new Set(page.flatMap((p) => [p.a, p.b]))].filter((id) => !prepared.has(id));
    if (missing.length) {
      const rows = await q.query<{
        person_id: string;
        data_key: string;
        pii: string;
        sex: string;
        citizenships: string[];
      }>('select id as person_id, data_key, pii, sex, citizenships from persons where id = any($1::uuid[])', [missing]);
      for (const r of rows) prepared.set(r.person_id, prepareForMatching(repo.matchPersonOf(deps.keys, r)));
    }
    const found: Parameters<typeof repo.upsertPairs>[1] = [];
    for (const p of page) {
      const x = prepared.get(p.a);
      const y = prepared.get(p.b);
      if (!x || !y) continue;
      const result = scorePrepared(x, y, config);
      if (result.band !== 'none')
        found.push({ a: p.a, b: p.b, score: result.score, band: result.band, fields: result.fields });
    }
    flagged += found.length;
    await repo.upsertPairs(q, found, config.version);
  }
  // open pairs that no longer score (an edit, a new configuration) leave the queue; decided ones stay
  await q.query(
    `delete from duplicate_pairs dp where dp.status = 'open' and dp.updated_at < $1::timestamptz
        and not exists (select 1 from person_merges m where m.pair_id = dp.id)`,
    [scanStart],
  );
  const [persons] = await q.query<{ n: number }>('select count(*)::int as n from persons');
  return {
    persons: persons?.n ?? 0,
    candidatePairs: total?.n ?? 0,
    flagged,
    skippedBlocks: skipped?.n ?? 0,
    ms: Math.round(performance.now() - started),
  };
}
