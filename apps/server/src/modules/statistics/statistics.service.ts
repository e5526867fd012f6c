import { createHmac } from 'node:crypto';
import {
  countTable,
  DASHBOARD_TABLES,
  DEFAULT_DISCLOSURE_CONFIG,
  DIMENSION_CATEGORIES,
  dashboardThreshold,
  glotipForm,
  isSuppressed,
  MIN_REFLECTION_DAYS,
  protectTable,
  runDashboardGroupQuery,
  type TBreakdownDimension,
  type TDashboard,
  type TDashboardGroup,
  type TDashboardParams,
  type TDashboardQuery,
  type TExploitationForm,
  type TProtectedTable,
  type TStatIndicator,
} from '@opennrm/domain';
import { appendAudit } from '../../audit/audit.service.ts';
import type { Queryable } from '../../db/client.ts';
import type { Ctx } from '../../http/context.ts';
import { type AppDeps, actorOf } from '../../http/deps.ts';
import { type TStatisticsCache, withStatisticsCache } from './statistics.cache.ts';
import * as repo from './statistics.repository.ts';

/** The secret of the cell keys: derived from the index key, so it is stable and never stored. */
export function cellKeySalt(deps: AppDeps): string {
  return createHmac('sha256', deps.keys.index).update('opennrm/statistics/cell-key').digest('base64url');
}

export function dashboardK(): number {
  return DEFAULT_DISCLOSURE_CONFIG.kDashboard;
}

/** The categories of every dimension, the quarters of the period included (so empty quarters show as 0). */
function categoriesFor(period: string): Partial<Record<TBreakdownDimension, readonly string[]>> {
  const quarters = period.length === 4 ? [1, 2, 3, 4].map((q) => `${period}-Q${q}`) : [period];
  return { ...DIMENSION_CATEGORIES, quarter: quarters, year: [period.slice(0, 4)] };
}

/**
 * Count rows of a year as the domain's groups: forms mapped to their GLOTIP category, agencies to
 * their type (rows that map to the same values add up in the domain's counting).
 */
function toGroups(
  year: string,
  rows: readonly repo.TCountRow[],
  agencyTypes: ReadonlyMap<string, string> = new Map(),
): TDashboardGroup[] {
  return rows.map((r) => {
    const g: Record<string, unknown> = { ...r, year };
    if ('exploitation' in r) g.exploitation = glotipForm((r.exploitation ?? []) as TExploitationForm[]);
    if ('agencyType' in r) g.agencyType = agencyTypes.get(r.agencyType as string) ?? 'unknown';
    return g as TDashboardGroup;
  });
}

/**
 * The person groups of a year for each breakdown (a list of dimensions), cached per year and
 * breakdown; the breakdowns missing from the cache are counted in one pass.
 */
async function personGroups(
  deps: AppDeps,
  ctx: Ctx,
  cache: TStatisticsCache,
  year: string,
  breakdowns: readonly (readonly TBreakdownDimension[])[],
): Promise<TDashboardGroup[][]> {
  const salt = cellKeySalt(deps);
  const keyOf = (dims: readonly TBreakdownDimension[]) => `persons:${year}:${dims.join(',')}`;
  const sets = breakdowns.map((b) => repo.groupedDimensions(b));
  const unique = [...new Map(sets.map((s) => [keyOf(s), s])).values()];
  // The breakdowns not cached are counted in one pass; each is then read through the cache.
  const missing = unique.filter((s) => !cache.has(keyOf(s)));
  let fetched: Promise<Map<string, TDashboardGroup[]>> | null = null;
  const fetchMissing = () => {
    fetched ??= (async () => {
      const rows = await repo.personCounts(ctx.q, salt, year, missing);
      const types = new Map(
        (await ctx.q.query<{ id: string; type: string }>('select id, type from agencies')).map((a) => [a.id, a.type]),
      );
      return new Map(missing.map((s, i) => [keyOf(s), toGroups(year, rows[i]!, types)]));
    })();
    return fetched;
  };
  const out = new Map<string, TDashboardGroup[]>();
  for (const s of unique)
    out.set(keyOf(s), await cache.get(keyOf(s), async () => (await fetchMissing()).get(keyOf(s))!));
  return sets.map((s) => out.get(keyOf(s))!);
}

/** The delivered-service groups of a year (repo.serviceCounts, run by `count` when not cached), cached per year. */
function serviceGroups(
  cache: TStatisticsCache,
  year: string,
  count: () => Promise<repo.TCountRow[]>,
): Promise<TDashboardGroup[]> {
  return cache.get(`services:${year}`, async () => toGroups(year, await count()));
}

