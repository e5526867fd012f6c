import { describe, expect, it } from 'vitest';
import { defaultKzCalendar, isWorkingDay, toWorkingCalendar } from './calendar.ts';
import {
  addDuration,
  DEFAULT_RESPONSE_RULES,
  localDate,
  nthWorkingDayAfter,
  referralDeadlines,
  startOfLocalDay,
  yearsSpanned,
  zoneOffsetMinutes,
  ZResponseRules,
} from './deadline.ts';

const TZ = 'Asia/Almaty';
const cal2026 = toWorkingCalendar(defaultKzCalendar(2026));
const none = toWorkingCalendar([]);
const at = (iso: string) => new Date(iso);

describe('the time zone', () => {
  it('Node ICU puts Asia/Almaty on UTC+5 since 1 March 2024 (UTC+6 before); Etc/GMT-5 is the fixed fallback', () => {
    // If this fails, the runtime's tzdata predates 2024a: configure OPENNRM_TIME_ZONE=Etc/GMT-5 (docs/decisions/0005).
    expect(zoneOffsetMinutes(at('2026-06-01T00:00:00Z'), TZ)).toBe(300);
    expect(zoneOffsetMinutes(at('2024-03-01T12:00:00Z'), TZ)).toBe(300);
    expect(zoneOffsetMinutes(at('2024-01-15T12:00:00Z'), TZ)).toBe(360);
    expect(zoneOffsetMinutes(at('2026-06-01T00:00:00Z'), 'Etc/GMT-5')).toBe(300);
  });

  it('puts the local day boundary at 19:00 UTC', () => {
    expect(localDate(at('2026-12-03T18:59:59Z'), TZ)).toBe('2026-12-03');
    expect(localDate(at('2026-12-03T19:00:00Z'), TZ)).toBe('2026-12-04');
    expect(startOfLocalDay('2026-12-04', TZ).toISOString()).toBe('2026-12-03T19:00:00.000Z');
    expect(startOfLocalDay('2026-12-04', 'Etc/GMT-5').toISOString()).toBe('2026-12-03T19:00:00.000Z');
  });
});

describe('the Kazakhstan default calendar', () => {
  it('has the fixed holidays and moves a weekend holiday (not a religious one) to the next working day', () => {
    const days = defaultKzCalendar(2026).map((d) => d.date);
    for (const d of ['2026-01-01', '2026-01-02', '2026-01-07', '2026-03-08', '2026-03-21', '2026-03-22', '2026-03-23'])
      expect(days).toContain(d);
    // 8 March 2026 is a Sunday → Monday 9 March off; 21–22 March (Sat/Sun) → 24 and 25 March off.
    expect(days).toContain('2026-03-09');
    expect(days).toContain('2026-03-24');
    expect(days).toContain('2026-03-25');
    // 7 January 2029 is a Sunday, but Orthodox Christmas is religious: no moved day off.
    const y2029 = defaultKzCalendar(2029).map((d) => d.date);
    expect(y2029).toContain('2029-01-07');
    expect(y2029).not.toContain('2029-01-08');
  });

  it('treats weekends, holidays and transferred working days correctly', () => {
    expect(isWorkingDay('2026-12-05', cal2026)).toBe(false); // Saturday
    expect(isWorkingDay('2026-12-16', cal2026)).toBe(false); // Independence Day, Wednesday
    expect(isWorkingDay('2026-12-15', cal2026)).toBe(true);
    const transferred = toWorkingCalendar([{ date: '2026-12-05', kind: 'working_day', label: 'transferred' }]);
    expect(isWorkingDay('2026-12-05', transferred)).toBe(true);
  });
});

describe('working-day deadlines', () => {
  it('counts from the day after sending, skipping weekends', () => {
    expect(nthWorkingDayAfter('2026-12-04', 1, none)).toBe('2026-12-07'); // Friday → Monday
    expect(nthWorkingDayAfter('2026-12-05', 1, none)).toBe('2026-12-07'); // Saturday → Monday
    expect(nthWorkingDayAfter('2026-12-02', 3, none)).toBe('2026-12-07'); // Wed → Thu, Fri, Mon
  });

  it('skips holidays (Independence Day)', () => {
    // Tuesday 15 Dec + 1 working day: Wednesday 16 is a holiday → Thursday 17.
    expect(nthWorkingDayAfter('2026-12-15', 1, cal2026)).toBe('2026-12-17');
    // Nauryz 2026: 23 (Mon) and the moved days 24, 25 are off; Friday 20 + 1 → Thursday 26.
    expect(nthWorkingDayAfter('2026-03-20', 1, cal2026)).toBe('2026-03-26');
  });

  it('an urgent referral sent on Friday afternoon is due at the end of Monday, local time', () => {
    const due = addDuration(at('2026-12-04T10:00:00Z'), { amount: 1, unit: 'working_days' }, none, TZ);
    expect(due.toISOString()).toBe('2026-12-07T19:00:00.000Z'); // Tuesday 00:00 in Almaty
  });

  it('uses the local date, not the UTC date, at the day boundary', () => {
    // 18:59Z Thursday is 23:59 Thursday in Almaty: 1 working day → end of Friday.
    expect(addDuration(at('2026-12-03T18:59:00Z'), { amount: 1, unit: 'working_days' }, none, TZ).toISOString()).toBe(
      '2026-12-04T19:00:00.000Z',
    );
    // 19:00Z Thursday is already 00:00 Friday in Almaty: 1 working day → end of Monday.
    expect(addDuration(at('2026-12-03T19:00:00Z'), { amount: 1, unit: 'working_days' }, none, TZ).toISOString()).toBe(
      '2026-12-07T19:00:00.000Z',
    );
  });

  it('an emergency counts clock hours, weekends included', () => {
    const { dueAt, expiresAt } = referralDeadlines(
      at('2026-12-05T20:00:00Z'),
      'emergency',
      DEFAULT_RESPONSE_RULES,
      none,
      TZ,
    );
    expect(dueAt.toISOString()).toBe('2026-12-06T00:00:00.000Z');
    expect(expiresAt.toISOString()).toBe('2026-12-06T20:00:00.000Z');
  });

  it('routine: 3 working days across a year end with the New Year holidays', () => {
    const cal = toWorkingCalendar([...defaultKzCalendar(2026), ...defaultKzCalendar(2027)]);
    // Wed 30 Dec 2026 → Thu 31 (1); Fri 1 Jan holiday; Sat 2 Jan holiday moved to Mon 4 Jan; Tue 5 (2), Wed 6 (3).
    const { dueAt } = referralDeadlines(at('2026-12-30T05:00:00Z'), 'routine', DEFAULT_RESPONSE_RULES, cal, TZ);
    expect(dueAt.toISOString()).toBe('2027-01-06T19:00:00.000Z');
    expect(yearsSpanned(at('2026-12-30T05:00:00Z'), TZ)).toEqual([2026, 2027]);
  });

  it('refuses rules whose expiry comes before the deadline', () => {
    const bad = {
      ...DEFAULT_RESPONSE_RULES,
      routine: { due: { amount: 5, unit: 'working_days' }, expire: { amount: 2, unit: 'working_days' } },
    };
    expect(ZResponseRules.safeParse(bad).success).toBe(false);
    expect(ZResponseRules.safeParse(DEFAULT_RESPONSE_RULES).success).toBe(true);
  });
});
