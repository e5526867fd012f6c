import type { TBirthDate } from '../case/person.schemas.ts';
import { analyseName, normaliseName, PATRONYMIC_MARKERS } from '../names/name.analyse.ts';
import { memoise } from '../names/name.memo.ts';
import { alternateTokens, canonicalToken, phoneticKey } from '../names/name.translit.ts';

/**
 * The fields of a person that duplicate detection compares: a subset of `TPersonInput` (a full
 * `TPersonInput`, or the server's decrypted PII plus the plain `sex` and `citizenships` columns,
 * can be passed as is).
 */
export interface TMatchPerson {
  names?: readonly { family?: string | null; given?: string | null; patronymic?: string | null }[];
  sex?: string | null;
  birthDate?: TBirthDate | null;
  citizenships?: readonly string[];
  documents?: readonly { type: string; number: string; issuingCountry?: string | null }[];
  contacts?: readonly { type: string; value: string }[];
}

/** One canonical name token with its phonetic key and, for a Latin x, its ks reading. */
export interface TMatchToken {
  canonical: string;
  phonetic: string;
  alternate: string | null;
}

/** One recorded name (primary, alias, as in a document …), ready for comparison. */
export interface TMatchName {
  /** Canonical tokens of family and given names, patronymic excluded; unique and sorted. */
  tokens: TMatchToken[];
  /** Canonical stem of the father's name from the patronymic (`Серікқызы`, `Serikovich` → `serik`), or null. */
  patronymic: string | null;
  /** The raw family and given names joined, for blocking keys (never leaves the process). */
  raw: string;
}

/** A birth date as an interval of what is known. */
export type TMatchBirth =
  | { kind: 'exact'; y: number; m: number; d: number }
  | { kind: 'year'; y: number }
  | { kind: 'range'; lo: number; hi: number }
  | { kind: 'unknown' };

/** A person analysed once for many comparisons (cache it when scoring one person against many). */
export interface TPreparedPerson {
  names: TMatchName[];
  sex: string | null;
  birth: TMatchBirth;
  citizenships: string[];
  documents: { type: string; number: string; country: string | null }[];
  phones: string[];
}

/** Document number for exact matching: letters and digits only, upper case (as the server's blind index). */
export function normaliseDocumentKey(raw: string): string {
  return raw
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '');
}

/** Phone for matching: its last ten digits, so +7 / 8 prefixes do not matter (as the server's blind index). */
export function normalisePhoneKey(raw: string): string {
  return raw.replace(/\D/g, '').slice(-10);
}

const PATRONYMIC_ENDING = /(?:ovich|evich|ovna|evna|ichna|ich|kizi|gizi|uulu|uli|ulu|ogli|oglu|ugli)$/;

/** Canonical stem of the father's name in a patronymic: markers and endings removed. */
export function patronymicStem(raw: string): string | null {
  const tokens = normaliseName(raw).filter((t) => !PATRONYMIC_MARKERS.has(t));
  if (!tokens.length) return null;
  const joined = tokens.join('');
  const stem = joined.replace(PATRONYMIC_ENDING, '');
  return stem.length >= 2 ? stem : joined;
}

const WORD_SEPARATORS = /[\s\p{Pd}.,;:/\\()[\]{}"«»_+&|]+/u;

type TNameInput = { family?: string | null; given?: string | null; patronymic?: string | null };

/**
 * Tokens of a name's family and given parts, and the patronymic found among them; by the raw
 * string, since names repeat and a batch prepares every stored person. Values are frozen.
 */
const tokensOf = memoise((raw: string): { tokens: TMatchToken[]; patronymic: string | null } => {
  const analysis = analyseName(raw);
  const alternates = new Map<string, string>();
  for (const word of raw.split(WORD_SEPARATORS)) {
    const alt = alternateTokens(word)[0];
    if (alt) alternates.set(canonicalToken(word), alt);
  }
  const tokens = analysis.tokens.slice(0, 8).map((canonical) =>
    Object.freeze({
      canonical,
      phonetic: phoneticKey(canonical),
      // ICAO 9303 and Russian practice write ё as e: Фёдор (fiodor) = Fedor, Семёнов = Semenov
      alternate:
        alternates.get(canonical) ?? (/[^aeiou]io/.test(canonical) ? canonical.replace(/([^aeiou])io/g, '$1e') : null),
    }),
  );
  return Object.freeze({ tokens: internTokens(tokens), patronymic: analysis.patronymic });
}, 200_000);

/**
 * One frozen array per distinct list of tokens, whatever script or spelling it came from
 * (Ахметова Айгерім, AKHMETOVA Aigerim): comparisons remembered by array (`nameSimilarity`) then
 * apply to every spelling.
 */
const tokenLists = new Map<string, TMatchToken[]>();
function internTokens(tokens: TMatchToken[]): TMatchToken[] {
  const key = tokens.map((t) => `${t.canonical}/${t.alternate ?? ''}/${t.phonetic}`).join(' ');
  let hit = tokenLists.get(key);
  if (!hit) {
    hit = Object.freeze(tokens) as TMatchToken[];
    if (tokenLists.size >= 200_000) tokenLists.clear();
    tokenLists.set(key, hit);
  }
  return hit;
}

const patronymicStemOf = memoise((raw: string) => patronymicStem(raw) ?? '');

function prepareName(n: TNameInput): TMatchName {
  const raw = [n.family, n.given].filter((x): x is string => !!x?.trim()).join(' ');
  const { tokens, patronymic } = tokensOf(raw);
  const patronymicRaw = n.patronymic?.trim() || patronymic;
  return { tokens, patronymic: patronymicRaw ? patronymicStemOf(patronymicRaw) || null : null, raw };
}

function prepareBirth(b: TBirthDate | null | undefined): TMatchBirth {
  if (!b) return { kind: 'unknown' };
  switch (b.kind) {
    case 'exact': {
      const [y, m, d] = b.date.split('-').map(Number);
      return { kind: 'exact', y: y!, m: m!, d: d! };
    }
    case 'year':
      return { kind: 'year', y: b.year };
    case 'range': {
      const asOf = Number(b.asOf.slice(0, 4));
      return { kind: 'range', lo: asOf - b.maxAge - 1, hi: asOf - b.minAge };
    }
    default:
      return { kind: 'unknown' };
  }
}

const UNKNOWN_SEX = new Set(['NonSpecifiedUnknown', '']);

/** Analyses a person once: name tokens and patronymic stems, birth interval, normalised documents and phones. */
export function prepareForMatching(p: TMatchPerson): TPreparedPerson {
  return {
    names: (p.names ?? []).map(prepareName).filter((n) => n.tokens.length > 0),
    sex: p.sex && !UNKNOWN_SEX.has(p.sex) ? p.sex : null,
    birth: prepareBirth(p.birthDate),
    citizenships: [...new Set(p.citizenships ?? [])].sort(),
    documents: (p.documents ?? []).map((d) => ({
      type: d.type,
      number: normaliseDocumentKey(d.number),
      country: d.issuingCountry ?? null,
    })),
    phones: [
      ...new Set((p.contacts ?? []).filter((c) => c.type === 'phone').map((c) => normalisePhoneKey(c.value))),
    ].sort(),
  };
}
