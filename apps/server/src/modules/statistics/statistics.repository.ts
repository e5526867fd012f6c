import { createHmac } from 'node:crypto';
import type { TBreakdownDimension } from '@opennrm/domain';
import type { Queryable } from '../../db/client.ts';

/**
 * The statistics, counted in SQL. Nothing that leaves this file names or identifies a person, a
 * case, a referral or a user: the database returns counts per combination of coarse breakdown values
 * (region, quarter and the dimensions asked for) with `key`, the sum (mod 2³²) of per-record cell
 * keys. A record's cell key is the low 32 bits of PostgreSQL's seeded `uuid_hash_extended` of the
 * row's random id, the 64-bit seed derived from the secret salt per kind of record (cellKeySeeds): it
 * only decides the direction of the dashboard's random rounding, and neither the ids nor the seed
 * ever leave the server. (md5 of the salt and the id cost ~1 µs per record: a second per query at
 * 10⁶ cases; the seeded hash costs nothing measurable and gives the same value on every PostgreSQL
 * version and platform tested — a test pins it.) Dates become a year and a quarter in the
 * deployment's time zone.
 */

/** n records of one region and quarter with equal breakdown values; key = Σ cell keys mod 2³². */
export interface TCountRow {
  region: string;
  quarter: string;
  n: number;
  key: number;
  [dimension: string]: string | number | string[] | null;
}

/**
 * Memory for the sorts and hashes of one statistics transaction (the default 4 MB spills to disk at
 * 10⁵ rows); `set_config(…, true)` lasts until the transaction ends.
 */
export async function analyticalSettings(q: Queryable): Promise<void> {
  await q.query("select set_config('work_mem', '64MB', true)");
}

/**
 * Runs `fn` with hash joins and nested loops off (merge joins over ordered indexes), then restores
 * the transaction's settings.
 */
export async function withMergeJoins<T>(q: Queryable, fn: () => Promise<T>): Promise<T> {
  const [before] = await q.query<{ h: string; n: string; w: string }>(
    `select current_setting('enable_hashjoin') as h, current_setting('enable_nestloop') as n,
            current_setting('max_parallel_workers_per_gather') as w,
            set_config('enable_hashjoin', 'off', true), set_config('enable_nestloop', 'off', true),
            set_config('max_parallel_workers_per_gather', '0', true)`,
  );
  const out = await fn();
  await q.query(
    `select set_config('enable_hashjoin', $1, true), set_config('enable_nestloop', $2, true),
            set_config('max_parallel_workers_per_gather', $3, true)`,
    [before!.h, before!.n, before!.w],
  );
  return out;
}

/** A year's bounds: dates [from, to). */
export function yearBounds(year: string): { from: string; to: string } {
  return { from: `${year}-01-01`, to: `${Number(year) + 1}-01-01` };
}

/** The 64-bit hash seeds of the cell keys, one per kind of record, from the secret salt. */
export function cellKeySeeds(
  salt: string,
): Record<'person' | 'referral' | 'decision' | 'reflection' | 'proceeding' | 'service', string> {
  const seed = (kind: string) => createHmac('sha256', salt).update(kind).digest().readBigInt64BE(0).toString();
  return {
    person: seed('person'),
    referral: seed('referral'),
    decision: seed('decision'),
    reflection: seed('reflection'),
    proceeding: seed('proceeding'),
    service: seed('service'),
  };
}

/** The cell key of a record: a uuid expression hashed with a seed parameter, 0 ≤ key < 2³². */
const KEY = (uuid: string, seed: string) => `(uuid_hash_extended(${uuid}, ${seed}::bigint) & 4294967295)`;
const SUM_KEY = (filter = '') => `(coalesce(sum(key)${filter}, 0) % 4294967296)::float8`;
const QUARTER = (year: string, d: string) => `'${Number(year)}-Q' || extract(quarter from ${d})::int`;

export const MERGED_CTE = 'merged as (select distinct merged_into as id from persons where merged_into is not null)';

/**
 * The two kinds of identified person, counted by separate statements whose groups simply add up:
 * - `plain`: a person row neither merged into another nor the survivor of a merge (almost everyone).
 *   Its first case is the case `c` of that row with no earlier case (encounter date, creation, id);
 * - `merged`: the persons involved in a duplicate merge, each counted once under the surviving row
 *   `p` from the earliest case of any of its rows.
 * Both select from `c` (the first case) and `p` (the person after merges); with `period`, only
 * first cases in [$2, $3). Needs MERGED_CTE.
 */
