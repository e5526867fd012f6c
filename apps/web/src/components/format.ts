import type { TLocale } from '@opennrm/domain';

const TAGS: Record<TLocale, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };

/** A date and time in the interface language. */
export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  const tag = TAGS[locale as TLocale] ?? locale;
  return new Intl.DateTimeFormat(tag, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}
