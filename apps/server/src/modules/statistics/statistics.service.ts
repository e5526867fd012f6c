import { createHmac } from 'node:crypto';
import {
  DASHBOARD_TABLES,
  DEFAULT_DISCLOSURE_CONFIG,
  DIMENSION_CATEGORIES,
  dashboardThreshold,
  glotipForm,
  isSuppressed,
  MIN_REFLECTION_DAYS,
  runDashboardQuery,
  type TDashboard,
  type TDashboardParams,
  type TDashboardQuery,
  type TDashboardRecord,
  type TExploitationForm,
  type TStatIndicator,
  type TBreakdownDimension,
  countTable,
  protectTable,
  type TProtectedTable,
} from '@opennrm/domain';
import type { Ctx } from '../../http/context.ts';
import type { AppDeps } from '../../http/deps.ts';
import * as repo from './statistics.repository.ts';

/** The secret of the cell keys: derived from the index key, so it is stable and never stored. */
export function cellKeySalt(deps: AppDeps): string {
  return createHmac('sha256', deps.keys.index).update('opennrm/statistics/cell-key').digest('base64url');
}

export function dashboardK(): number {
  return DEFAULT_DISCLOSURE_CONFIG.kDashboard;
}

/** The de-identified person records of the dashboard (forms already mapped to GLOTIP). */
export async function personStatRecords(deps: AppDeps, ctx: Ctx): Promise<TDashboardRecord[]> {
  const rows = await repo.personRecords(ctx.q, cellKeySalt(deps));
  return rows.map(({ forms, ...r }) => ({ ...r, exploitation: glotipForm(forms as TExploitationForm[]) }));
}

/** The categories of every dimension, the quarters of the period included (so empty quarters show as 0). */
function categoriesFor(period: string): Partial<Record<TBreakdownDimension, readonly string[]>> {
  const quarters = period.length === 4 ? [1, 2, 3, 4].map((q) => `${period}-Q${q}`) : [period];
  return { ...DIMENSION_CATEGORIES, quarter: quarters, year: [period.slice(0, 4)] };
}

function options(deps: AppDeps, period: string) {
  return { k: dashboardK(), salt: cellKeySalt(deps), categories: categoriesFor(period) };
}

/** One lattice query over the person records: the only shape of table an analyst can ask for. */
export async function query(deps: AppDeps, ctx: Ctx, q: TDashboardQuery): Promise<TProtectedTable> {
  return runDashboardQuery(await personStatRecords(deps, ctx), q, options(deps, q.period));
}

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

type Rec = TDashboardRecord;
type Protector = (records: readonly Rec[], rows: TBreakdownDimension, cols?: TBreakdownDimension) => TProtectedTable;

/** Dashboard protection: a lattice query (suppression, withholding and cell-key rounding, t = max(k, 4)). */
function latticeProtector(deps: AppDeps, p: TDashboardParams): Protector {
  return (records, rows, cols) =>
    runDashboardQuery(records, { period: p.period, region: p.region, rows, cols }, options(deps, p.period));
}

/**
 * Publication protection (the national report): a fixed table of the period, k = 11, exact
 * complementary suppression and CTDC floor rounding to a multiple of k.
 */
function publicationProtector(p: TDashboardParams, k: number): Protector {
  return (records, rows, cols) => {
    const selected = records.filter((r) => inScope(r, p));
    const table = countTable(selected, rows, cols ?? null, {
      rowKeys: categoriesFor(p.period)[rows],
      colKeys: cols ? categoriesFor(p.period)[cols] : undefined,
    });
    return protectTable(table, k, { rounding: 'floor' });
  };
}

function inScope(r: { year: string; quarter: string; region: string }, p: TDashboardParams) {
  return (
    (p.period.length === 4 ? r.year === p.period : r.quarter === p.period) &&
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
  const people = await personStatRecords(deps, ctx);
  const tables = DASHBOARD_TABLES.filter((d) => p.region === 'all' || (d.rows !== 'region' && d.cols !== 'region')).map(
    (d) => ({ id: d.id, table: protect(people, d.rows, d.cols) }),
  );
  /** A protected count of a set of records (a one-cell table); null when suppressed. */
  const count = (records: readonly { id: string; year: string; quarter: string; region: string }[]) => {
    const cells: Rec[] = records.map((r) => ({ id: r.id, year: r.year, quarter: r.quarter, region: r.region }));
    const t = protect(cells, 'year');
    return isSuppressed(t.grandTotal) ? null : t.grandTotal;
  };

  const referrals = await repo.referralRecords(ctx.q, salt, tz);
  const decisions = await repo.decisionRecords(ctx.q, salt, tz);
  const reflection = await repo.reflectionRecords(ctx.q, salt, MIN_REFLECTION_DAYS);
  const proceedings = await repo.proceedingRecords(ctx.q, salt, tz);

  const nRef = count(referrals);
  const nAcc = count(referrals.filter((r) => r.accepted));
  const answered = referrals.filter((r) => r.responseHours !== null);
  const nAnswered = count(answered);
  const nDec = count(decisions);
  const nPos = count(decisions.filter((d) => d.positive));
  const timed = decisions.filter((d) => d.days !== null);
  const nTimed = count(timed);
  const nRefl = count(reflection);
  const nComp = count(reflection.filter((r) => r.compliant));
  const indicators: TStatIndicator[] = [
    { id: 'referrals', value: nRef, unit: 'count' },
    { id: 'referralsAccepted', value: nAcc, unit: 'count' },
    { id: 'referralsAcceptedPct', value: pct(nAcc, nRef), unit: 'percent' },
    {
      id: 'referralMedianResponseHours',
      value: nAnswered ? median(answered.filter((r) => inScope(r, p)).map((r) => r.responseHours!)) : null,
      unit: 'hours',
    },
    { id: 'referralsOverdue', value: count(referrals.filter((r) => r.overdue)), unit: 'count' },
    { id: 'decisions', value: nDec, unit: 'count' },
    { id: 'decisionsPositivePct', value: pct(nPos, nDec), unit: 'percent' },
    {
      id: 'decisionMedianDays',
      value: nTimed ? median(timed.filter((d) => inScope(d, p)).map((d) => d.days!)) : null,
      unit: 'days',
    },
    { id: 'reflectionPeriods', value: nRefl, unit: 'count' },
    { id: 'reflectionCompliantPct', value: pct(nComp, nRefl), unit: 'percent' },
    { id: 'criminalCasesLinked', value: count(proceedings), unit: 'count' },
  ];
  return { tables, indicators };
}

const plain = (t: TProtectedTable) =>
  ({ ...t, rowKeys: [...t.rowKeys], colKeys: [...t.colKeys] }) as TDashboard['tables'][number]['table'];

export async function dashboard(deps: AppDeps, ctx: Ctx, p: TDashboardParams): Promise<TDashboard> {
  const k = dashboardK();
  const s = await buildStatistics(deps, ctx, p, latticeProtector(deps, p));
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
