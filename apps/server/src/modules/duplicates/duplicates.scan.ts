import {
  batchKeysOf,
  MatchFeatures,
  matchScore,
  otherFieldsFloor,
  prepareForMatching,
  scorePrepared,
  type TFieldComparison,
  type TMatchConfig,
  type TMatchPerson,
  type TPreparedPerson,
} from '@opennrm/domain';
import type { Keys } from '../../crypto/keys.ts';
import { PersonCipher } from '../../crypto/person-crypto.ts';
import type { TPersonPii } from '../cases/persons.repository.ts';

/**
 * The compute side of the full batch (job `duplicates.scan`, see duplicates.batch.ts), free of
 * database access. Persons are numbered 0…n−1 in the order the batch reads them.
 *
 * 1. `decryptRows` (in worker threads when there are many persons): each person decrypted once,
 *    passed on as JSON.
 * 2. `ScanPersons.add`: prepare each person once, write its non-name fields as compact numbers
 *    (`MatchFeatures`), and hash its in-memory candidate keys (`batchKeysOf`: name pair, name
 *    token + exact birth date, document, phone — never stored) into numbers packed with the
 *    person's number.
 * 3. `buildBlocks`: sort the packed keys; persons with equal keys form a block (CSR arrays).
 * 4. `scoreBlocks`: every pair that shares a block is looked at once: first the compact bound of
 *    the other fields (pairs that cannot reach "possible" whatever their names stop there), then
 *    the exact score (`matchScore`), and pairs in a band are explained (`scorePrepared`).
 */

export interface TScanRow {
  person_id: string;
  data_key: string;
  pii: string;
  sex: string;
  citizenships: string[];
}

export interface TScanFlag {
  a: number;
  b: number;
  score: number;
  band: 'likely' | 'possible';
  fields: TFieldComparison[];
}

/** The candidate blocks as CSR arrays: block b holds members[blockStart[b] … blockStart[b+1]); person p is in personBlocks[personStart[p] … personStart[p+1]). */
export interface TScanBlocks {
  n: number;
  blockStart: Int32Array;
  members: Int32Array;
  personStart: Int32Array;
  personBlocks: Int32Array;
  skippedBlocks: number;
  largestBlock: number;
}

/** Bits of a packed key that hold the person number (the rest holds the key hash; 53 bits in all). */
export function personBitsFor(capacity: number): number {
  return Math.max(10, Math.ceil(Math.log2(capacity + 1)));
}