export function firstCases(kind: 'plain' | 'merged', period: boolean): string {
  const inPeriod = period ? 'c.encounter_date >= $2::date and c.encounter_date < $3::date' : 'true';
  return kind === 'plain'
    ? `from cases c join persons p on p.id = c.person_id
          where ${inPeriod}
            and p.merged_into is null and p.id not in (select id from merged)
            and not exists (select 1 from cases e where e.person_id = c.person_id
                               and (e.encounter_date, e.created_at, e.id) < (c.encounter_date, c.created_at, c.id))`
    : `from (select distinct on (i.canon) i.canon, x.*
                   from (select m.id, m.merged_into as canon from persons m where m.merged_into is not null
                         union all select id, id from merged) i
                   join cases x on x.person_id = i.id
                  order by i.canon, x.encounter_date, x.created_at, x.id) c
           join persons p on p.id = c.canon
          where ${inPeriod}`;
}

/** The canonical person id of a firstCases row. */
const CANON = { plain: 'c.person_id', merged: 'c.canon' };

/**
 * The SQL of a breakdown dimension over a person's first case `c` and the person `p` after merges.
 * `exploitation` is the raw HTCDS forms and `agencyType` the holding agency's id (both mapped by
 * the caller; groups that map to the same value add up). Region, quarter and year are always part of
 * a row.
 */
const PERSON_DIMENSIONS: Partial<Record<TBreakdownDimension, string>> = {
  sex: 'p.sex',
  childAdult: "case when c.is_child then 'child' else 'adult' end",
  ageBand: 'p.age_band',
  citizenship: "coalesce(p.citizenships[1], 'unknown')",
  exploitation: 'c.exploitation_forms',
  agencyType: 'c.agency_id',
  crossBorder: "case when c.cross_border then 'cross_border' else 'internal' end",
};
const ALWAYS: readonly TBreakdownDimension[] = ['year', 'quarter', 'region'];

/** The dimensions of a breakdown that the database groups by (region and quarter always are). */
export function groupedDimensions(dims: readonly (TBreakdownDimension | undefined)[]): TBreakdownDimension[] {
  return [...new Set(dims.filter((d): d is TBreakdownDimension => !!d && !ALWAYS.includes(d)))].sort();
}

/**
 * One row per identified person (after duplicate merges) whose first case — the earliest by encounter
 * date, then creation — falls in the year: that case gives the period, region, holding agency, forms
 * of exploitation and internal/cross-border. Counted once per grouping set (each a list of dimensions
 * from groupedDimensions); `agencyType` comes back as the agency's id.
 */
export async function personCounts(
  q: Queryable,
  salt: string,
  year: string,
  sets: readonly (readonly TBreakdownDimension[])[],
): Promise<TCountRow[][]> {
  const dims = [...new Set(sets.flat())].sort();
  // quoted: the dimensions are camelCase (an unquoted alias would come back lower-cased)
  const col = (d: TBreakdownDimension) => `"d_${d}"`;
  const { from, to } = yearBounds(year);
  const grouping = dims.length ? `grouping(${dims.map(col).join(', ')})` : '0';
  const cols = dims.map((d) => `, ${col(d)}`).join('');
  const sql = (kind: 'plain' | 'merged') => `with ${MERGED_CTE},
     f as (
       select c.encounter_region as region, ${QUARTER(year, 'c.encounter_date')} as quarter,
              ${KEY(CANON[kind], '$1')} as key${dims.map((d) => `, ${PERSON_DIMENSIONS[d]} as ${col(d)}`).join('')}
         ${firstCases(kind, true)}
     ),
     fine as (select region, quarter${cols}, count(*) as n, sum(key) as key from f group by region, quarter${cols})
     select ${grouping} as g, region, quarter, sum(n)::int as n, ${SUM_KEY()} as key${cols}
       from fine
      group by grouping sets (${sets.map((s) => `(region, quarter${s.map((d) => `, ${col(d)}`).join('')})`).join(', ')})`;
  const params = [cellKeySeeds(salt).person, from, to];
  await analyticalSettings(q);
  // The plain persons of a period are read in person order from three indexes (merge joins over
  // cases_statistics_idx, cases_person_first_idx and persons_statistics_idx, index only): at 10⁶
  // cases 2–3× faster than the hash joins or index probes the planner picks by itself.
  const plain = await withMergeJoins(q, () => q.query<TCountRow & { g: number }>(sql('plain'), params));
  const rows = [...plain, ...(await q.query<TCountRow & { g: number }>(sql('merged'), params))];
  // grouping(): bit i (from the left) is set when dims[i] is not in the row's grouping set.
  const bits = (s: readonly TBreakdownDimension[]) =>
    dims.reduce((m, d, i) => (s.includes(d) ? m : m | (1 << (dims.length - 1 - i))), 0);
  return sets.map((s) => {
    const b = bits(s);
    return rows
      .filter((r) => r.g === b)
      .map(({ g: _g, ...r }) => {
        const out: Record<string, unknown> = { region: r.region, quarter: r.quarter, n: r.n, key: r.key };
        for (const d of s) out[d] = r[`d_${d}`] ?? null;
        return out as TCountRow;
      });
  });
}

