import { flattenCatalogue, LOCALES, pickLocale, type TLocale, ZLocale } from '@opennrm/domain';
import en from '@opennrm/domain/i18n/en.json';
import kk from '@opennrm/domain/i18n/kk.json';
import ru from '@opennrm/domain/i18n/ru.json';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setApiLocale } from '../api/client.ts';

const STORAGE_KEY = 'opennrm.locale';

/** The language to start with: the last one chosen on this device, else the browser's. */
export function initialLocale(): TLocale {
  const stored = ZLocale.safeParse(globalThis.localStorage?.getItem(STORAGE_KEY));
  if (stored.success) return stored.data;
  return pickLocale(globalThis.navigator?.languages?.join(','), 'ru');
}

/** Switches the interface language everywhere: i18next, <html lang>, API header, local memory. */
export async function applyLocale(locale: TLocale): Promise<void> {
  setApiLocale(locale);
  document.documentElement.lang = locale;
  globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  if (i18next.language !== locale) await i18next.changeLanguage(locale);
}

const start = initialLocale();
setApiLocale(start);

void i18next.use(initReactI18next).init({
  resources: {
    en: { translation: flattenCatalogue(en) },
    ru: { translation: flattenCatalogue(ru) },
    kk: { translation: flattenCatalogue(kk) },
  },
  lng: start,
  fallbackLng: 'en',
  supportedLngs: [...LOCALES],
  keySeparator: false,
  nsSeparator: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});
if (typeof document !== 'undefined') document.documentElement.lang = start;

export { i18next };
