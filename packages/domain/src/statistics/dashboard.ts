import { z } from 'zod';
import { AGENCY_TYPES, KZ_REGIONS, ZRegion } from '../agency/agency.ts';
import { SERVICE_CATEGORIES } from '../assistance/assistance.ts';
import { CTDC_AGE_BANDS, SEX_GENDER } from '../case/case.enums.ts';
import { type TBreakdownDimension, GLOTIP_FORMS } from './config.ts';
import { ZPeriod } from './query.ts';

/**
 * The records a dashboard table counts:
 * - `persons`: one per identified person (after duplicate merges), dated by their first case;
 * - `services`: one per person and type of assistance service delivered to them in the year (a
 *   service with status `delivered`, dated by its actual end), in the quarter of the first such
 *   delivery and the region of its case. People, not service rows, so that a cell never describes
 *   fewer people than its count says (a person given two medical services counts once).
 */
export const DASHBOARD_SOURCES = ['persons', 'services'] as const;
export type TDashboardSource = (typeof DASHBOARD_SOURCES)[number];

/**
 * The national statistics dashboard (issue 7): which protected tables it shows and the shape of its
 * API. Every table is one lattice query (query.ts), so the dashboard adds no new relations between
 * cells. Titles and definitions are i18n keys `statistics.label.<id>` / `statistics.def.<id>`.
 */
export const DASHBOARD_TABLES: readonly {
  readonly id: string;
  readonly rows: TBreakdownDimension;
  readonly cols?: TBreakdownDimension;
  /** What the table counts (default persons). */
  readonly source?: TDashboardSource;
}[] = [
  { id: 'quarter', rows: 'quarter' },
  { id: 'sex', rows: 'sex' },
  { id: 'childAdult', rows: 'childAdult', cols: 'sex' },
  { id: 'ageBand', rows: 'ageBand' },
  { id: 'citizenship', rows: 'citizenship' },
  { id: 'exploitation', rows: 'exploitation' },
  { id: 'agencyType', rows: 'agencyType' },
  { id: 'region', rows: 'region' },
  { id: 'crossBorder', rows: 'crossBorder' },
  { id: 'serviceType', rows: 'serviceType', source: 'services' },
];

/** The predefined categories of each dimension: empty categories are shown as structural zeros. */
export const DIMENSION_CATEGORIES: Partial<Record<TBreakdownDimension, readonly string[]>> = {
  sex: SEX_GENDER,
  childAdult: ['child', 'adult'],
  ageBand: CTDC_AGE_BANDS,
  exploitation: GLOTIP_FORMS,
  agencyType: AGENCY_TYPES,
  region: KZ_REGIONS,
  crossBorder: ['internal', 'cross_border'],
  serviceType: SERVICE_CATEGORIES,
};

/** The process indicators (referrals, decisions, reflection period, criminal cases). */
export const DASHBOARD_INDICATORS = [
  'referrals',
  'referralsAccepted',
  'referralsAcceptedPct',
  'referralMedianResponseHours',
  'referralsOverdue',
  'decisions',
  'decisionsPositivePct',
  'decisionMedianDays',
  'reflectionPeriods',
  'reflectionCompliantPct',
  'criminalCasesLinked',
] as const;
export type TDashboardIndicator = (typeof DASHBOARD_INDICATORS)[number];

export const ZDashboardParams = z
  .object({ period: ZPeriod, region: z.union([z.literal('all'), ZRegion]).default('all') })
  .strict();
export type TDashboardParams = z.infer<typeof ZDashboardParams>;

export const ZCellValue = z.union([z.number(), z.object({ suppressed: z.literal(true) })]);
export const ZProtectedTableOut = z.object({
  rowDim: z.string(),
  colDim: z.string().nullable(),
  rowKeys: z.array(z.string()),
  colKeys: z.array(z.string()),
  cells: z.array(z.array(ZCellValue)),
  rowTotals: z.array(ZCellValue),
  colTotals: z.array(ZCellValue),
  grandTotal: ZCellValue,
  k: z.number().int(),
  primarySuppressed: z.number().int(),
  secondarySuppressed: z.number().int(),
  rounding: z.object({ mode: z.enum(['floor', 'cell-key']), base: z.number().int() }).nullable(),
});
export type TProtectedTableOut = z.infer<typeof ZProtectedTableOut>;

/** An indicator: a protected count, a share or a median; null = suppressed (fewer than k behind it). */
export const ZStatIndicator = z.object({
  id: z.enum(DASHBOARD_INDICATORS),
  value: z.number().nullable(),
  unit: z.enum(['count', 'percent', 'hours', 'days']),
});
export type TStatIndicator = z.infer<typeof ZStatIndicator>;

export const ZDashboard = z.object({
  period: ZPeriod,
  region: z.string(),
  k: z.number().int(),
  threshold: z.number().int(),
  tables: z.array(z.object({ id: z.string(), table: ZProtectedTableOut })),
  indicators: z.array(ZStatIndicator),
  generatedAt: z.string(),
});
export type TDashboard = z.infer<typeof ZDashboard>;
