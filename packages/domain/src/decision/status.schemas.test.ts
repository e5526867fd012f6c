import { describe, expect, it } from 'vitest';
import { defaultKzCalendar, toWorkingCalendar } from '../deadline/calendar.ts';
import { DEFAULT_STATUS_RULES, preliminaryDueAt, protectionStatus, ZStatusRules } from './status.schemas.ts';

const TZ = 'Asia/Almaty';
const cal = toWorkingCalendar(defaultKzCalendar(2026));
const due = (iso: string, days = 5) =>
  preliminaryDueAt(new Date(iso), { preliminaryWorkingDays: days }, cal, TZ).toISOString();

describe('the preliminary decision target (5 working days of the identification referral)', () => {
  it('counts working days from the day after the referral and ends at local midnight', () => {
    // Monday 7 Dec 2026 → Tue, Wed, Thu, Fri, Mon 14 → due at 00:00 local on Tuesday 15 (19:00 UTC on the 14th).
    expect(due('2026-12-07T05:00:00Z')).toBe('2026-12-14T19:00:00.000Z');
  });

  it('skips weekends: a referral on Saturday counts from Monday', () => {
    // Saturday 5 Dec → Mon 7 … Fri 11 → due at the end of Friday 11.
    expect(due('2026-12-05T06:00:00Z')).toBe('2026-12-11T19:00:00.000Z');
  });

  it('skips holidays (Independence Day, Nauryz with its moved days off)', () => {
    // Friday 11 Dec → Mon 14, Tue 15, (Wed 16 holiday), Thu 17, Fri 18, Mon 21.
    expect(due('2026-12-11T04:00:00Z')).toBe('2026-12-21T19:00:00.000Z');
    // Friday 20 Mar → (23, 24, 25 off) Thu 26, Fri 27, Mon 30, Tue 31, Wed 1 Apr.
    expect(due('2026-03-20T04:00:00Z')).toBe('2026-04-01T19:00:00.000Z');
  });

  it('uses the local (UTC+5) date at the day boundary, not the UTC date', () => {
    // 18:59 UTC on Thursday 3 Dec is still Thursday in Almaty: Fri 4 … Thu 10.
    expect(due('2026-12-03T18:59:00Z')).toBe('2026-12-10T19:00:00.000Z');
    // 19:00 UTC on Thursday 3 Dec is already Friday 4 Dec in Almaty: Mon 7 … Fri 11.
    expect(due('2026-12-03T19:00:00Z')).toBe('2026-12-11T19:00:00.000Z');
  });

  it('follows the configured number of working days', () => {
    expect(due('2026-12-07T05:00:00Z', 1)).toBe('2026-12-08T19:00:00.000Z');
  });
});

describe('status rules (data)', () => {
  it('defaults to 5 working days, 30 days, reminders 7 and 1 day before', () => {
    expect(ZStatusRules.parse(DEFAULT_STATUS_RULES)).toEqual(DEFAULT_STATUS_RULES);
    expect(DEFAULT_STATUS_RULES.preliminaryWorkingDays).toBe(5);
    expect(DEFAULT_STATUS_RULES.reflectionReminderDays).toEqual([7, 1]);
  });

  it('never accepts a reflection period below 30 days', () => {
    expect(ZStatusRules.safeParse({ ...DEFAULT_STATUS_RULES, reflectionDays: 29 }).success).toBe(false);
    expect(ZStatusRules.safeParse({ ...DEFAULT_STATUS_RULES, reflectionDays: 30 }).success).toBe(true);
  });
});

describe('protection from removal', () => {
  const presumed = [{ kind: 'preliminary' as const, outcome: 'presumed_victim' as const }];
  const period = { startDate: '2026-12-01', plannedEnd: '2026-12-31', endedOn: null };

  it('runs with the period, inclusive of its planned end', () => {
    expect(protectionStatus(presumed, period, [], '2026-12-01')).toEqual({ protected: true, until: '2026-12-31' });
    expect(protectionStatus(presumed, period, [], '2026-12-31')).toEqual({ protected: true, until: '2026-12-31' });
  });

  it('continues without a date until the final decision (art. 10(2)), ends on an early end or a negative decision', () => {
    expect(protectionStatus(presumed, period, [], '2027-01-05')).toEqual({ protected: true, until: null });
    expect(protectionStatus(presumed, { ...period, endedOn: '2026-12-10' }, [], '2026-12-11')).toEqual({
      protected: false,
      until: null,
    });
    expect(protectionStatus([...presumed, { kind: 'final', outcome: 'not_victim' }], period, [], '2027-01-05')).toEqual(
      { protected: false, until: null },
    );
  });

  it('after a positive final decision, follows a valid residence permit', () => {
    const victim = [...presumed, { kind: 'final' as const, outcome: 'victim' as const }];
    expect(protectionStatus(victim, period, [], '2027-02-01').protected).toBe(false);
    expect(protectionStatus(victim, period, [{ event: 'granted', validUntil: '2027-12-31' }], '2027-02-01')).toEqual({
      protected: true,
      until: '2027-12-31',
    });
  });
});
