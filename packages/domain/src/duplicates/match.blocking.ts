import { nameKeys } from '../names/name.analyse.ts';
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

/**
 * Plaintext-side blocking keys of a prepared person (see {@link blockingKeys}).
 */
export function blockingKeysOf(p: TPreparedPerson): string[] {
  const keys = new Set<string>();
  const years = birthYears(p.birth);
  for (const name of p.names) {
    // phonetic keys of the family and given names (patronymic excluded), with the Latin x → ks reading
    const phonetic = [
      ...new Set(
        nameKeys(name.raw)
          .filter((k) => k.startsWith('p:'))
          .map((k) => k.slice(2)),
      ),
    ]
      .sort()
      .slice(0, 8);
    for (let i = 0; i < phonetic.length; i++)
      for (let j = i + 1; j < phonetic.length; j++) keys.add(`n:${phonetic[i]}:${phonetic[j]}`);
    for (const ph of phonetic)
      for (const y of years) {
        keys.add(`y:${ph}:${y}`);
        keys.add(`y:${ph}:${y + 1}`);
      }
  }
  for (const d of p.documents) if (d.number.length >= MIN_BLOCKING_DOCUMENT_LENGTH) keys.add(`d:${d.number}`);
  for (const phone of p.phones) if (phone.length >= MIN_BLOCKING_PHONE_DIGITS) keys.add(`c:${phone}`);
  return [...keys].sort();
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