/**
 * Services delivered in a year, by type: one record per person (after duplicate merges) and service
 * category with at least one service of that category delivered in the year (status `delivered`,
 * dated by its actual end). The record takes the quarter of the first such delivery and the region
 * of that service's case, so a year is the sum of its quarters and every record is one person. Its
 * cell key mixes the person's seeded hash with the category's (the same person under two types
 * rounds independently); `serviceType` is the catalogue category.
 */
export async function serviceCounts(q: Queryable, salt: string, year: string): Promise<TCountRow[]> {
  const { from, to } = yearBounds(year);
  await analyticalSettings(q);
  return q.query<TCountRow>(
    `with d as (
       select distinct on (coalesce(p.merged_into, p.id), s.category)
              coalesce(p.merged_into, p.id) as canon, s.category, s.actual_end, c.encounter_region as region
         from assistance_services s
         join cases c on c.id = s.case_id
         join persons p on p.id = c.person_id
        where s.status = 'delivered' and s.actual_end >= $2::date and s.actual_end < $3::date
        order by coalesce(p.merged_into, p.id), s.category, s.actual_end, s.created_at, s.id
     ),
     k as (
       select region, ${QUARTER(year, 'actual_end')} as quarter, category,
              ((uuid_hash_extended(canon, $1::bigint) # hashtextextended(category, $1::bigint)) & 4294967295) as key
         from d
     )
     select region, quarter, category as "serviceType", count(*)::int as n, ${SUM_KEY()} as key
       from k group by region, quarter, category`,
    [cellKeySeeds(salt).service, from, to],
  );
}

/** Counts of a set of records and of its flagged subsets, per region and quarter. */
export interface TFlagCounts<F extends string> {
  all: TCountRow[];
  flags: Record<F, TCountRow[]>;
  /** value → count per region and quarter (for medians of any scope). */
  histogram: { region: string; quarter: string; value: number; n: number }[];
}

export interface TIndicatorCounts {
  referrals: TFlagCounts<'accepted' | 'answered' | 'overdue'>;
  decisions: TFlagCounts<'positive' | 'timed'>;
  reflection: TFlagCounts<'compliant'>;
  proceedings: TFlagCounts<never>;
}

/** Local-time bounds of the year as timestamptz, from the date parameters $2, $3 in zone $4. */
const TS_RANGE = (col: string) =>
  `${col} >= ($2::date)::timestamp at time zone $4 and ${col} < ($3::date)::timestamp at time zone $4`;

/**
 * The indicators' records of a year, each source selecting case_id, quarter, its cell key, up to
 * three flags (f1–f3) and a value for medians (v):
 * - referrals sent in the year (local time): accepted, answered, overdue (answered after the
 *   deadline, or still unanswered past it); v = the answer time in whole hours;
 * - status decisions dated in the year: positive, timed; v = days from the case's first
 *   formal-identification referral;
 * - reflection periods starting in the year: compliant = at least minDays and no unjustified early end;
 * - cases whose first criminal proceeding was linked in the year (local time).
 */
const INDICATOR_SOURCES = (year: string) => ({
  referrals: {
    flags: ['accepted', 'answered', 'overdue'],
    sql: `select r.case_id, ${QUARTER(year, '(r.sent_at at time zone $4)')} as quarter, ${KEY('r.id', '$1')} as key,
                 (r.state in ('accepted', 'in_progress', 'completed') or (r.responded_at is not null and r.state <> 'declined')) as f1,
                 r.responded_at is not null as f2,
                 (coalesce(r.responded_at, case when r.state = 'sent' then now() end) > r.due_at) is true as f3,
                 round(extract(epoch from r.responded_at - r.sent_at) / 3600.0)::float8 as v
            from referrals r where ${TS_RANGE('r.sent_at')}`,
  },
  decisions: {
    flags: ['positive', 'timed'],
    sql: `select d.case_id, ${QUARTER(year, 'd.decided_on')} as quarter, ${KEY('d.id', '$6')} as key,
                 d.outcome in ('presumed_victim', 'victim') as f1, t.first is not null as f2, false as f3,
                 (d.decided_on - t.first)::float8 as v
            from status_decisions d
            left join lateral (select min(t.referred_at at time zone $4)::date as first
                                 from status_tracks t where t.case_id = d.case_id) t on true
           where d.decided_on >= $2::date and d.decided_on < $3::date`,
  },
  reflection: {
    flags: ['compliant'],
    sql: `select p.case_id, ${QUARTER(year, 'p.start_date')} as quarter, ${KEY('p.id', '$7')} as key,
                 (p.planned_end - p.start_date >= $5
                   and not (p.ended_on is not null and p.ended_on < p.planned_end
                            and (p.end_reason is null or p.end_reason not in ('public_order', 'improper_claim')))) as f1,
                 false as f2, false as f3, null::float8 as v
            from reflection_periods p where p.start_date >= $2::date and p.start_date < $3::date`,
  },
  proceedings: {
    flags: [],
    sql: `select x.case_id, ${QUARTER(year, '(x.created_at at time zone $4)')} as quarter, ${KEY('x.case_id', '$8')} as key,
                 false as f1, false as f2, false as f3, null::float8 as v
            from criminal_proceedings x
           where ${TS_RANGE('x.created_at')}
             and not exists (select 1 from criminal_proceedings y where y.case_id = x.case_id
                                and (y.created_at, y.id) < (x.created_at, x.id))`,
  },
});

