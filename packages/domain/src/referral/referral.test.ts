import { describe, expect, it } from 'vitest';
import { type ConsentFact, consentPurposeFor, hasPurposeConsent, scopeBeyondConsent } from '../consent/consent.ts';
import {
  DEFAULT_REFERRAL_MATRIX,
  matrixAllows,
  nextReferralState,
  REFERRAL_ACTIONS,
  REFERRAL_STATES,
  REFERRAL_TRANSITIONS,
} from './referral.ts';

describe('the referral state machine', () => {
  it('allows exactly the issue 4 transitions', () => {
    const allowed: string[] = [];
    for (const s of REFERRAL_STATES)
      for (const a of REFERRAL_ACTIONS) {
        const to = nextReferralState(s, a);
        if (to) allowed.push(`${s} -${a}-> ${to}`);
      }
    expect(allowed.sort()).toEqual(
      [
        'sent -accept-> accepted',
        'sent -decline-> declined',
        'accepted -start-> in_progress',
        'in_progress -complete-> completed',
        'sent -cancel-> cancelled',
        'accepted -cancel-> cancelled',
        'sent -expire-> expired',
        'sent -withdraw_consent-> consent_withdrawn',
        'accepted -withdraw_consent-> consent_withdrawn',
        'in_progress -withdraw_consent-> consent_withdrawn',
        'completed -withdraw_consent-> consent_withdrawn',
      ].sort(),
    );
  });

  it('gives each action to one party', () => {
    expect(REFERRAL_TRANSITIONS.accept.by).toBe('receiver');
    expect(REFERRAL_TRANSITIONS.cancel.by).toBe('sender');
    expect(REFERRAL_TRANSITIONS.expire.by).toBe('system');
  });
});

describe('the default NRM matrix', () => {
  it('lets frontline actors refer for identification to the identifying bodies and for services to providers', () => {
    expect(matrixAllows(DEFAULT_REFERRAL_MATRIX, 'ngo', 'police', 'formal_identification')).toBe(true);
    expect(matrixAllows(DEFAULT_REFERRAL_MATRIX, 'health', 'social_protection', 'formal_identification')).toBe(true);
    expect(matrixAllows(DEFAULT_REFERRAL_MATRIX, 'police', 'ngo', 'shelter')).toBe(true);
    expect(matrixAllows(DEFAULT_REFERRAL_MATRIX, 'ngo', 'health', 'medical')).toBe(true);
    expect(matrixAllows(DEFAULT_REFERRAL_MATRIX, 'ngo', 'health', 'shelter')).toBe(false);
    expect(matrixAllows(DEFAULT_REFERRAL_MATRIX, 'ngo', 'ngo', 'formal_identification')).toBe(false);
  });

  it('never lets the coordinator or oversight refer, nor refers to them', () => {
    for (const r of DEFAULT_REFERRAL_MATRIX.rules) {
      expect(['national_coordinator', 'oversight']).not.toContain(r.from);
      expect(['national_coordinator', 'oversight']).not.toContain(r.to);
    }
  });
});

describe('consent bounds referrals', () => {
  const police = { id: 'p1', type: 'police' };
  const consents: ConsentFact[] = [
    {
      purpose: 'referral_identification',
      status: 'given',
      recipientAgencyId: null,
      recipientAgencyType: null,
      scope: [],
    },
    {
      purpose: 'sharing',
      status: 'given',
      recipientAgencyId: null,
      recipientAgencyType: 'police',
      scope: ['identity'],
    },
    { purpose: 'sharing', status: 'withdrawn', recipientAgencyId: 'p1', recipientAgencyType: null, scope: ['contact'] },
    { purpose: 'sharing', status: 'given', recipientAgencyId: 'p1', recipientAgencyType: null, scope: ['narrative'] },
  ];

  it('needs a valid consent (or a child "not required" note) for the purpose', () => {
    expect(hasPurposeConsent(consents, consentPurposeFor('formal_identification'))).toBe(true);
    expect(hasPurposeConsent(consents, consentPurposeFor('shelter'))).toBe(false);
    const child: ConsentFact[] = [
      { purpose: 'assistance', status: 'not_required', recipientAgencyId: null, recipientAgencyType: null, scope: [] },
    ];
    expect(hasPurposeConsent(child, 'assistance')).toBe(true);
  });

  it('joins sharing consents by agency and by type, ignoring withdrawn ones', () => {
    expect(scopeBeyondConsent(['identity', 'narrative'], consents, police)).toEqual([]);
    expect(scopeBeyondConsent(['identity', 'contact', 'medical'], consents, police)).toEqual(['contact', 'medical']);
    expect(scopeBeyondConsent(['identity'], consents, { id: 'x', type: 'ngo' })).toEqual(['identity']);
  });
});