function options(period: string) {
  return { k: dashboardK(), categories: categoriesFor(period) };
}

/**
 * One lattice query — over the person records, or over the delivered-service records when it breaks
 * down by service type — audited with its parameters: the only shape of table an analyst can ask for.
 */
export async function query(deps: AppDeps, ctx: Ctx, q: TDashboardQuery): Promise<TProtectedTable> {
  const year = q.period.slice(0, 4);
  const services = q.rows === 'serviceType' || q.cols === 'serviceType';
  const groups = await withStatisticsCache(deps.db, ctx.q, async (cache) =>
    services
      ? serviceGroups(cache, year, () => repo.serviceCounts(ctx.q, cellKeySalt(deps), year))
      : (await personGroups(deps, ctx, cache, year, [[q.rows, ...(q.cols ? [q.cols] : [])]]))[0]!,
  );
  const table = runDashboardGroupQuery(groups, q, options(q.period));
  await auditRead(ctx, 'statistics.query', {
    period: q.period,
    region: q.region,
    rows: q.rows,
    cols: q.cols ?? null,
  });
  return table;
}

/**
 * Records who read which statistics with which filters (the lattice's period, region and
 * breakdowns: no figure, no personal data), in the request's transaction.
 */
async function auditRead(
  ctx: Ctx,
  action: 'statistics.read' | 'statistics.query',
  details: Record<string, string | null>,
): Promise<void> {
  await appendAudit(ctx.q, { actor: actorOf(ctx), action, targetType: 'statistics', ip: ctx.ip, details });
}

/** The median of the values a histogram counts (the mean of the two middle values when even). */
export function histogramMedian(rows: readonly { value: number; n: number }[]): number | null {
  const sorted = [...rows].sort((a, b) => a.value - b.value);
  const total = sorted.reduce((s, r) => s + r.n, 0);
  if (!total) return null;
  const at = (i: number) => {
    let seen = 0;
    for (const r of sorted) {
      seen += r.n;
      if (i < seen) return r.value;
    }
    return sorted[sorted.length - 1]!.value;
  };
  const m = Math.floor(total / 2);
  return total % 2 ? at(m) : (at(m - 1) + at(m)) / 2;
}

type Protector = (
  groups: readonly TDashboardGroup[],
  rows: TBreakdownDimension,
  cols?: TBreakdownDimension,
) => TProtectedTable;

/** Dashboard protection: a lattice query (suppression, withholding and cell-key rounding, t = max(k, 4)). */
function latticeProtector(p: TDashboardParams): Protector {
  return (groups, rows, cols) =>
    runDashboardGroupQuery(groups, { period: p.period, region: p.region, rows, cols }, options(p.period));
}

/**
 * Publication protection (the national report): a fixed table of the period, k = 11, exact
 * complementary suppression and CTDC floor rounding to a multiple of k.
 */
function publicationProtector(p: TDashboardParams, k: number): Protector {
  return (groups, rows, cols) => {
    const selected = groups.filter((r) => inScope(r, p));
    const table = countTable(selected, rows, cols ?? null, {
      rowKeys: categoriesFor(p.period)[rows],
      colKeys: cols ? categoriesFor(p.period)[cols] : undefined,
      weight: (g) => g.n,
    });
    return protectTable(table, k, { rounding: 'floor' });
  };
}

function inScope(r: { year?: string; quarter: string; region: string }, p: TDashboardParams) {
  return (
    (p.period.length === 4 ? r.quarter.startsWith(`${p.period}-`) : r.quarter === p.period) &&
    (p.region === 'all' || r.region === p.region)
  );
}

/**
 * Shares are computed from the published (rounded) counts, never from exact ones, and a median only
 * when the count behind it is published (at least t records): they add nothing beyond the counts.
 */
function pct(part: number | null, whole: number | null): number | null {
  if (part === null || whole === null || whole === 0) return null;
  return Math.min(100, Math.round((1000 * part) / whole) / 10);
}

export interface TStatistics {
  tables: { id: string; table: TProtectedTable }[];
  indicators: TStatIndicator[];
}

