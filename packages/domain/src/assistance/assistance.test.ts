import { describe, expect, it } from 'vitest';
import {
  bindingRows,
  canMoveService,
  capacityBucket,
  followUpDates,
  HTCDS_SUPPORT_TYPES,
  placementCheck,
  planProgress,
  returnProblem,
  SERVICE_CATALOGUE,
  serviceStatusForReferral,
  sniffType,
  ZNeedsAssessmentInput,
} from './assistance.ts';

describe('service catalogue', () => {
  it('maps every service to an HTCDS support plan type and covers every type', () => {
    const used = new Set(Object.values(SERVICE_CATALOGUE).map((s) => s.htcds));
    for (const t of HTCDS_SUPPORT_TYPES) expect(used.has(t)).toBe(true);
  });
  it('has nothing about cooperation with the police (art. 12(6))', () => {
    expect(JSON.stringify(SERVICE_CATALOGUE)).not.toMatch(/cooperat|witness|police/i);
    expect(Object.keys(ZNeedsAssessmentInput.shape).join()).not.toMatch(/cooperat|witness/i);
  });
});

describe('services', () => {
  it('moves only forward; a referred service follows its referral', () => {
    expect(canMoveService('planned', 'delivered')).toBe(true);
    expect(canMoveService('delivered', 'planned')).toBe(false);
    expect(canMoveService('requested', 'delivered')).toBe(false);
    expect(serviceStatusForReferral('completed')).toBe('delivered');
    expect(serviceStatusForReferral('accepted')).toBe('in_progress');
    expect(serviceStatusForReferral('expired')).toBe('declined');
    expect(serviceStatusForReferral('sent')).toBeNull();
  });
  it('progress counts delivered out of services not cancelled or declined', () => {
    expect(
      planProgress([
        { status: 'delivered' },
        { status: 'planned' },
        { status: 'cancelled' },
        { status: 'in_progress' },
      ]),
    ).toEqual({ total: 3, delivered: 1, open: 2, percent: 33 });
    expect(planProgress([]).percent).toBe(0);
  });
});

describe('capacity', () => {
  const rows = [
    { sex: 'female', ageGroup: 'adult', places: 2, occupied: 2 },
    { sex: 'any', ageGroup: 'child', places: 1, occupied: 0 },
    { sex: 'any', ageGroup: 'any', places: 10, occupied: 3 },
  ] as const;
  it('binds the rows of the person`s sex and age group', () => {
    const b = capacityBucket('Feminine', false);
    expect(bindingRows(rows, b).map((r) => r.places)).toEqual([2, 10]);
    expect(bindingRows(rows, capacityBucket('Masculine', true)).map((r) => r.places)).toEqual([1, 10]);
  });
  it('refuses a placement above capacity unless a reason is given', () => {
    const full = bindingRows(rows, capacityBucket('Feminine', false));
    expect(placementCheck(full, null)).toBe('refused');
    expect(placementCheck(full, '  ')).toBe('refused');
    expect(placementCheck(full, 'Night arrival, no other shelter in the region')).toBe('override');
    expect(placementCheck(bindingRows(rows, capacityBucket('Masculine', true)), null)).toBe('ok');
  });
});

describe('return (art. 16)', () => {
  const base = { forChild: false, voluntary: true, riskAssessed: true, inChildsBestInterests: null };
  it('needs a risk assessment', () => {
    expect(returnProblem({ ...base, riskAssessed: false })).toBe('risk_assessment_required');
    expect(returnProblem(base)).toBeNull();
  });
  it('never returns a child unless the assessment finds it in the child`s best interests (16(7))', () => {
    expect(returnProblem({ ...base, forChild: true, inChildsBestInterests: false })).toBe(
      'child_return_not_in_best_interests',
    );
    expect(returnProblem({ ...base, forChild: true, inChildsBestInterests: null })).toBe(
      'child_return_not_in_best_interests',
    );
    expect(returnProblem({ ...base, forChild: true, inChildsBestInterests: true })).toBeNull();
  });
  it('follows up at 1, 3, 6 and 12 months, clamped to the month end', () => {
    expect(followUpDates('2026-01-31')).toEqual([
      { month: 1, dueOn: '2026-02-28' },
      { month: 3, dueOn: '2026-04-30' },
      { month: 6, dueOn: '2026-07-31' },
      { month: 12, dueOn: '2027-01-31' },
    ]);
    expect(followUpDates('2026-11-15')[1]).toEqual({ month: 3, dueOn: '2027-02-15' });
  });
});

describe('attachments by content', () => {
  const b = (...x: number[]) => new Uint8Array(x);
  it('knows PDF, PNG, JPEG and plain text by their bytes', () => {
    expect(sniffType(new TextEncoder().encode('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffType(b(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png');
    expect(sniffType(b(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(sniffType(new TextEncoder().encode('Справка\r\nline 2\t'))).toBe('text/plain');
  });
  it('refuses anything else', () => {
    expect(sniffType(b(0x4d, 0x5a, 0x90, 0))).toBeNull(); // MZ executable
    expect(sniffType(b(0x50, 0x4b, 0x03, 0x04))).toBeNull(); // zip
    expect(sniffType(b(0xc3, 0x28))).toBeNull(); // invalid UTF-8
    expect(sniffType(b())).toBeNull();
  });
});
