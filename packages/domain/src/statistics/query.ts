/**
 * The dashboard query model: safe against differencing by construction.
 *
 * Threat. An analyst who may run many aggregate queries can subtract them: "all regions" minus the
 * sum of every other region gives the suppressed region; a year minus three quarters gives the
 * fourth. Per-table complementary suppression (table.ts) cannot stop this, because the suppression
 * pattern of one query does not know the others (a test shows the attack working without rounding).
 *
 * Design (four layers, all pure; t = max(k, 4)):
 *
 * 1. A fixed lattice. A query is (period, region filter, row dimension, optional column dimension)
 *    where the dimensions come from BREAKDOWN_DIMENSIONS, the period is a year or a quarter and the
 *    region filter is 'all' or one region (ZDashboardQuery refuses anything else: no "all but X", no
 *    free-text filters, no arbitrary record subsets). Every cell an attacker can see is a set of
 *    records fixed by (period, region filter, dimension values), and the only linear relations
 *    between cells of different queries are known: regions partition 'all', quarters partition a
 *    year, and the categories of a dimension partition a margin.
 * 2. Cell-key random rounding. Every published count is rounded to a multiple of t, up with
 *    probability (n mod t)/t, the direction taken from the cell key: the sum (mod 2³²) of
 *    per-record keys hash(salt, record id). The same set of people gets the same number in every
 *    query, so repeating or rephrasing a query yields nothing to average; different sets round
 *    independently. A published p says only n ∈ [max(t, p − t + 1), p + t − 1].
 * 3. The lattice audit (latticeStatus). A cell that is the whole of a lattice partition ('all'
 *    regions, a year) is withheld — suppressed in every query, because its status is a function of
 *    its records alone — when publishing it would let "whole minus the other parts" pin a small
 *    part; parts are judged by the same rule, recursively.
 * 4. Each answer is protected as a table (protectTable): cells with 0 < n < t and withheld cells are
 *    suppressed, with exact complementary suppression, so nothing is recovered within one answer.
 *
 * Why t ≥ 4. For X = A − B with A, B published and X ∈ [1, t − 1] suppressed, the interval for X
 * can shrink to a single point only if t divides 3 (at X = 1) or t divides t − 3 (at X = t − 1): for
 * t = 3 a two-query difference pins X in about 16 % of cases, for t ≥ 4 never (property-tested).
 * Differences of more terms can align (≈ 1 % at t = 4 with two other parts, ≈ 4·10⁻⁴ at t = 5 with
 * three); layer 3 catches those for the lattice's partitions.
 *
 * Not covered (see README): a whole that is itself below t whose non-zero parts are all 1 (an
 * attacker who guesses that the suppressed whole is small can pin them, because zeros are published);
 * second-order relations (a withheld whole re-estimated from another breakdown of the same records,
 * then used in a partition); an attacker who knows the complement-selection rule. The salt must stay
 * secret and must never change: a new salt re-randomises every rounding and lets an attacker average
 * the two versions.
 */
import { z } from 'zod';
import { ZRegion } from '../agency/agency.ts';
import { MIN_K, SERVICE_DIMENSIONS, type TBreakdownDimension, ZBreakdownDimension } from './config.ts';
import {
  countTable,
  dimensionValue,
  extendedGrid,
  protectTable,
  type TProtectedTable,
  type TStatRecord,
} from './table.ts';

/** The smallest threshold for which two-query differencing provably never pins a cell (see header). */
export const MIN_DASHBOARD_THRESHOLD = 4;

export const ZPeriod = z.string().regex(/^\d{4}(-Q[1-4])?$/, 'a year (2026) or a quarter (2026-Q1)');

export const ZDashboardQuery = z
  .object({
    period: ZPeriod,
    region: z.union([z.literal('all'), ZRegion]),
    rows: ZBreakdownDimension,
    cols: ZBreakdownDimension.optional(),
  })
  .strict()
  .refine((q) => q.rows !== q.cols, { message: 'rows and cols must differ', path: ['cols'] })
  .refine((q) => q.region === 'all' || (q.rows !== 'region' && q.cols !== 'region'), {
    message: 'a region filter cannot also be a breakdown',
    path: ['region'],
  })
  .refine(
    (q) =>
      (q.rows !== 'serviceType' && q.cols !== 'serviceType') ||
      [q.rows, q.cols ?? 'year'].every((d) => SERVICE_DIMENSIONS.includes(d)),
    { message: 'services delivered are broken down by period and region only', path: ['cols'] },
  );