/**
 * Every indicator's counts of a year in one statement: the four sources are stacked and joined to
 * their cases (for the region) once, counted per source, region and quarter (and value, for the
 * medians' histograms).
 */
export async function indicatorCounts(
  q: Queryable,
  salt: string,
  tz: string,
  minDays: number,
  year: string,
): Promise<TIndicatorCounts> {
  const { from, to } = yearBounds(year);
  const sources = INDICATOR_SOURCES(year);
  const names = Object.keys(sources) as (keyof TIndicatorCounts)[];
  await analyticalSettings(q);
  const rows = await q.query<{
    src: keyof TIndicatorCounts;
    region: string;
    quarter: string;
    g: number;
    v: number | null;
    n: number;
    key: number;
    n1: number;
    key1: number;
    n2: number;
    key2: number;
    n3: number;
    key3: number;
  }>(
    `with x as (${names.map((n) => `select '${n}' as src, s.* from (${sources[n].sql}) s`).join(' union all ')})
     select x.src, c.encounter_region as region, x.quarter, grouping(x.v) as g, x.v, count(*)::int as n, ${SUM_KEY()} as key,
            ${[1, 2, 3].map((i) => `count(*) filter (where f${i})::int as n${i}, ${SUM_KEY(` filter (where f${i})`)} as key${i}`).join(', ')}
       from x join cases c on c.id = x.case_id
      group by grouping sets ((x.src, c.encounter_region, x.quarter), (x.src, c.encounter_region, x.quarter, x.v))`,
    (() => {
      const seeds = cellKeySeeds(salt);
      return [seeds.referral, from, to, tz, minDays, seeds.decision, seeds.reflection, seeds.proceeding];
    })(),
  );
  const out = {} as Record<string, TFlagCounts<string>>;
  for (const name of names) {
    const mine = rows.filter((r) => r.src === name);
    const totals = mine.filter((r) => r.g === 1);
    const row = (r: (typeof mine)[number], n: number, key: number): TCountRow => ({
      region: r.region,
      quarter: r.quarter,
      n,
      key,
    });
    out[name] = {
      all: totals.map((r) => row(r, r.n, r.key)).filter((r) => r.n > 0),
      flags: Object.fromEntries(
        sources[name].flags.map((f, i) => [
          f,
          totals.map((r) => row(r, r[`n${i + 1}` as 'n1'], r[`key${i + 1}` as 'key1'])).filter((r) => r.n > 0),
        ]),
      ),
      histogram: mine
        .filter((r) => r.g === 0 && r.v !== null)
        .map((r) => ({ region: r.region, quarter: r.quarter, value: r.v!, n: r.n })),
    };
  }
  return out as unknown as TIndicatorCounts;
}

/**
 * The statistics data version in the caller's snapshot (see migration 0014): it changes whenever a
 * transaction that wrote a table the statistics read has committed.
 */
export async function dataVersion(q: Queryable): Promise<string> {
  const [row] = await q.query<{ v: string }>(
    'select (base + (select count(*) from statistics_changes))::text as v from statistics_version',
  );
  return row?.v ?? '0';
}

/**
 * Folds the recorded writers into the base count (the version is unchanged in every snapshot). One
 * compaction at a time; skipped when another transaction is compacting.
 */
export async function compactVersion(q: Queryable): Promise<void> {
  const [lock] = await q.query<{ ok: boolean }>('select pg_try_advisory_xact_lock(4242714) as ok');
  if (!lock?.ok) return;
  await q.query(
    `with d as (delete from statistics_changes returning 1)
     update statistics_version set base = base + (select count(*) from d)`,
  );
}
