import { nameKeys } from '../names/name.analyse.ts';
import { memoise } from '../names/name.memo.ts';
import type { TMatchBirth, TMatchPerson, TPreparedPerson } from './match.prepare.ts';
import { prepareForMatching } from './match.prepare.ts';

/** Widest estimated age range (in birth years) that still gets name + year blocking keys. */
export const MAX_BLOCKING_YEAR_SPAN = 12;
/** Shortest normalised document number / phone that gets a blocking key. */
export const MIN_BLOCKING_DOCUMENT_LENGTH = 5;
export const MIN_BLOCKING_PHONE_DIGITS = 7;

function birthYears(b: TMatchBirth): number[] {
  if (b.kind === 'exact' || b.kind === 'year') return [b.y];
  if (b.kind === 'range' && b.hi - b.lo <= MAX_BLOCKING_YEAR_SPAN)
    return Array.from({ length: b.hi - b.lo + 1 }, (_, i) => b.lo + i);
  return [];
}

/** Phonetic keys of a name's family and given tokens (patronymic excluded), with the Latin x → ks reading. */
function phoneticKeysOf(name: TPreparedPerson['names'][number]): readonly string[] {
  return phoneticKeysOfRaw(name.raw);
}

const phoneticKeysOfRaw = memoise(
  (raw: string): readonly string[] =>
    Object.freeze(
      [
        ...new Set(
          nameKeys(raw)
            .filter((k) => k.startsWith('p:'))
            .map((k) => k.slice(2)),
        ),
      ]
        .sort()
        .slice(0, 8),
    ),
  200_000,
);

function addNamePairKeys(keys: Set<string>, phonetic: readonly string[]) {
  for (let i = 0; i < phonetic.length; i++)
    for (let j = i + 1; j < phonetic.length; j++) keys.add(`n:${phonetic[i]}:${phonetic[j]}`);
}

function addIdentifierKeys(keys: Set<string>, p: TPreparedPerson) {
  for (const d of p.documents) if (d.number.length >= MIN_BLOCKING_DOCUMENT_LENGTH) keys.add(`d:${d.number}`);
  for (const phone of p.phones) if (phone.length >= MIN_BLOCKING_PHONE_DIGITS) keys.add(`c:${phone}`);
}

/**
 * Plaintext-side blocking keys of a prepared person (see {@link blockingKeys}).
 */
export function blockingKeysOf(p: TPreparedPerson): string[] {
  const keys = new Set<string>();
  const years = birthYears(p.birth);
  for (const name of p.names) {
    const phonetic = phoneticKeysOf(name);
    addNamePairKeys(keys, phonetic);
    for (const ph of phonetic)
      for (const y of years) {
        keys.add(`y:${ph}:${y}`);
        keys.add(`y:${ph}:${y + 1}`);
      }
  }
  addIdentifierKeys(keys, p);
  return [...keys].sort();
}

/**
 * Candidate keys of the full batch (job `duplicates.scan`), computed in memory from the decrypted
 * records of the run and never stored. Two records are scored when they share one:
 *
 * - `n:<phonetic>:<phonetic>` the name pair keys of {@link blockingKeysOf};
 * - `e:<phonetic>:<yyyy-mm-dd>` a phonetic key of one name token with the exact birth date: meets a
 *   typo in the other name part, or a name part missing on one side, when both dates are exact;
 * - `d:` and `c:` the document and phone keys of {@link blockingKeysOf}.
 *
 * The `y:<phonetic>:<year>` keys of the stored index are left out: a name token and a birth year are
 * shared by a share of the population that grows with it (≈ 300 persons per key at 1,000,000
 * persons), so every record would be scored against thousands of others; with exact dates the
 * `e:` keys find the same duplicates in blocks of one or two. Unique, unsorted.
 */
export function batchKeysOf(p: TPreparedPerson): string[] {
  const keys = new Set<string>();
  const date =
    p.birth.kind === 'exact'
      ? `${p.birth.y}-${String(p.birth.m).padStart(2, '0')}-${String(p.birth.d).padStart(2, '0')}`
      : null;
  for (const name of p.names) {
    const phonetic = phoneticKeysOf(name);
    addNamePairKeys(keys, phonetic);
    if (date) for (const ph of phonetic) keys.add(`e:${ph}:${date}`);
  }
  addIdentifierKeys(keys, p);
  return [...keys];
}

/**
 * Blocking keys for candidate generation in duplicate detection (issue 8). Two records are
 * compared only when they share at least one key. The server HMACs every key into its blind index
 * (`person_index`, e.g. kind `block`), so no name, date or number is stored in the clear; equality
 * of keys is all that blocking needs.
 *
 * - `n:<phonetic>:<phonetic>` every unordered pair of phonetic keys of one name's family and given
 *   tokens: survives a change of script or transliteration, a dropped or added patronymic, swapped
 *   name order and any birth-date variant.
 * - `y:<phonetic>:<year>` and `y:<phonetic>:<year + 1>` per phonetic key of a name token and birth
 *   year (every year of a narrow age range): two records whose years differ by at most one share
 *   a key, so a typo in one name part or a gendered surname still meets on the other part.
 * - `d:<normalised document number>` and `c:<last ten digits of a phone>`: the same normalisation
 *   as the server's existing `document` and `phone` index entries.
 *
 * Unique and sorted.
 */
export function blockingKeys(person: TMatchPerson): string[] {
  return blockingKeysOf(prepareForMatching(person));
}
