import type { TMatchConfig } from './match.config.ts';
import type { TPreparedPerson } from './match.prepare.ts';
import { BINARY_SEX, birthNumbers, birthWeightOf } from './match.score.ts';

/** Int32 slots per person in {@link MatchFeatures}. */
export const FEATURE_STRIDE = 12;
const BIRTH = 0; // kind | month << 2 | day << 6 (birthNumbers)
const LO = 1; // first birth year (the year of an exact or year-only date)
const HI = 2; // last birth year
const SEX = 3; // 0: unknown; else a hash of the value, | BINARY when Feminine or Masculine
const CITIZENSHIPS = 4; // one bit per citizenship, by hash
const DOCUMENTS = 5; // number of documents long enough to count; OVERFLOW: more than the slots
const DOCUMENT_HASHES = 6; // two slots
const PHONES = 8; // number of phones long enough to count; OVERFLOW: more than the slots
const PHONE_HASHES = 9; // two slots
const BINARY = 1 << 16;
const UNREPRESENTABLE = 1 << 12; // a birth date whose numbers do not fit in 11 bits: bounded by the largest weight
const OVERFLOW = 1 << 30;
const MASK_BITS = 30;
const SLOTS = 2;

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/**
 * The fields of prepared persons other than the names, as numbers in one Int32Array (a 48-byte
 * row per person), for a batch that pairs millions of candidates: {@link otherFieldsBound} reads
 * two rows and returns an upper bound of the weights those fields give the pair under the
 * configuration — exact for birth date and sex, and for citizenship, documents and phones unless
 * their hashes collide — so that pairs which cannot reach a band are dropped without touching the
 * persons' objects. Every pair it keeps is scored exactly (`matchScore`). Rows depend only on the
 * person and the configuration, so threads can fill parts of one array independently.
 */
export class MatchFeatures {
  readonly rows: Int32Array;
  private readonly docMax: number;
  private readonly docUnequalMax: number;
  private readonly phoneMax: number;
  private readonly birthMax: number;
  private readonly sexEqual: number;
  private readonly citizenshipShared: number;

  /** `rows`: an array of FEATURE_STRIDE × persons slots (e.g. in shared memory), or the number of persons. */
  constructor(
    rows: Int32Array | number,
    private readonly config: TMatchConfig,
  ) {
    this.rows = typeof rows === 'number' ? new Int32Array(rows * FEATURE_STRIDE) : rows;
    const d = config.document;
    this.docUnequalMax = Math.max(d.nearMatch, d.mismatch, d.mismatchCountryUnknown, 0);
    this.docMax = Math.max(d.match, this.docUnequalMax);
    this.phoneMax = Math.max(config.phone.match, config.phone.mismatch);
    this.birthMax = Math.max(0, ...Object.values(config.birthDate));
    this.sexEqual = Math.max(config.sex.match, config.sex.mismatch, 0);
    this.citizenshipShared = Math.max(config.citizenship.match, config.citizenship.mismatch);
  }

  set(i: number, p: TPreparedPerson): void {
    const r = this.rows;
    const o = i * FEATURE_STRIDE;
    const [code, lo, hi] = birthNumbers(p.birth);
    // month and day of a valid date fit; anything else is bounded by the largest weight
    const b = p.birth;
    const ok =
      (b.kind !== 'exact' ||
        (Number.isInteger(b.m) && b.m >= 0 && b.m < 16 && Number.isInteger(b.d) && b.d >= 0 && b.d < 32)) &&
      lo === (lo | 0) &&
      hi === (hi | 0);
    r[BIRTH + o] = ok ? code : UNREPRESENTABLE;
    r[LO + o] = ok ? lo : 0;
    r[HI + o] = ok ? hi : 0;
    // sex: a hash (equal values, equal hashes) with the binary flag; 0 for unknown
    r[SEX + o] = p.sex ? (hash(p.sex) & 0xffff) | 1 | (BINARY_SEX.has(p.sex) ? BINARY : 0) : 0;
    // citizenships: one bit each, by hash (two codes on one bit read as one in common: a bound still)
    let mask = 0;
    for (const c of p.citizenships) mask |= 1 << ((hash(c) >>> 0) % MASK_BITS);
    r[CITIZENSHIPS + o] = mask;
    this.setSlots(
      o + DOCUMENTS,
      o + DOCUMENT_HASHES,
      p.documents.map((d) => d.number),
      this.config.document.minLength,
    );
    this.setSlots(o + PHONES, o + PHONE_HASHES, p.phones, this.config.phone.minDigits);
  }

  /** How many values are long enough to count (OVERFLOW past the slots), and the hashes of the first ones. */
  private setSlots(count: number, hashes: number, values: readonly string[], minLength: number) {
    let n = 0;
    for (const v of values) {
      if (v.length < minLength) continue;
      if (n < SLOTS) this.rows[hashes + n] = hash(v);
      n++;
    }
    this.rows[count] = n > SLOTS ? OVERFLOW | SLOTS : n;
  }

  /** An upper bound of the summed weights of birth date, sex, citizenship, documents and phones of persons i and j. */
  otherFieldsBound(i: number, j: number): number {
    const r = this.rows;
    const c = this.config;
    const a = i * FEATURE_STRIDE;
    const b = j * FEATURE_STRIDE;
    const ba = r[BIRTH + a]!;
    const bb = r[BIRTH + b]!;
    let bound =
      (ba | bb) & UNREPRESENTABLE
        ? this.birthMax
        : birthWeightOf(ba, r[LO + a]!, r[HI + a]!, bb, r[LO + b]!, r[HI + b]!, c);
    const sa = r[SEX + a]!;
    const sb = r[SEX + b]!;
    // equal hashes: the same sex, or a collision (then "match" bounds the mismatch from above only if
    // it is larger: take the larger of the two)
    if (sa && sb) bound += sa === sb ? this.sexEqual : sa & sb & BINARY ? c.sex.mismatch : 0;
    const ca = r[CITIZENSHIPS + a]!;
    const cb = r[CITIZENSHIPS + b]!;
    if (ca && cb) bound += ca & cb ? this.citizenshipShared : c.citizenship.mismatch;
    bound += this.slotsBound(a, b, DOCUMENTS, DOCUMENT_HASHES, this.docMax, this.docUnequalMax);
    bound += this.slotsBound(a, b, PHONES, PHONE_HASHES, this.phoneMax, c.phone.mismatch);
    return bound;
  }

  private slotsBound(a: number, b: number, count: number, hashes: number, max: number, unequal: number): number {
    const r = this.rows;
    const na = r[count + a]!;
    const nb = r[count + b]!;
    if (!na || !nb) return 0;
    if ((na | nb) & OVERFLOW) return max;
    for (let x = 0; x < na; x++) for (let y = 0; y < nb; y++) if (r[hashes + x + a] === r[hashes + y + b]) return max;
    return unequal;
  }
}
