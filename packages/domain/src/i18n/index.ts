import type { TLocale } from '../common/locale.ts';
import en from './en.json' with { type: 'json' };
import kk from './kk.json' with { type: 'json' };
import ru from './ru.json' with { type: 'json' };

/** The translation catalogues, one per locale; the web app and the server read the same files. */
export const CATALOGUES: Record<TLocale, Record<string, unknown>> = { en, ru, kk };

/** Flattens a nested catalogue to dotted keys: { a: { b: 'x' } } → { 'a.b': 'x' }. Keys may contain dots themselves. */
export function flattenCatalogue(obj: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') Object.assign(out, flattenCatalogue(v as Record<string, unknown>, key));
    else out[key] = String(v);
  }
  return out;
}

const flat: Record<TLocale, Record<string, string>> = {
  en: flattenCatalogue(en),
  ru: flattenCatalogue(ru),
  kk: flattenCatalogue(kk),
};

/** Translates a dotted key, interpolating {{name}} placeholders; falls back to English, then to the key. */
export function translate(locale: TLocale, key: string, params: Record<string, string | number> = {}): string {
  const template = flat[locale][key] ?? flat.en[key] ?? key;
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(params[name] ?? ''));
}

/** True when the key exists in the locale's catalogue. */
export function hasTranslation(locale: TLocale, key: string): boolean {
  return key in flat[locale];
}
