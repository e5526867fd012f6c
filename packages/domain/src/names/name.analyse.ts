import { memoise } from './name.memo.ts';
import { alternateTokens, canonicalToken, phoneticKey } from './name.translit.ts';

/** Writing system of a raw name. `mixed`: letters of two or more scripts; `other`: no Cyrillic or Latin letters. */
export type TNameScript = 'cyrillic' | 'latin' | 'mixed' | 'other';

/** A name split into canonical tokens and an optional patronymic. */
export interface TNameAnalysis {
  /** Canonical tokens without the patronymic: unique and sorted, so the order of the parts does not matter. */
  tokens: string[];
  /** The patronymic as written (e.g. `Серікқызы`, `Akmal o'g'li`), or null. */
  patronymic: string | null;
  script: TNameScript;
}

/** Detects the script of a raw name from its letters (digits, spaces and punctuation are ignored). */
export const detectScript: (raw: string) => TNameScript = memoise(detectScriptOf);

function detectScriptOf(raw: string): TNameScript {
  let cyrillic = false;
  let latin = false;
  let other = false;
  for (const ch of raw) {
    if (!/\p{L}/u.test(ch)) continue;
    if (/\p{Script=Cyrillic}/u.test(ch)) cyrillic = true;
    else if (/\p{Script=Latin}/u.test(ch)) latin = true;
    else other = true;
  }
  const count = Number(cyrillic) + Number(latin) + Number(other);
  if (count > 1) return 'mixed';
  if (cyrillic) return 'cyrillic';
  if (latin) return 'latin';
  return 'other';
}

/**
 * Separate words that mark a Turkic patronymic after the father's name, as canonical skeletons:
 * Kazakh ұлы/қызы (uly, qyzy), Kyrgyz уулу/кызы (uulu, kyzy), Uzbek o'g'li/qizi (ўғли, қизи),
 * Azerbaijani oğlu/qızı.
 */
export const PATRONYMIC_MARKERS: ReadonlySet<string> = new Set([
  'uli',
  'ulu',
  'uulu',
  'kizi',
  'gizi',
  'ogli',
  'oglu',
  'ugli',
]);

/** Joined Turkic patronymic endings (Серікқызы, Серікұлы, Akmalo'g'li): always a patronymic. */
const TURKIC_SUFFIX = /^[a-z]{3,}(?:kizi|uli|ogli|ugli|uulu)$/;
/** Russian-style female endings (-ovna, -evna, -ivna, -ichna, -inichna): never a surname, always a patronymic. */
const FEMALE_SUFFIX = /^[a-z]{2,}(?:ovna|evna|ivna|ichna)$/;
/** Russian-style male endings (-ovich, -evich, -ich): also surnames (Abramovich), so only with ≥3 parts. */
const MALE_SUFFIX = /^[a-z]{2,}(?:ovich|evich|ich)$/;

/** Splits a raw name into words: whitespace, hyphens, dots, commas, slashes and brackets separate parts. */
function rawParts(raw: string): string[] {
  return raw
    .normalize('NFC')
    .split(/[\s\p{Pd}.,;:/\\()[\]{}"«»_+&|]+/u)
    .filter((p) => /\p{L}/u.test(p));
}

/**
 * Finds the patronymic among the parts: a separate marker word (`Akmal o'g'li`, `Asanbek uulu`,
 * `Серік қызы`) takes the word before it; otherwise a joined Turkic ending or a female Russian-style
 * ending with ≥2 parts, or a male Russian-style ending with ≥3 parts. Never the first part; the last
 * candidate wins.
 */
function findPatronymic(canon: string[]): { from: number; to: number } | null {
  for (let i = canon.length - 1; i >= 1; i--) {
    if (PATRONYMIC_MARKERS.has(canon[i]!)) return { from: i - 1, to: i };
  }
  for (let i = canon.length - 1; i >= 1; i--) {
    const c = canon[i]!;
    if (TURKIC_SUFFIX.test(c) || FEMALE_SUFFIX.test(c)) return { from: i, to: i };
    if (canon.length >= 3 && MALE_SUFFIX.test(c) && c.length >= 5) return { from: i, to: i };
  }
  return null;
}

const setOf = (xs: string[]) => [...new Set(xs.filter((x) => x.length >= 2))].sort();

/**
 * Analyses a raw person name in any of the supported scripts and transliterations: canonical tokens
 * (one-letter parts such as initials are dropped), the patronymic if one is recognised, and the script.
 * `Ахметова Айгерім Серікқызы` → { tokens: ['ahmetova', 'aigerim'], patronymic: 'Серікқызы', script: 'cyrillic' }.
 */
export function analyseName(raw: string): TNameAnalysis {
  const parts = rawParts(raw);
  const canon = parts.map(canonicalToken);
  const p = findPatronymic(canon);
  const kept = p ? canon.filter((_, i) => i < p.from || i > p.to) : canon;
  return {
    tokens: setOf(kept),
    patronymic: p ? parts.slice(p.from, p.to + 1).join(' ') : null,
    // read when asked for: matching never needs it
    get script() {
      return detectScript(raw);
    },
  };
}

/** All canonical tokens of a name, patronymic included; unique and sorted. */
export function normaliseName(raw: string): string[] {
  return setOf(rawParts(raw).map(canonicalToken));
}

/** Canonical tokens of a name without the patronymic; unique and sorted. */
export function nameTokens(raw: string): string[] {
  return analyseName(raw).tokens;
}

/**
 * Strings to feed to a keyed blind index (HMAC) for search and duplicate detection. Per token of
 * `nameTokens` (patronymic excluded): `t:<canonical token>`, `t:<alternate>` where Latin x may be
 * read as ks, and `p:<phonetic key>`. The prefixes keep the two kinds of key apart in one index.
 * `Akhmetova` and `Ахметова` both give ['p:ahmtva', 't:ahmetova']. Unique and sorted.
 */
export function nameKeys(raw: string): string[] {
  const parts = rawParts(raw);
  const canon = parts.map(canonicalToken);
  const p = findPatronymic(canon);
  const keys: string[] = [];
  parts.forEach((part, i) => {
    if (p && i >= p.from && i <= p.to) return;
    for (const token of [canon[i]!, ...alternateTokens(part)]) {
      if (token.length < 2) continue;
      keys.push(`t:${token}`, `p:${phoneticKey(token)}`);
    }
  });
  return [...new Set(keys)].sort();
}
