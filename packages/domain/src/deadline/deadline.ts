import { z } from 'zod';
import { shiftDate, isWorkingDay, type WorkingCalendar } from './calendar.ts';
import { zoneFormat } from '../common/time.ts';

/** Referral urgencies, most urgent first. */
export const URGENCIES = ['emergency', 'urgent', 'routine'] as const;
export const ZUrgency = z.enum(URGENCIES);
export type TUrgency = z.infer<typeof ZUrgency>;

/** A span of time: clock hours, or whole working days in the configured time zone. */
export const ZDuration = z.object({
  amount: z.number().int().min(1).max(365),
  unit: z.enum(['hours', 'working_days']),
});
export type TDuration = z.infer<typeof ZDuration>;

/** When a referral must be answered, and when an unanswered one expires, per urgency. */
export const ZResponseRules = z
  .record(ZUrgency, z.object({ due: ZDuration, expire: ZDuration }))
  .superRefine((rules, ctx) => {
    for (const u of URGENCIES) {
      const r = rules[u];
      if (!r) continue;
      if (approxHours(r.expire) < approxHours(r.due))
        ctx.addIssue({ code: 'custom', path: [u, 'expire'], message: 'expire_before_due' });
    }
  });
export type TResponseRules = Record<TUrgency, { due: TDuration; expire: TDuration }>;

function approxHours(d: TDuration): number {
  return d.unit === 'hours' ? d.amount : d.amount * 24;
}

/**
 * Defaults (issue 4): an emergency within 4 hours, urgent within 1 working day, routine within 3;
 * unanswered referrals expire after 24 hours, 3 and 10 working days. Data, editable by an administrator.
 */
export const DEFAULT_RESPONSE_RULES: TResponseRules = {
  emergency: { due: { amount: 4, unit: 'hours' }, expire: { amount: 24, unit: 'hours' } },
  urgent: { due: { amount: 1, unit: 'working_days' }, expire: { amount: 3, unit: 'working_days' } },
  routine: { due: { amount: 3, unit: 'working_days' }, expire: { amount: 10, unit: 'working_days' } },
};

/** The UTC offset (minutes east of UTC) of a time zone at an instant, as the runtime's ICU knows it. */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  const parts = zoneFormat('en-US', timeZone, {
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  return new Date(instant.getTime() + zoneOffsetMinutes(instant, timeZone) * 60_000).toISOString().slice(0, 10);
}

/** The instant at which the given local date begins (00:00) in the time zone. */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const naive = Date.parse(`${date}T00:00:00Z`);
  // Two rounds settle the offset even when the guess straddles an offset change.
  let guess = naive - zoneOffsetMinutes(new Date(naive), timeZone) * 60_000;
  guess = naive - zoneOffsetMinutes(new Date(guess), timeZone) * 60_000;
  return new Date(guess);
}

/**
 * The working date that is the `n`-th working day after the local date of `from` (n ≥ 1). The day
 * of sending never counts, working or not.
 */
export function nthWorkingDayAfter(fromDate: string, n: number, cal: WorkingCalendar): string {
  let date = fromDate;
  let left = n;
  while (left > 0) {
    date = shiftDate(date, 1);
    if (isWorkingDay(date, cal)) left -= 1;
  }
  return date;
}

/**
 * Adds a duration to an instant. Hours are clock hours (an emergency does not wait for Monday).
 * Working days end at the close of the n-th working day after the day `from` falls on in
 * `timeZone`: the deadline is the start (00:00 local) of the next calendar day. Sent on Friday
 * 15:00 with 1 working day → due at the end of Monday.
 */
export function addDuration(from: Date, d: TDuration, cal: WorkingCalendar, timeZone: string): Date {
  if (d.unit === 'hours') return new Date(from.getTime() + d.amount * 3_600_000);
  const last = nthWorkingDayAfter(localDate(from, timeZone), d.amount, cal);
  return startOfLocalDay(shiftDate(last, 1), timeZone);
}

/** Response deadline and expiry of a referral sent at `sentAt` with the given urgency. */
export function referralDeadlines(
  sentAt: Date,
  urgency: TUrgency,
  rules: TResponseRules,
  cal: WorkingCalendar,
  timeZone: string,
): { dueAt: Date; expiresAt: Date } {
  const r = rules[urgency];
  return { dueAt: addDuration(sentAt, r.due, cal, timeZone), expiresAt: addDuration(sentAt, r.expire, cal, timeZone) };
}

/** The calendar years a deadline computed from `from` may reach (the calendar must cover them). */
export function yearsSpanned(from: Date, timeZone: string, spanDays = 60): number[] {
  const first = Number(localDate(from, timeZone).slice(0, 4));
  const last = Number(localDate(new Date(from.getTime() + spanDays * 86_400_000), timeZone).slice(0, 4));
  const out: number[] = [];
  for (let y = first; y <= last; y++) out.push(y);
  return out;
}