function fnv1a(s: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A key and a person number in one exactly representable double: the key's hash in the high bits
 * (two FNV-1a hashes, 53 − personBits bits), the person in the low ones. Sorting the doubles groups
 * persons by key. Two keys with one hash merge their blocks: more pairs are scored, none is lost.
 */
export function packKey(key: string, person: number, personBits: number): number {
  const keyBits = 53 - personBits;
  const high = Math.min(32, keyBits);
  const extra = keyBits - high;
  const hash =
    (fnv1a(key, 0x811c9dc5) % 2 ** high) * 2 ** extra + Math.floor(fnv1a(key, 0x01000193) / 2 ** (32 - extra));
  return hash * 2 ** personBits + person;
}

/** Decrypts a page of persons: the JSON of each one's `TMatchPerson` (identifiers plus sex and citizenships). */
export function decryptRows(keys: Keys, rows: TScanRow[]): string[] {
  return rows.map((r) => {
    const pii = PersonCipher.unwrap(keys, r.person_id, r.data_key).decrypt<TPersonPii>('persons.pii', r.pii);
    return JSON.stringify({ ...pii, sex: r.sex, citizenships: r.citizenships } satisfies TMatchPerson);
  });
}

/** The persons of one batch: prepared, their compact features, and their packed candidate keys. */
export class ScanPersons {
  readonly prepared: (TPreparedPerson | undefined)[];
  readonly features: MatchFeatures;
  private readonly packed: Float64Array[] = [];

  constructor(
    capacity: number,
    readonly personBits: number,
    config: TMatchConfig,
  ) {
    // filled, not `new Array(capacity)`: V8 keeps a large array made that way as a slow dictionary
    this.prepared = Array.from({ length: capacity });
    this.features = new MatchFeatures(capacity, config);
  }

  /** Prepares decrypted persons (JSON from {@link decryptRows}) numbered from `first`. */
  add(first: number, persons: readonly string[]): void {
    const packed: number[] = [];
    persons.forEach((json, k) => {
      const i = first + k;
      const p = prepareForMatching(JSON.parse(json) as TMatchPerson);
      this.prepared[i] = p;
      this.features.set(i, p);
      for (const key of batchKeysOf(p)) packed.push(packKey(key, i, this.personBits));
    });
    this.packed.push(Float64Array.from(packed));
  }

  /** The blocks of the keys added so far (see {@link buildBlocks}). */
  blocks(n: number, maxBlock: number): TScanBlocks {
    return buildBlocks(this.packed.splice(0), n, this.personBits, maxBlock);
  }
}

/**
 * Groups the packed keys into blocks of at least two persons. A block of more than `maxBlock`
 * persons is skipped (counted in `skippedBlocks`): too common to discriminate, and its pairs
 * would cost as much as the rest together; its members still meet on their other keys.
 */
export function buildBlocks(parts: Float64Array[], n: number, personBits: number, maxBlock: number): TScanBlocks {
  let total = 0;
  for (const p of parts) total += p.length;
  const all = new Float64Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  all.sort();
  const scale = 2 ** personBits;
  const keyOf = (v: number) => Math.floor(v / scale);
  /** Calls `fn` for each run of equal keys in `all`: from, to (exclusive), key. */
  const runs = (fn: (from: number, to: number, key: number) => void) => {
    for (let i = 0; i < total; ) {
      const key = keyOf(all[i]!);
      let j = i + 1;
      while (j < total && keyOf(all[j]!) === key) j++;
      fn(i, j, key);
      i = j;
    }
  };
  // first pass: sizes of the kept blocks
  let blocks = 0;
  let kept = 0;
  let skippedBlocks = 0;
  let largestBlock = 0;
  runs((from, to) => {
    const size = to - from;
    if (size < 2) return;
    if (size > maxBlock) skippedBlocks++;
    else {
      blocks++;
      kept += size;
      largestBlock = Math.max(largestBlock, size);
    }
  });
  const blockStart = new Int32Array(blocks + 1);
  const members = new Int32Array(kept);
  const count = new Int32Array(n + 1);
  let b = 0;
  let m = 0;
  runs((from, to, key) => {
    const size = to - from;
    if (size < 2 || size > maxBlock) return;
    blockStart[b++] = m;
    for (let x = from; x < to; x++) {
      const person = all[x]! - key * scale;
      members[m++] = person;
      count[person + 1]!++;
    }
  });
  blockStart[blocks] = m;
  const personStart = new Int32Array(n + 1);
  for (let p = 0; p < n; p++) personStart[p + 1] = personStart[p]! + count[p + 1]!;
  const personBlocks = new Int32Array(kept);
  const fill = personStart.slice(0, n);
  for (let blk = 0; blk < blocks; blk++)
    for (let x = blockStart[blk]!; x < blockStart[blk + 1]!; x++) {
      const person = members[x]!;
      personBlocks[fill[person]!++] = blk;
    }
  return { n, blockStart, members, personStart, personBlocks, skippedBlocks, largestBlock };
}

/**
 * Scores every pair of persons sharing a block, each pair once. Returns the number of pairs looked
 * at, how many passed the compact bound and were scored exactly, and those in a band, explained.
 */
export function scoreBlocks(
  persons: Pick<ScanPersons, 'prepared' | 'features'>,
  blocks: TScanBlocks,
  config: TMatchConfig,
): { pairs: number; scored: number; flagged: TScanFlag[] } {
  const { n, blockStart, members, personStart, personBlocks } = blocks;
  const { prepared, features } = persons;
  const seen = new Int32Array(n);
  const floor = config.thresholds.possible;
  const below = otherFieldsFloor(config, floor);
  const flagged: TScanFlag[] = [];
  let pairs = 0;
  let scored = 0;
  for (let p = 0; p < n; p++) {
    for (let j = personStart[p]!; j < personStart[p + 1]!; j++) {
      const blk = personBlocks[j]!;
      for (let k = blockStart[blk]!; k < blockStart[blk + 1]!; k++) {
        const q = members[k]!;
        if (q <= p || seen[q] === p + 1) continue;
        seen[q] = p + 1;
        pairs++;
        // the other fields must leave room for the names to reach the floor
        if (features.otherFieldsBound(p, q) < below) continue;
        scored++;
        const x = prepared[p]!;
        const y = prepared[q]!;
        if (matchScore(x, y, config, floor) < floor) continue;
        const r = scorePrepared(x, y, config);
        if (r.band !== 'none') flagged.push({ a: p, b: q, score: r.score, band: r.band, fields: r.fields });
      }
    }
  }
  return { pairs, scored, flagged };
}
