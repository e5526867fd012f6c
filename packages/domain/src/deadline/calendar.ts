import { z } from 'zod';
import { ZIsoDate } from '../case/person.schemas.ts';

/**
 * A working-day calendar for one deployment: public holidays (days off on a weekday) and transferred
 * working days (a Saturday or Sunday the government made a working day). Holidays are data that an
 * administrator maintains per year (NRM.md section 8), never code.
 */
export const CALENDAR_DAY_KINDS = ['holiday', 'working_day'] as const;
export const ZCalendarDay = z.object({
  date: ZIsoDate,
  kind: z.enum(CALENDAR_DAY_KINDS),
  label: z.string().trim().min(1).max(100),
});
export type TCalendarDay = z.infer<typeof ZCalendarDay>;

/** A year of the calendar as the administrator edits it. */
export const ZCalendarYearInput = z
  .object({
    days: z.array(ZCalendarDay).max(200),
    version: z.number().int().min(0),
  })
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.days.forEach((d, i) => {
      if (seen.has(d.date)) ctx.addIssue({ code: 'custom', path: ['days', i, 'date'], message: 'duplicate_date' });
      seen.add(d.date);
    });
  });
export type TCalendarYearInput = z.infer<typeof ZCalendarYearInput>;

export const ZCalendarYear = z.object({
  year: z.number().int(),
  /** False while nobody has saved this year: `days` then shows the defaults the rules use. */
  configured: z.boolean(),
  days: z.array(ZCalendarDay),
  version: z.number().int(),
});
export type TCalendarYear = z.infer<typeof ZCalendarYear>;

/** What the working-day arithmetic reads: sets of ISO dates. */
export interface WorkingCalendar {
  holidays: ReadonlySet<string>;
  workingDays: ReadonlySet<string>;
}

export function toWorkingCalendar(days: readonly TCalendarDay[]): WorkingCalendar {
  return {
    holidays: new Set(days.filter((d) => d.kind === 'holiday').map((d) => d.date)),
    workingDays: new Set(days.filter((d) => d.kind === 'working_day').map((d) => d.date)),
  };
}

/** Day of the week of an ISO date, 0 = Sunday … 6 = Saturday (a calendar date has no time zone). */
export function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** The ISO date `n` calendar days after `date`. */
export function shiftDate(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** True on a working day: a transferred working day, or a Monday–Friday that is not a holiday. */
export function isWorkingDay(date: string, cal: WorkingCalendar): boolean {
  if (cal.workingDays.has(date)) return true;
  if (cal.holidays.has(date)) return false;
  const wd = weekday(date);
  return wd !== 0 && wd !== 6;
}

/**
 * Kazakhstan's fixed public holidays (NRM.md section 8). `religious` holidays are not moved when
 * they fall on a weekend; the others move the day off to the next working day.
 */
export const KZ_FIXED_HOLIDAYS: readonly { monthDay: string; label: string; religious: boolean }[] = [
  { monthDay: '01-01', label: 'New Year', religious: false },
  { monthDay: '01-02', label: 'New Year', religious: false },
  { monthDay: '01-07', label: 'Orthodox Christmas', religious: true },
  { monthDay: '03-08', label: "International Women's Day", religious: false },
  { monthDay: '03-21', label: 'Nauryz', religious: false },
  { monthDay: '03-22', label: 'Nauryz', religious: false },
  { monthDay: '03-23', label: 'Nauryz', religious: false },
  { monthDay: '05-01', label: 'Unity Day of the People of Kazakhstan', religious: false },
  { monthDay: '05-07', label: 'Defender of the Fatherland Day', religious: false },
  { monthDay: '05-09', label: 'Victory Day', religious: false },
  { monthDay: '07-06', label: 'Capital Day', religious: false },
  { monthDay: '08-30', label: 'Constitution Day', religious: false },
  { monthDay: '10-25', label: 'Republic Day', religious: false },
  { monthDay: '12-16', label: 'Independence Day', religious: false },
];

/**
 * The default calendar of a year, used until an administrator saves that year: the fixed holidays,
 * and for each non-religious one on a weekend a day off on the next working day. Kurban Ait (lunar)
 * and the government's transfers of working days are not derivable: the administrator adds them.
 */
export function defaultKzCalendar(year: number): TCalendarDay[] {
  const days: TCalendarDay[] = KZ_FIXED_HOLIDAYS.map((h) => ({
    date: `${year}-${h.monthDay}`,
    kind: 'holiday' as const,
    label: h.label,
  }));
  const taken = new Set(days.map((d) => d.date));
  for (const h of KZ_FIXED_HOLIDAYS) {
    const date = `${year}-${h.monthDay}`;
    const wd = weekday(date);
    if (h.religious || (wd !== 0 && wd !== 6)) continue;
    let next = shiftDate(date, 1);
    while (taken.has(next) || weekday(next) === 0 || weekday(next) === 6) next = shiftDate(next, 1);
    taken.add(next);
    days.push({ date: next, kind: 'holiday', label: `${h.label} (moved day off)` });
  }
  return days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
