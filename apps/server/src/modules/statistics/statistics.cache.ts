import type { Queryable } from '../../db/client.ts';
import { compactVersion, dataVersion } from './statistics.repository.ts';

/**
 * A per-year cache of the statistics' aggregates (counts and key sums per region and quarter — no
 * record, nothing about a person), keyed by the statistics data version (migration 0014). A request
 * reads the version before and after computing: aggregates are stored only when no writer committed
 * in between, so a stored entry always describes exactly the data of its version, and any later
 * committed write changes the version and makes every entry stale. One cache per database (tests run
 * several apps in one process); entries of an older version are dropped when a newer one is stored.
 */
const caches = new WeakMap<object, Map<string, { version: string; value: unknown }>>();
const MAX_ENTRIES = 256;
/** Writers recorded since the last compaction above which a request folds them into the base. */
const COMPACT_ABOVE = 1000;

export interface TStatisticsCache {
  /** The cached value of `key` at the current version, or `compute()` (stored if the version holds). */
  get<T>(key: string, compute: () => Promise<T>): Promise<T>;
  /** Whether `key` is cached at the current version. */
  has(key: string): boolean;
}

/**
 * Runs `fn` with the cache of the database `owner` inside the request's transaction `q`. What `fn`
 * computes is stored only if the data version read at the end equals the one read at the start.
 */
export async function withStatisticsCache<T>(
  owner: object,
  q: Queryable,
  fn: (cache: TStatisticsCache) => Promise<T>,
): Promise<T> {
  let cache = caches.get(owner);
  if (!cache) {
    cache = new Map();
    caches.set(owner, cache);
  }
  const entries = cache;
  const before = await dataVersion(q);
  const computed = new Map<string, unknown>();
  const result = await fn({
    has: (key) => entries.get(key)?.version === before || computed.has(key),
    async get<V>(key: string, compute: () => Promise<V>): Promise<V> {
      if (computed.has(key)) return computed.get(key) as V;
      const hit = entries.get(key);
      if (hit && hit.version === before) {
        // most recently used last
        entries.delete(key);
        entries.set(key, hit);
        return hit.value as V;
      }
      const value = await compute();
      computed.set(key, value);
      return value;
    },
  });
  if (computed.size) {
    const [pending] = await q.query<{ n: number }>('select count(*)::int as n from statistics_changes');
    if ((pending?.n ?? 0) > COMPACT_ABOVE) await compactVersion(q);
    const after = await dataVersion(q);
    if (after === before) {
      for (const [key, e] of entries) if (e.version !== before) entries.delete(key);
      for (const [key, value] of computed) {
        entries.delete(key);
        entries.set(key, { version: before, value });
      }
      while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
    }
  }
  return result;
}

/** Forgets everything cached for `owner` (tests). */
export function clearStatisticsCache(owner: object): void {
  caches.delete(owner);
}