/** The standard tables and indicators of a period, each protected by `protect`. */
async function buildStatistics(deps: AppDeps, ctx: Ctx, p: TDashboardParams, protect: Protector): Promise<TStatistics> {
  const salt = cellKeySalt(deps);
  const tz = deps.config.timeZone;
  const year = p.period.slice(0, 4);
  const defs = DASHBOARD_TABLES.filter((d) => p.region === 'all' || (d.rows !== 'region' && d.cols !== 'region'));
  const personDefs = defs.filter((d) => (d.source ?? 'persons') === 'persons');
  const data = await withStatisticsCache(deps.db, ctx.q, async (cache) => {
    // On PostgreSQL the indicators and then the delivered services are counted on a second
    // connection while the persons are counted on the request's (two cores, two statements); the
    // cache's version check brackets all of them.
    const parallel = deps.db.kind === 'pg';
    const onSecond = <T>(fn: (q: Queryable) => Promise<T>): Promise<T> => (parallel ? deps.db.tx(fn) : fn(ctx.q));
    const others = (async () => ({
      indicators: await cache.get(`indicators:${year}`, () =>
        onSecond((q) => repo.indicatorCounts(q, salt, tz, MIN_REFLECTION_DAYS, year)),
      ),
      services: await serviceGroups(cache, year, () => onSecond((q) => repo.serviceCounts(q, salt, year))),
    }))();
    if (!parallel) await others;
    const [people, { indicators, services }] = await Promise.all([
      personGroups(
        deps,
        ctx,
        cache,
        year,
        personDefs.map((d) => [d.rows, ...(d.cols ? [d.cols] : [])]),
      ),
      others,
    ]);
    return { people, services, ...indicators };
  });
  const groupsOf = new Map<string, TDashboardGroup[]>(personDefs.map((d, i) => [d.id, data.people[i]!]));
  const tables = defs.map((d) => ({
    id: d.id,
    table: protect(d.source === 'services' ? data.services : groupsOf.get(d.id)!, d.rows, d.cols),
  }));
  /** A protected count of a set of records (a one-cell table); null when suppressed. */
  const count = (rows: readonly repo.TCountRow[]) => {
    const t = protect(toGroups(year, rows), 'year');
    return isSuppressed(t.grandTotal) ? null : t.grandTotal;
  };
  const scoped = (h: repo.TFlagCounts<string>['histogram']) => h.filter((r) => inScope(r, p));
  const { referrals: ref, decisions: dec, reflection: refl } = data;
  const nRef = count(ref.all);
  const nAcc = count(ref.flags.accepted);
  const nAnswered = count(ref.flags.answered);
  const nDec = count(dec.all);
  const nPos = count(dec.flags.positive);
  const nTimed = count(dec.flags.timed);
  const nRefl = count(refl.all);
  const nComp = count(refl.flags.compliant);
  const indicators: TStatIndicator[] = [
    { id: 'referrals', value: nRef, unit: 'count' },
    { id: 'referralsAccepted', value: nAcc, unit: 'count' },
    { id: 'referralsAcceptedPct', value: pct(nAcc, nRef), unit: 'percent' },
    {
      id: 'referralMedianResponseHours',
      value: nAnswered ? histogramMedian(scoped(ref.histogram)) : null,
      unit: 'hours',
    },
    { id: 'referralsOverdue', value: count(ref.flags.overdue), unit: 'count' },
    { id: 'decisions', value: nDec, unit: 'count' },
    { id: 'decisionsPositivePct', value: pct(nPos, nDec), unit: 'percent' },
    { id: 'decisionMedianDays', value: nTimed ? histogramMedian(scoped(dec.histogram)) : null, unit: 'days' },
    { id: 'reflectionPeriods', value: nRefl, unit: 'count' },
    { id: 'reflectionCompliantPct', value: pct(nComp, nRefl), unit: 'percent' },
    { id: 'criminalCasesLinked', value: count(data.proceedings.all), unit: 'count' },
  ];
  return { tables, indicators };
}

const plain = (t: TProtectedTable) =>
  ({ ...t, rowKeys: [...t.rowKeys], colKeys: [...t.colKeys] }) as TDashboard['tables'][number]['table'];

/** The dashboard of a period and region filter; every read is audited with the filters. */
export async function dashboard(deps: AppDeps, ctx: Ctx, p: TDashboardParams): Promise<TDashboard> {
  const k = dashboardK();
  const s = await buildStatistics(deps, ctx, p, latticeProtector(p));
  await auditRead(ctx, 'statistics.read', { period: p.period, region: p.region });
  return {
    period: p.period,
    region: p.region,
    k,
    threshold: dashboardThreshold(k),
    tables: s.tables.map((t) => ({ id: t.id, table: plain(t.table) })),
    indicators: s.indicators,
    generatedAt: new Date().toISOString(),
  };
}

/** The national report's figures: national (all regions), k = publication k, floor-rounded. */
export async function publicationStatistics(
  deps: AppDeps,
  ctx: Ctx,
  period: string,
): Promise<TStatistics & { k: number }> {
  const k = DEFAULT_DISCLOSURE_CONFIG.kPublication;
  const p = { period, region: 'all' as const };
  return { ...(await buildStatistics(deps, ctx, p, publicationProtector(p, k))), k };
}
