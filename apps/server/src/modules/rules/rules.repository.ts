import {
  DEFAULT_REFERRAL_MATRIX,
  DEFAULT_RESPONSE_RULES,
  defaultKzCalendar,
  type TCalendarDay,
  type TCalendarYear,
  type TReferralMatrix,
  type TResponseRules,
  toWorkingCalendar,
  type WorkingCalendar,
  ZReferralMatrix,
  ZResponseRules,
} from '@opennrm/domain';
import type { z } from 'zod';
import type { Queryable } from '../../db/client.ts';

/** A versioned rule set stored in `settings`; version 0 means "never saved: the defaults apply". */
export interface Versioned<T> {
  value: T;
  version: number;
}

export async function readSetting<T>(
  q: Queryable,
  key: string,
  schema: z.ZodType<T>,
  defaults: T,
): Promise<Versioned<T>> {
  const [row] = await q.query<{ value: unknown; version: number }>(
    'select value, version from settings where key = $1',
    [key],
  );
  if (!row) return { value: defaults, version: 0 };
  return { value: schema.parse(row.value), version: row.version };
}

/** Saves a setting when `version` is current (0 = first save); false when stale. */
export async function writeSetting(q: Queryable, key: string, value: unknown, version: number, userId: string) {
  if (version === 0) {
    const rows = await q.query(
      'insert into settings (key, value, updated_by) values ($1, $2, $3) on conflict (key) do nothing returning key',
      [key, JSON.stringify(value), userId],
    );
    return rows.length === 1;
  }
  const rows = await q.query(
    `update settings set value = $2, version = version + 1, updated_at = now(), updated_by = $3
      where key = $1 and version = $4 returning key`,
    [key, JSON.stringify(value), userId, version],
  );
  return rows.length === 1;
}

export const getMatrix = (q: Queryable): Promise<Versioned<TReferralMatrix>> =>
  readSetting(q, 'referral_matrix', ZReferralMatrix, DEFAULT_REFERRAL_MATRIX);
export const saveMatrix = (q: Queryable, v: TReferralMatrix, version: number, userId: string) =>
  writeSetting(q, 'referral_matrix', v, version, userId);

export const getResponseRules = (q: Queryable): Promise<Versioned<TResponseRules>> =>
  readSetting(q, 'response_rules', ZResponseRules as unknown as z.ZodType<TResponseRules>, DEFAULT_RESPONSE_RULES);
export const saveResponseRules = (q: Queryable, v: TResponseRules, version: number, userId: string) =>
  writeSetting(q, 'response_rules', v, version, userId);

/** One year of the calendar: as saved by an administrator, or the defaults while nobody has. */
export async function getCalendarYear(q: Queryable, year: number): Promise<TCalendarYear> {
  const [y] = await q.query<{ version: number }>('select version from calendar_years where year = $1', [year]);
  if (!y) return { year, configured: false, days: defaultKzCalendar(year), version: 0 };
  const days = await q.query<TCalendarDay>(
    'select day::text as date, kind, label from calendar_days where year = $1 order by day',
    [year],
  );
  return { year, configured: true, days, version: y.version };
}

/** Replaces a year of the calendar; false when `version` is stale. */
export async function saveCalendarYear(
  q: Queryable,
  year: number,
  days: TCalendarDay[],
  version: number,
  userId: string,
): Promise<boolean> {
  if (version === 0) {
    const rows = await q.query(
      'insert into calendar_years (year, updated_by) values ($1, $2) on conflict (year) do nothing returning year',
      [year, userId],
    );
    if (!rows.length) return false;
  } else {
    const rows = await q.query(
      `update calendar_years set version = version + 1, updated_by = $2, updated_at = now()
        where year = $1 and version = $3 returning year`,
      [year, userId, version],
    );
    if (!rows.length) return false;
  }
  await q.query('delete from calendar_days where year = $1', [year]);
  if (days.length)
    await q.query(
      `insert into calendar_days (day, year, kind, label)
       select d.day::date, $1, d.kind, d.label from unnest($2::text[], $3::text[], $4::text[]) as d(day, kind, label)`,
      [year, days.map((d) => d.date), days.map((d) => d.kind), days.map((d) => d.label)],
    );
  return true;
}

/** The working calendar covering the given years (saved years as saved, others by default). */
export async function workingCalendar(q: Queryable, years: number[]): Promise<WorkingCalendar> {
  const all: TCalendarDay[] = [];
  for (const y of years) all.push(...(await getCalendarYear(q, y)).days);
  return toWorkingCalendar(all);
}