export type TDashboardQuery = z.infer<typeof ZDashboardQuery>;

/** A statistical record for the dashboard: a stable id (for the cell key) and the breakdown values. */
export type TDashboardRecord = TStatRecord & {
  readonly id: string;
  readonly year: string;
  readonly quarter: string;
  readonly region: string;
};

export interface TDashboardOptions {
  /** The dashboard k (ZDisclosureConfig.kDashboard). */
  readonly k: number;
  /** A server secret; without it the rounding direction of a cell cannot be predicted. */
  readonly salt: string;
  /** The predefined categories of each dimension, so empty categories appear as zeros. */
  readonly categories?: Partial<Record<TBreakdownDimension, readonly string[]>>;
}

/** 32-bit FNV-1a with a murmur3 finaliser: a well-mixed, deterministic key for a record. */
export function recordKey(salt: string, id: string): number {
  let h = 0x811c9dc5;
  const s = `${salt}\u0000${id}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Unbiased random rounding of `count` to a multiple of `base`, the direction decided by the cell key. */
export function cellKeyRound(count: number, cellKey: number, base: number): number {
  const rest = count % base;
  if (rest === 0) return count;
  const u = (cellKey >>> 0) / 2 ** 32;
  return u < rest / base ? count - rest + base : count - rest;
}

export function dashboardThreshold(k: number): number {
  if (!Number.isInteger(k) || k < MIN_K) throw new RangeError(`k must be an integer ≥ ${MIN_K}`);
  return Math.max(k, MIN_DASHBOARD_THRESHOLD);
}

function inPeriod(r: { readonly year: string; readonly quarter: string }, period: string): boolean {
  return period.length === 4 ? r.year === period : r.quarter === period;
}

/** What the lattice publishes for a set of records, whichever query reaches it. */
export type TLatticeStatus =
  | { readonly kind: 'zero' }
  | { readonly kind: 'small' }
  | { readonly kind: 'withheld' }
  | { readonly kind: 'published'; readonly value: number };

/** What an attacker learns about the true count from a status ([lo, hi]; null = nothing). */
export function latticeKnowledge(s: TLatticeStatus, t: number): [number, number] | null {
  switch (s.kind) {
    case 'zero':
      return [0, 0];
    case 'small':
      return [1, t - 1];
    case 'withheld':
      return null;
    case 'published':
      return [Math.max(t, s.value - t + 1), s.value + t - 1];
  }
}

/**
 * Whether publishing a whole known to lie in `whole` would pin a small part of a partition of it:
 * the attacker subtracts every other part (interval arithmetic is exact for one linear equation).
 */
export function relationPins(whole: readonly [number, number], parts: readonly TLatticeStatus[], t: number): boolean {
  const known = parts.map((p) => latticeKnowledge(p, t));
  if (known.some((k) => k === null)) return false;
  const ks = known as [number, number][];
  const lo = ks.reduce((s, k) => s + k[0], 0);
  const hi = ks.reduce((s, k) => s + k[1], 0);
  return parts.some((p, i) => {
    if (p.kind !== 'small') return false;
    const [xLo, xHi] = ks[i]!;
    const from = Math.max(xLo, whole[0] - (hi - xHi));
    const to = Math.min(xHi, whole[1] - (lo - xLo));
    return to - from + 1 <= 1;
  });
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): T[][] {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const g = m.get(k);
    if (g) g.push(it);
    else m.set(k, [it]);
  }
  return [...m.values()];
}

/**
 * Records already counted: `n` records of one period and region with the same breakdown values,
 * whose cell keys sum to `key` (mod 2³²). Everything the lattice needs of a set of records is its
 * count and key sum per region and quarter, both additive, so the server can count in the database
 * and send groups instead of one record per person; a record is the group with n = 1 and its own key.
 */
export type TDashboardGroup = TStatRecord & {
  readonly year: string;
  readonly quarter: string;
  readonly region: string;
  readonly n: number;
  /** The sum (mod 2³²) of the cell keys of the n records. */
  readonly key: number;
};

/** Records as groups of one, keyed by recordKey(salt, id). */
export function recordGroups(records: readonly TDashboardRecord[], salt: string): TDashboardGroup[] {
  const keys = new Map<string, number>();
  return records.map((r) => {
    let key = keys.get(r.id);
    if (key === undefined) {
      key = recordKey(salt, r.id);
      keys.set(r.id, key);
    }
    return { ...r, n: 1, key };
  });
}

/**
 * The status of the cell holding exactly `records` (all of one period and region filter): zero,
 * small (0 < n < t, suppressed), withheld, or published with its cell-key rounding. A cell that is the
 * whole of a lattice partition — "all regions" = Σ regions, a year = Σ quarters — is withheld when
 * publishing it would let the partition pin a small part; the parts' own statuses are computed the
 * same way, so the status is a function of the records alone and identical in every query.
 */
export function latticeStatus(
  records: readonly TDashboardRecord[],
  scope: { readonly year: boolean; readonly allRegions: boolean },
  t: number,
  keyOf: (r: TDashboardRecord) => number,
): TLatticeStatus {
  return latticeGroupStatus(
    records.map((r) => ({ ...r, n: 1, key: keyOf(r) })),
    scope,
    t,
  );
}

/** latticeStatus of the records the groups stand for (counts and key sums add up). */
export function latticeGroupStatus(
  groups: readonly TDashboardGroup[],
  scope: { readonly year: boolean; readonly allRegions: boolean },
  t: number,
): TLatticeStatus {
  let n = 0;
  let key = 0;
  for (const g of groups) {
    n += g.n;
    key = (key + g.key) >>> 0;
  }
  if (n === 0) return { kind: 'zero' };
  if (n < t) return { kind: 'small' };
  const value = cellKeyRound(n, key, t);
  const whole: [number, number] = [Math.max(t, value - t + 1), value + t - 1];
  if (scope.allRegions) {
    const parts = groupBy(groups, (g) => g.region).map((p) =>
      latticeGroupStatus(p, { ...scope, allRegions: false }, t),
    );
    if (relationPins(whole, parts, t)) return { kind: 'withheld' };
  }
  if (scope.year) {
    const parts = groupBy(groups, (g) => g.quarter).map((p) => latticeGroupStatus(p, { ...scope, year: false }, t));
    if (relationPins(whole, parts, t)) return { kind: 'withheld' };
  }
  return { kind: 'published', value };
}

/**
 * Answers a dashboard query: filter by period and region, count, take each cell's lattice status
 * (suppressed when 0 < n < t, withheld when a lattice partition would expose a part, else cell-key
 * rounded to base t), then protect the table with exact complementary suppression around every
 * suppressed or withheld cell. t = max(k, 4).
 */
export function runDashboardQuery(
  records: readonly TDashboardRecord[],
  query: TDashboardQuery,
  options: TDashboardOptions,
): TProtectedTable {
  return runDashboardGroupQuery(recordGroups(records, options.salt), query, options);
}

/**
 * runDashboardQuery on records already counted (TDashboardGroup): the same answer as on the records
 * the groups stand for, whatever way they are grouped.
 */
export function runDashboardGroupQuery(
  groups: readonly TDashboardGroup[],
  query: TDashboardQuery,
  options: Omit<TDashboardOptions, 'salt'>,
): TProtectedTable {
  const q = ZDashboardQuery.parse(query);
  const t = dashboardThreshold(options.k);
  const selected = groups.filter(
    (g) => g.n > 0 && inPeriod(g, q.period) && (q.region === 'all' || g.region === q.region),
  );
  const table = countTable(selected, q.rows, q.cols ?? null, {
    rowKeys: options.categories?.[q.rows],
    colKeys: q.cols ? options.categories?.[q.cols] : undefined,
    weight: (g) => g.n,
  });
  // The groups of every cell of the extended grid.
  const R = table.rowKeys.length;
  const C = table.colKeys.length;
  const members = extendedGrid(table).map((row) => row.map((): TDashboardGroup[] => []));
  const rowIndex = new Map(table.rowKeys.map((k, i) => [k, i]));
  const colIndex = new Map(table.colKeys.map((k, i) => [k, i]));
  for (const g of selected) {
    const i = rowIndex.get(dimensionValue(g, q.rows))!;
    const j = q.cols ? colIndex.get(dimensionValue(g, q.cols))! : 0;
    for (const [a, b] of [
      [i, j],
      [i, C],
      [R, j],
      [R, C],
    ] as const)
      members[a]![b]!.push(g);
  }
  const scope = { year: q.period.length === 4, allRegions: q.region === 'all' };
  const status = members.map((row) => row.map((m) => latticeGroupStatus(m, scope, t)));
  const published = protectTable(table, t, {
    force: (a, b) => status[a]![b]!.kind === 'withheld',
    publish: (a, b, v) => {
      const s = status[a]![b]!;
      return s.kind === 'published' ? s.value : v; // v is 0 here: zeros are published as such
    },
  });
  return { ...published, rounding: { mode: 'cell-key', base: t } };
}
