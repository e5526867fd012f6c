import { COUNTRY_CODES, type TLocale } from '@opennrm/domain';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/** Select options for a domain enum, labelled from `enums.<name>.<value>`. */
export function useEnumOptions(name: string, values: readonly string[]): { value: string; label: string }[] {
  const { t, i18n } = useTranslation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the labels change with the language
  return useMemo(
    () => values.map((v) => ({ value: v, label: t(`enums.${name}.${v}`) })),
    [name, values, i18n.language],
  );
}

const TAGS: Record<TLocale, string> = { kk: 'kk', ru: 'ru', en: 'en' };

function displayNames(locale: string, type: 'region' | 'language'): Intl.DisplayNames | null {
  try {
    return new Intl.DisplayNames([TAGS[locale as TLocale] ?? locale, 'en'], { type, fallback: 'code' });
  } catch {
    return null;
  }
}

/** A country's name in the interface language (Intl.DisplayNames), e.g. UZ → "Өзбекстан". */
export function countryName(code: string, locale: string): string {
  return displayNames(locale, 'region')?.of(code) ?? code;
}

/** A language's name in the interface language, e.g. uz → "узбекский". */
export function languageName(code: string, locale: string): string {
  const name = displayNames(locale, 'language')?.of(code) ?? code;
  return name.slice(0, 1).toLocaleUpperCase(locale) + name.slice(1);
}

/** Every ISO 3166 country, named and sorted in the interface language. */
export function useCountryOptions(): { value: string; label: string }[] {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const names = displayNames(i18n.language, 'region');
    const collator = new Intl.Collator(i18n.language);
    return COUNTRY_CODES.map((c) => ({ value: c, label: names?.of(c) ?? c })).sort((a, b) =>
      collator.compare(a.label, b.label),
    );
  }, [i18n.language]);
}

/**
 * Languages offered at intake (ISO 639-1/-3): those of the region and of the people most often met,
 * then other widespread ones. A code the server accepts but the list lacks still shows by its code.
 */
export const LANGUAGE_CODES = [
  'kk',
  'ru',
  'uz',
  'ky',
  'tg',
  'tk',
  'ug',
  'az',
  'hy',
  'ka',
  'uk',
  'be',
  'mn',
  'zh',
  'ko',
  'tr',
  'fa',
  'ps',
  'ur',
  'hi',
  'bn',
  'ne',
  'vi',
  'th',
  'id',
  'tl',
  'ar',
  'en',
  'de',
  'fr',
  'es',
  'it',
  'pl',
  'ro',
  'am',
  'sw',
] as const;

/** The intake's languages, named and sorted in the interface language. */
export function useLanguageOptions(): { value: string; label: string }[] {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const collator = new Intl.Collator(i18n.language);
    return LANGUAGE_CODES.map((c) => ({ value: c, label: languageName(c, i18n.language) })).sort((a, b) =>
      collator.compare(a.label, b.label),
    );
  }, [i18n.language]);
}

/** A date (ISO yyyy-mm-dd) in the interface language. */
export function formatDate(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  const tag = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' }[locale as TLocale] ?? locale;
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(tag, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}
