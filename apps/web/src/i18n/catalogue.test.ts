import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AGENCY_TYPES,
  CALENDAR_DAY_KINDS,
  CONSENT_PURPOSES,
  CONSENT_STATUSES,
  DECLINE_REASONS,
  EMERGENCY_REVIEW_OUTCOMES,
  REFERRAL_PURPOSES,
  REFERRAL_STATES,
  SHARE_SCOPES,
  URGENCIES,
  AUDIT_ACTIONS,
  AUDIT_OUTCOMES,
  CASE_STAGES,
  CONTACT_TYPES,
  DOCUMENT_TYPES,
  EDUCATION_LEVELS,
  EXPLOITATION_FORMS,
  IDENTIFICATION_METHODS,
  INDICATOR_STRENGTHS,
  flattenCatalogue,
  KZ_REGIONS,
  LABOUR_INDUSTRIES,
  LOCALES,
  MARITAL_STATUS,
  MEANS_OF_CONTROL,
  NAME_KINDS,
  NAME_SCRIPTS,
  PERMISSIONS,
  RECRUITMENT_APPS,
  RECRUITMENT_METHODS,
  RELATIONSHIPS_TO_RECRUITER,
  ROLES,
  SCREENING_OUTCOMES,
  SCREENING_RECOMMENDATIONS,
  SEX_EXPLOITATION_TYPES,
  SEX_GENDER,
  type TLocale,
  VULNERABILITIES,
} from '@opennrm/domain';
import en from '@opennrm/domain/i18n/en.json' with { type: 'json' };
import kk from '@opennrm/domain/i18n/kk.json' with { type: 'json' };
import ru from '@opennrm/domain/i18n/ru.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';

const flat: Record<TLocale, Record<string, string>> = {
  en: flattenCatalogue(en),
  ru: flattenCatalogue(ru),
  kk: flattenCatalogue(kk),
};

const SRC = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Keys the web app uses: literal t('…') calls, and key-like literals of the web's own sections (e.g. nav tables). */
function usedKeys(): { key: string; file: string }[] {
  const out: { key: string; file: string }[] = [];
  const call = /\bt\(\s*(['"`])([^'"`$]+)\1/g;
  const keyLike =
    /(['"])((?:nav|common|signIn|home|account|admin|audit|notFound|cases|intake|screening|referrals|consent|emergency|coordination|rules|notificationCenter)\.[A-Za-z0-9_.]+)\1/g;
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(call)) out.push({ key: m[2]!, file });
    for (const m of text.matchAll(keyLike))
      if (!(PERMISSIONS as readonly string[]).includes(m[2]!)) out.push({ key: m[2]!, file });
  }
  return out;
}

describe('translation catalogues', () => {
  const all = new Set(LOCALES.flatMap((l) => Object.keys(flat[l])));

  for (const locale of LOCALES) {
    it(`${locale} has every key of the other locales, none empty`, () => {
      const missing = [...all].filter((k) => !(k in flat[locale]));
      const empty = Object.entries(flat[locale])
        .filter(([, v]) => v.trim() === '')
        .map(([k]) => k);
      expect(missing, `missing in ${locale}`).toEqual([]);
      expect(empty, `empty in ${locale}`).toEqual([]);
    });

    it(`${locale} keeps the {{placeholders}} of English`, () => {
      const names = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
      const wrong = Object.keys(flat.en).filter(
        (k) => k in flat[locale] && names(flat.en[k]!).join() !== names(flat[locale][k]!).join(),
      );
      expect(wrong).toEqual([]);
    });
  }

  it('every key the web app uses exists in English', () => {
    const used = usedKeys();
    expect(used.length).toBeGreaterThan(50);
    const missing = used.filter(({ key }) => !(key in flat.en)).map(({ key, file }) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });

  it('every key the web app builds from a domain enum exists in English', () => {
    const built = [
      ...ROLES.map((v) => `roles.${v}`),
      ...AGENCY_TYPES.map((v) => `agencyTypes.${v}`),
      ...KZ_REGIONS.map((v) => `regions.${v}`),
      ...AUDIT_ACTIONS.map((v) => `auditActions.${v}`),
      ...AUDIT_OUTCOMES.map((v) => `auditOutcomes.${v}`),
      ...LOCALES.map((v) => `admin.users.localeName.${v}`),
    ];
    const enums: Record<string, readonly string[]> = {
      sex: SEX_GENDER,
      maritalStatus: MARITAL_STATUS,
      education: EDUCATION_LEVELS,
      vulnerability: VULNERABILITIES,
      documentType: DOCUMENT_TYPES,
      contactType: CONTACT_TYPES,
      nameScript: NAME_SCRIPTS,
      nameKind: NAME_KINDS,
      identificationMethod: IDENTIFICATION_METHODS,
      exploitationForm: EXPLOITATION_FORMS,
      labourIndustry: LABOUR_INDUSTRIES,
      sexExploitationType: SEX_EXPLOITATION_TYPES,
      meansOfControl: MEANS_OF_CONTROL,
      recruitmentMethod: RECRUITMENT_METHODS,
      recruitmentApp: RECRUITMENT_APPS,
      relationshipToRecruiter: RELATIONSHIPS_TO_RECRUITER,
      caseStage: CASE_STAGES,
      screeningOutcome: SCREENING_OUTCOMES,
      screeningRecommendation: SCREENING_RECOMMENDATIONS,
      indicatorStrength: INDICATOR_STRENGTHS,
    };
    for (const [name, values] of Object.entries(enums)) built.push(...values.map((v) => `enums.${name}.${v}`));
    // Referral and consent (issue 4)
    built.push(
      ...REFERRAL_STATES.map((v) => `referrals.state.${v}`),
      ...REFERRAL_PURPOSES.map((v) => `referralPurposes.${v}`),
      ...URGENCIES.flatMap((v) => [`referrals.urgency.${v}`, `referrals.urgencyHelp.${v}`]),
      ...SHARE_SCOPES.flatMap((v) => [`referrals.scope.${v}`, `referrals.scopeWhat.${v}`]),
      ...DECLINE_REASONS.map((v) => `referrals.declineReason.${v}`),
      ...CONSENT_PURPOSES.flatMap((v) => [`consent.purpose.${v}`, `consent.purposeHelp.${v}`]),
      ...CONSENT_STATUSES.map((v) => `consent.status.${v}`),
      ...EMERGENCY_REVIEW_OUTCOMES.map((v) => `emergency.outcome.${v}`),
      ...CALENDAR_DAY_KINDS.map((v) => `rules.kinds.${v}`),
    );
    built.push(...['unknown', 'exact', 'year', 'range'].map((k) => `intake.birthKind.${k}`));
    built.push(
      ...['victim_rule_satisfied', 'some_dimension_positive', 'no_dimension_positive'].map(
        (k) => `screening.because.${k}`,
      ),
    );
    expect(built.filter((k) => !(k in flat.en))).toEqual([]);
  });

  it('Russian and Kazakh UI strings are written in Cyrillic', () => {
    const webSections =
      /^(nav|signIn|home|account|admin|audit|notFound|cases|intake|screening|referrals|consent|emergency|coordination|rules|notificationCenter)\./;
    for (const locale of ['ru', 'kk'] as const) {
      const latinOnly = Object.entries(flat[locale]).filter(
        ([k, v]) => webSections.test(k) && /[A-Za-z]{4,}/.test(v) && !/[А-Яа-яӘәҒғҚқҢңӨөҰұҮүІіҺһ]/.test(v),
      );
      expect(latinOnly, locale).toEqual([]);
    }
  });
});
