import { describe, expect, it } from 'vitest';
import { ROLES } from '../access/roles.ts';
import { AGENCY_TYPES, KZ_REGIONS } from '../agency/agency.ts';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES } from '../audit/audit.events.ts';
import { ERROR_CODES } from '../common/errors.ts';
import { NOTIFICATION_KINDS } from '../notification/notification.ts';
import { REFERRAL_PURPOSES } from '../referral/referral.ts';
import { LOCALES } from '../common/locale.ts';
import { CATALOGUES, flattenCatalogue, hasTranslation, translate } from './index.ts';

// Key parity between en/ru/kk (nothing missing or empty) is proven by apps/web/src/i18n/catalogue.test.ts.
// This test proves that every code the domain defines, and the server reports, reads well in every locale.

/** Field-error codes the server's error mapper emits: zod issue codes, `required`, and service rule codes. */
const VALIDATION_CODES = [
  'required',
  'invalid_type',
  'too_small',
  'too_big',
  'invalid_format',
  'invalid_value',
  'unrecognized_keys',
  'invalid_union',
  'not_multiple_of',
  'custom',
  'role_not_assignable',
  'decision_maker_needs_competent_authority',
  // Referral and consent (issue 4).
  'recipient_required',
  'recipient_only_for_sharing',
  'guardian_must_be_informed',
  'not_required_only_for_children',
  'consent_exists',
  'consent_missing',
  'scope_beyond_consent',
  'not_competent_authority',
  'referral_not_allowed',
  'service_not_offered',
  'same_agency',
  'agency_inactive',
  'duplicate_date',
  'expire_before_due',
  'date_outside_year',
  // Victim status (issue 5).
  'future_date',
  'final_before_reflection_end',
  'not_after_current_end',
  'early_end_reason_required',
  'window_closed',
  'not_early',
  'article_unknown',
];

const DOMAIN_KEYS = [
  ...ERROR_CODES.map((c) => `errors.${c}`),
  ...AUDIT_ACTIONS.map((a) => `auditActions.${a}`),
  ...AUDIT_OUTCOMES.map((o) => `auditOutcomes.${o}`),
  ...ROLES.map((r) => `roles.${r}`),
  ...AGENCY_TYPES.map((t) => `agencyTypes.${t}`),
  ...KZ_REGIONS.map((r) => `regions.${r}`),
  ...VALIDATION_CODES.map((c) => `validation.${c}`),
  ...REFERRAL_PURPOSES.map((p) => `referralPurposes.${p}`),
  ...NOTIFICATION_KINDS.map((k) => `notifications.${k}`),
];

describe('domain translations', () => {
  for (const locale of LOCALES) {
    it(`${locale} translates every error code, audit action, role, agency type, region and field-error code`, () => {
      const flat = flattenCatalogue(CATALOGUES[locale]);
      const missing = DOMAIN_KEYS.filter((k) => !hasTranslation(locale, k) || !flat[k]?.trim());
      expect(missing).toEqual([]);
    });
  }

  it('has a distinct Russian and Kazakh text for every error code (not an English copy)', () => {
    for (const code of ERROR_CODES) {
      const en = translate('en', `errors.${code}`);
      expect(translate('ru', `errors.${code}`), code).not.toBe(en);
      expect(translate('kk', `errors.${code}`), code).not.toBe(en);
    }
  });

  it('interpolates placeholders and falls back to English, then to the key', () => {
    expect(translate('en', 'errors.auth.locked', { until: '12:00' })).toContain('12:00');
    expect(translate('kk', 'no.such.key')).toBe('no.such.key');
  });
});
