import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  checkEnd,
  checkExtension,
  checkFinalTiming,
  daysBetween,
  htcdsDecisionOrg,
  htcdsStatus,
  MIN_REFLECTION_DAYS,
  reflectionApplies,
  reflectionEnd,
  reviewProblem,
  ZDecisionInput,
  ZReflectionDays,
} from './decision.rules.ts';

describe('reflection period', () => {
  it('never accepts fewer than 30 days', () => {
    expect(ZReflectionDays.safeParse(29).success).toBe(false);
    expect(ZReflectionDays.safeParse(30).success).toBe(true);
    expect(() => reflectionEnd('2026-01-01', 10)).toThrow();
    expect(reflectionEnd('2026-01-31', 30)).toBe('2026-03-02');
  });

  it('always lasts at least 30 days for any start and any accepted length (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.integer({ min: -1000, max: 1000 }),
        (d, days) => {
          const start = d.toISOString().slice(0, 10);
          const ok = ZReflectionDays.safeParse(days).success;
          if (!ok) {
            expect(() => reflectionEnd(start, days)).toThrow();
            return;
          }
          expect(daysBetween(start, reflectionEnd(start, days))).toBeGreaterThanOrEqual(MIN_REFLECTION_DAYS);
        },
      ),
    );
  });

  it('applies to foreign nationals, and to citizens only when configured', () => {
    expect(reflectionApplies(['UZ'], 'KZ', false)).toBe(true);
    expect(reflectionApplies([], 'KZ', false)).toBe(true);
    expect(reflectionApplies(['KZ'], 'KZ', false)).toBe(false);
    expect(reflectionApplies(['KZ', 'RU'], 'KZ', false)).toBe(false);
    expect(reflectionApplies(['KZ'], 'KZ', true)).toBe(true);
  });

  it('ends early only for public order or an improper claim', () => {
    const p = { start: '2026-01-01', plannedEnd: '2026-01-31' };
    expect(checkEnd(p, '2026-01-31', null)).toBeNull();
    expect(checkEnd(p, '2026-01-20', null)).toBe('early_end_reason_required');
    expect(checkEnd(p, '2026-01-20', 'cooperation_refused')).toBe('early_end_reason_required');
    expect(checkEnd(p, '2026-01-20', 'public_order')).toBeNull();
    expect(checkEnd(p, '2026-01-20', 'improper_claim')).toBeNull();
  });

  it('extends only forward', () => {
    expect(checkExtension('2026-01-31', '2026-02-28')).toBeNull();
    expect(checkExtension('2026-01-31', '2026-01-31')).toBe('not_after_current_end');
    expect(checkExtension('2026-01-31', '2026-01-15')).toBe('not_after_current_end');
  });
});

describe('decisions', () => {
  it('keeps the final decision after the reflection period unless the person asks', () => {
    expect(checkFinalTiming('2026-01-20', '2026-01-31', false)).toBe('final_before_reflection_end');
    expect(checkFinalTiming('2026-01-20', '2026-01-31', true)).toBeNull();
    expect(checkFinalTiming('2026-01-31', '2026-01-31', false)).toBeNull();
    expect(checkFinalTiming('2026-01-20', null, false)).toBeNull();
  });

  it('requires reasons and a legal basis, and nothing about police cooperation', () => {
    const base = {
      kind: 'preliminary',
      outcome: 'presumed_victim',
      reasons: 'Indicators of forced labour confirmed at interview',
      legalBasis: 'Law 110-VIII art. 12',
      decidedOn: '2026-11-30',
    };
    expect(ZDecisionInput.safeParse(base).success).toBe(true);
    expect(ZDecisionInput.safeParse({ ...base, reasons: '' }).success).toBe(false);
    expect(ZDecisionInput.safeParse({ ...base, outcome: 'victim' }).success).toBe(false);
    expect(Object.keys(ZDecisionInput.options[0].shape).some((k) => /cooperat|criminal|testimon/i.test(k))).toBe(false);
  });

  it('maps decisions to HTCDS status and deciding organisation', () => {
    expect(htcdsStatus([])).toBe('PossibleVictimOfTrafficking');
    expect(htcdsStatus([{ kind: 'preliminary', outcome: 'presumed_victim' }])).toBe('PossibleVictimOfTrafficking');
    expect(htcdsStatus([{ kind: 'preliminary', outcome: 'not_presumed_victim' }])).toBe('NotAVictimOfTrafficking');
    expect(
      htcdsStatus([
        { kind: 'preliminary', outcome: 'presumed_victim' },
        { kind: 'final', outcome: 'victim' },
      ]),
    ).toBe('ActualVictimOfTrafficking');
    expect(
      htcdsStatus([
        { kind: 'preliminary', outcome: 'presumed_victim' },
        { kind: 'final', outcome: 'not_victim' },
      ]),
    ).toBe('NotAVictimOfTrafficking');
    expect(htcdsDecisionOrg('police')).toBe('Police');
    expect(htcdsDecisionOrg('social_protection')).toBe('NonPoliceGovernmentalOrganization');
    expect(htcdsDecisionOrg('ngo')).toBe('NGO');
  });

  it('allows a review of a negative decision within 30 days by another decision maker', () => {
    const d = { outcome: 'not_presumed_victim' as const, decidedOn: '2026-01-01', decidedBy: 'u1' };
    expect(reviewProblem(d, '2026-01-31', 'u2')).toBeNull();
    expect(reviewProblem(d, '2026-02-01', 'u2')).toBe('window_closed');
    expect(reviewProblem(d, '2026-01-10', 'u1')).toBe('same_decision_maker');
    expect(reviewProblem({ ...d, outcome: 'presumed_victim' }, '2026-01-10', 'u2')).toBe('not_negative');
  });

  it('adds calendar days across month and leap-year ends', () => {
    expect(addCalendarDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addCalendarDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});
