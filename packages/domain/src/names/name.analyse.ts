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
  return [...new Set(nameQueryKeys(raw).flat())].sort();
}

/**
 * The blind-index keys of a name, grouped per name part (patronymic excluded): the keys
 * {@link nameKeys} gives for the same text, computed part by part from the raw words, so a search
 * for a name finds every record indexed under it (a person matches when each group has a key of
 * theirs). Parts without a key of two letters or more are left out; groups are unique and sorted.
 */
export function nameQueryKeys(raw: string): string[][] {
  const parts = rawParts(raw);
  const canon = parts.map(canonicalToken);
  const p = findPatronymic(canon);
  const groups = new Map<string, string[]>();
  parts.forEach((part, i) => {
    if (p && i >= p.from && i <= p.to) return;
    const keys: string[] = [];
    for (const token of [canon[i]!, ...alternateTokens(part)]) {
      if (token.length < 2) continue;
      keys.push(`t:${token}`, `p:${phoneticKey(token)}`);
    }
    const group = [...new Set(keys)].sort();
    if (group.length) groups.set(group.join('|'), group);
  });
  return [...groups.values()];
}

/** The phonetic keys (`p:…`) of a group of {@link nameQueryKeys}: a word matches a token exactly when one of these matches (a `t:` match implies the `p:` one). */
const phoneticOf = (group: readonly string[]) => group.filter((k) => k.startsWith('p:')).map((k) => k.slice(2));

const pairKey = (a: string, b: string) => (a < b ? `q:${a}|${b}` : `q:${b}|${a}`);

/**
 * Pair keys of one name (its family and given parts): `q:<phonetic>|<phonetic>` for every two
 * distinct phonetic keys of its words. A search for two words then reads the few persons holding
 * both instead of intersecting the many holding each (see {@link nameSearchKeys}). Unique, sorted.
 */
export function namePairKeys(parts: readonly (string | null | undefined)[]): string[] {
  const phonetic = [...new Set(parts.flatMap((part) => (part ? nameQueryKeys(part).flatMap(phoneticOf) : [])))];
  const out = new Set<string>();
  for (let i = 0; i < phonetic.length; i++)
    for (let j = i + 1; j < phonetic.length; j++) out.add(pairKey(phonetic[i]!, phonetic[j]!));
  return [...out].sort();
}

/**
 * The blind-index lookups of a name search. A person is found when one of its keys is in `first`
 * and, for each group of `rest`, one of its keys is in that group. With two words or more, `first`
 * holds the pair keys of the first two words plus, when the two share a phonetic key, that key on
 * its own (one token of the person can match both words); with one word, its phonetic keys. The
 * same person is found as by intersecting each word's keys ({@link nameQueryKeys}), except that the
 * first two words must match the same name of the person, not one each of two aliases. Null
 * without a word.
 */
export function nameSearchKeys(raw: string): { first: string[]; rest: string[][] } | null {
  const groups = nameQueryKeys(raw).map(phoneticOf);
  if (!groups.length) return null;
  const [a, b, ...rest] = groups as [string[], ...string[][]];
  if (!b) return { first: a.map((k) => `p:${k}`), rest: [] };
  const first = new Set<string>();
  for (const x of a) for (const y of b) first.add(x === y ? `p:${x}` : pairKey(x, y));
  return { first: [...first].sort(), rest: rest.map((g) => g.map((k) => `p:${k}`)) };
}
