import { z } from 'zod';
import type { TMatchConfig } from './match.config.ts';
import { compareNames, nameSimilarity } from './match.names.ts';
import {
  type TMatchBirth,
  type TMatchName,
  type TMatchPerson,
  type TPreparedPerson,
  prepareForMatching,
} from './match.prepare.ts';
import { editSimilarity, isOneEditApart } from './match.similarity.ts';

export const MATCH_FIELDS = ['names', 'birthDate', 'sex', 'citizenship', 'document', 'phone'] as const;
export const MATCH_AGREEMENTS = ['match', 'partial', 'mismatch', 'missing'] as const;
export const MATCH_BANDS = ['likely', 'possible', 'none'] as const;

/** One field's part in a score: how it agreed, its weight in bits, and why (no personal data in `detail`). */
export const ZFieldComparison = z.object({
  field: z.enum(MATCH_FIELDS),
  agreement: z.enum(MATCH_AGREEMENTS),
  weight: z.number(),
  detail: z.string(),
});
export type TFieldComparison = z.infer<typeof ZFieldComparison>;

/** An explainable match score of two persons. */
export const ZMatchResult = z.object({
  score: z.number().min(0).max(1),
  band: z.enum(MATCH_BANDS),
  fields: z.array(ZFieldComparison),
  configVersion: z.string(),
});
export type TMatchResult = z.infer<typeof ZMatchResult>;
export type TMatchBand = (typeof MATCH_BANDS)[number];

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const f2 = (x: number) => x.toFixed(2);

type Part = Omit<TFieldComparison, 'field'>;
const missing = (detail: string): Part => ({ agreement: 'missing', weight: 0, detail });

/** Edit similarity of two patronymic stems (few distinct ones: fathers' names), remembered. */
const patronymicMemo = new Map<string, number>();
function patronymicSimilarity(a: string, b: string, jaroWinklerShare: number): number {
  const key = `${a}|${b}|${jaroWinklerShare}`;
  let hit = patronymicMemo.get(key);
  if (hit === undefined) {
    hit = editSimilarity(a, b, jaroWinklerShare);
    if (patronymicMemo.size >= 100_000) patronymicMemo.clear();
    patronymicMemo.set(key, hit);
  }
  return hit;
}

type TPatronymicAgreement = 'match' | 'similar' | 'differs' | 'one side' | null;

/** Agreement and weight of one pair of names from their similarity (shared by the explained and the fast score). */
function weighNames(
  similarity: number,
  subset: boolean,
  x: TMatchName,
  y: TMatchName,
  c: TMatchConfig['names'],
): { agreement: TFieldComparison['agreement']; weight: number; patronymic: TPatronymicAgreement } {
  let agreement: TFieldComparison['agreement'];
  let weight: number;
  if (similarity >= c.matchAt) {
    agreement = 'match';
    weight = c.weights.match;
  } else if (subset && c.weights.subset >= c.weights.mismatch) {
    agreement = 'partial';
    weight = c.weights.subset;
  } else if (similarity >= c.partialAt) {
    agreement = 'partial';
    const t = c.matchAt > c.partialAt ? (similarity - c.partialAt) / (c.matchAt - c.partialAt) : 1;
    weight = c.weights.partialLow + t * (c.weights.partialHigh - c.weights.partialLow);
  } else {
    agreement = 'mismatch';
    weight = c.weights.mismatch;
  }
  let patronymic: TPatronymicAgreement = null;
  if (x.patronymic && y.patronymic) {
    if (x.patronymic === y.patronymic) {
      weight += c.patronymic.match;
      patronymic = 'match';
    } else if (patronymicSimilarity(x.patronymic, y.patronymic, c.jaroWinklerShare) >= c.matchAt - 0.1) {
      patronymic = 'similar';
    } else {
      weight += c.patronymic.mismatch;
      patronymic = 'differs';
    }
  } else if (x.patronymic || y.patronymic) patronymic = 'one side';
  return { agreement, weight: round(weight), patronymic };
}

const PATRONYMIC_NOTES: Record<Exclude<TPatronymicAgreement, null>, string> = {
  match: 'patronymic agrees',
  similar: 'patronymic similar',
  differs: 'patronymic differs',
  'one side': 'patronymic on one side only',
};

function scoreNames(a: TPreparedPerson, b: TPreparedPerson, config: TMatchConfig): Part {
  const c = config.names;
  if (!a.names.length || !b.names.length) return missing('no name on one side');
  let best: Part | null = null;
  let bestSim = -1;
  for (const x of a.names)
    for (const y of b.names) {
      const cmp = compareNames(x, y, c);
      const { agreement, weight, patronymic } = weighNames(cmp.similarity, cmp.subset, x, y, c);
      const notes = [
        `similarity ${f2(cmp.similarity)} (token-set ${f2(cmp.tokenSet)}, phonetic ${f2(cmp.phonetic)}, edit ${f2(cmp.edit)})`,
      ];
      if (cmp.genderedForm) notes.push('male and female form of a surname');
      if (cmp.joined) notes.push('compound name joined on one side');
      if (cmp.subset && agreement !== 'match') notes.push('a name part missing on one side');
      if (patronymic) notes.push(PATRONYMIC_NOTES[patronymic]);
      const part: Part = { agreement, weight, detail: notes.join('; ') };
      // ties broken on weight, then detail, so that the result does not depend on the argument order
      if (
        !best ||
        cmp.similarity > bestSim + 1e-9 ||
        (Math.abs(cmp.similarity - bestSim) <= 1e-9 &&
          (part.weight > best.weight || (part.weight === best.weight && part.detail < best.detail)))
      ) {
        best = part;
        bestSim = cmp.similarity;
      }
    }
  return best!;
}

/** The weight {@link scoreNames} gives, without the explanation. */
function namesWeight(a: TPreparedPerson, b: TPreparedPerson, c: TMatchConfig['names']): number {
  if (!a.names.length || !b.names.length) return 0;
  let best = Number.NaN;
  let bestSim = -1;
  for (const x of a.names)
    for (const y of b.names) {
      const cmp = nameSimilarity(x, y, c);
      const { weight } = weighNames(cmp.similarity, cmp.subset, x, y, c);
      if (
        Number.isNaN(best) ||
        cmp.similarity > bestSim + 1e-9 ||
        (Math.abs(cmp.similarity - bestSim) <= 1e-9 && weight > best)
      ) {
        best = weight;
        bestSim = cmp.similarity;
      }
    }
  return best;
}

type TBirthOutcome =
  | 'unknown'
  | 'rangeOverlap'
  | 'rangeMismatch'
  | 'exact'
  | 'dayMonthSwapped'
  | 'oneYearOff'
  | 'sameYearOnly'
  | 'differentDate'
  | 'yearOnly'
  | 'yearOnlyOneYearOff'
  | 'differentYear';

/** Birth kinds as numbers (compact features: match.features.ts). */
export const BIRTH_KIND = { unknown: 0, exact: 1, year: 2, range: 3 } as const;

/**
 * A birth date as three numbers: kind | month << 2 | day << 6 (month and day of an exact date),
 * and the first and last birth year it allows (the year of an exact or year-only date).
 */
export function birthNumbers(b: TMatchBirth): [code: number, lo: number, hi: number] {
  switch (b.kind) {
    case 'exact':
      return [BIRTH_KIND.exact | (b.m << 2) | (b.d << 6), b.y, b.y];
    case 'year':
      return [BIRTH_KIND.year, b.y, b.y];
    case 'range':
      return [BIRTH_KIND.range, b.lo, b.hi];
    default:
      return [BIRTH_KIND.unknown, 0, 0];
  }
}

/** How two birth dates compare, on their numbers (see {@link birthNumbers}). */
function birthOutcomeOf(ca: number, loa: number, hia: number, cb: number, lob: number, hib: number): TBirthOutcome {
  const [ka, kb] = [ca & 3, cb & 3];
  if (ka === BIRTH_KIND.unknown || kb === BIRTH_KIND.unknown) return 'unknown';
  if (ka === BIRTH_KIND.range || kb === BIRTH_KIND.range)
    return loa <= hib && lob <= hia ? 'rangeOverlap' : 'rangeMismatch';
  if (ka === BIRTH_KIND.exact && kb === BIRTH_KIND.exact) {
    const [ma, da, mb, db] = [(ca >> 2) & 15, ca >> 6, (cb >> 2) & 15, cb >> 6];
    if (loa === lob && ma === mb && da === db) return 'exact';
    if (loa === lob && da === mb && ma === db) return 'dayMonthSwapped';
    if (ma === mb && da === db && Math.abs(loa - lob) === 1) return 'oneYearOff';
    if (loa === lob) return 'sameYearOnly';
    return 'differentDate';
  }
  const dy = Math.abs(loa - lob);
  if (dy === 0) return 'yearOnly';
  if (dy === 1) return 'yearOnlyOneYearOff';
  return 'differentYear';
}

/** {@link birthOutcomeOf} on the objects (no arrays built: the batch calls it for millions of pairs). */
function birthOutcome(a: TMatchBirth, b: TMatchBirth): TBirthOutcome {
  if (a.kind === 'unknown' || b.kind === 'unknown') return 'unknown';
  if (a.kind === 'range' || b.kind === 'range') {
    const [alo, ahi] = a.kind === 'range' ? [a.lo, a.hi] : [a.y, a.y];
    const [blo, bhi] = b.kind === 'range' ? [b.lo, b.hi] : [b.y, b.y];
    return alo <= bhi && blo <= ahi ? 'rangeOverlap' : 'rangeMismatch';
  }
  if (a.kind === 'exact' && b.kind === 'exact') {
    if (a.y === b.y && a.m === b.m && a.d === b.d) return 'exact';
    if (a.y === b.y && a.d === b.m && a.m === b.d) return 'dayMonthSwapped';
    if (a.m === b.m && a.d === b.d && Math.abs(a.y - b.y) === 1) return 'oneYearOff';
    if (a.y === b.y) return 'sameYearOnly';
    return 'differentDate';
  }
  const dy = Math.abs(a.y - b.y);
  if (dy === 0) return 'yearOnly';
  if (dy === 1) return 'yearOnlyOneYearOff';
  return 'differentYear';
}

type TBirthWeight = keyof TMatchConfig['birthDate'];
const BIRTH_OUTCOMES: Record<
  TBirthOutcome,
  { agreement: TFieldComparison['agreement']; weight: TBirthWeight | null; detail: string }
> = {
  unknown: { agreement: 'missing', weight: null, detail: 'birth date unknown on one side' },
  rangeOverlap: { agreement: 'partial', weight: 'rangeOverlap', detail: 'estimated age range overlaps' },
  rangeMismatch: { agreement: 'mismatch', weight: 'rangeMismatch', detail: 'outside the estimated age range' },
  exact: { agreement: 'match', weight: 'exact', detail: 'same date' },
  dayMonthSwapped: { agreement: 'partial', weight: 'dayMonthSwapped', detail: 'day/month swapped' },
  oneYearOff: { agreement: 'partial', weight: 'oneYearOff', detail: 'one year off' },
  sameYearOnly: { agreement: 'mismatch', weight: 'sameYearOnly', detail: 'same year, different day' },
  differentDate: { agreement: 'mismatch', weight: 'mismatch', detail: 'different date' },
  yearOnly: { agreement: 'partial', weight: 'yearOnly', detail: 'same year (year only)' },
  yearOnlyOneYearOff: { agreement: 'partial', weight: 'yearOnlyOneYearOff', detail: 'one year off (year only)' },
  differentYear: { agreement: 'mismatch', weight: 'mismatch', detail: 'different year' },
};

function scoreBirth(a: TMatchBirth, b: TMatchBirth, config: TMatchConfig): Part {
  const o = BIRTH_OUTCOMES[birthOutcome(a, b)];
  return o.weight
    ? { agreement: o.agreement, weight: config.birthDate[o.weight], detail: o.detail }
    : missing(o.detail);
}

function birthWeight(a: TMatchBirth, b: TMatchBirth, config: TMatchConfig): number {
  const w = BIRTH_OUTCOMES[birthOutcome(a, b)].weight;
  return w ? config.birthDate[w] : 0;
}

/** The birth date weight from the numbers of {@link birthNumbers} (compact features). */
export function birthWeightOf(
  ca: number,
  loa: number,
  hia: number,
  cb: number,
  lob: number,
  hib: number,
  config: TMatchConfig,
): number {
  const w = BIRTH_OUTCOMES[birthOutcomeOf(ca, loa, hia, cb, lob, hib)].weight;
  return w ? config.birthDate[w] : 0;
}

export const BINARY_SEX: ReadonlySet<string> = new Set(['Feminine', 'Masculine']);

function sexWeight(a: string | null, b: string | null, config: TMatchConfig): number {
  if (!a || !b) return 0;
  if (a === b) return config.sex.match;
  return BINARY_SEX.has(a) && BINARY_SEX.has(b) ? config.sex.mismatch : 0;
}

function scoreSex(a: string | null, b: string | null, config: TMatchConfig): Part {
  if (!a || !b) return missing('sex unknown on one side');
  if (a === b) return { agreement: 'match', weight: config.sex.match, detail: 'same' };
  if (BINARY_SEX.has(a) && BINARY_SEX.has(b))
    return { agreement: 'mismatch', weight: config.sex.mismatch, detail: 'different' };
  return { agreement: 'partial', weight: 0, detail: 'recorded differently (gender identity)' };
}

function scoreCitizenship(a: string[], b: string[], config: TMatchConfig): Part {
  if (!a.length || !b.length) return missing('citizenship unknown on one side');
  return a.some((x) => b.includes(x))
    ? { agreement: 'match', weight: config.citizenship.match, detail: 'a citizenship in common' }
    : { agreement: 'mismatch', weight: config.citizenship.mismatch, detail: 'no citizenship in common' };
}

function scoreDocuments(a: TPreparedPerson, b: TPreparedPerson, config: TMatchConfig): Part {
  const c = config.document;
  const da = a.documents.filter((d) => d.number.length >= c.minLength);
  const db = b.documents.filter((d) => d.number.length >= c.minLength);
  if (!da.length || !db.length) return missing('no document on one side');
  // every outcome names the smallest document type involved, so the detail does not depend on the argument order
  const first = (types: Set<string>) => [...types].sort()[0]!;
  const same = new Set<string>();
  const near = new Set<string>();
  const counter = new Set<string>();
  const counterUnknown = new Set<string>();
  for (const x of da)
    for (const y of db) {
      if (x.number === y.number) {
        same.add([x.type, y.type].sort()[0]!);
        continue;
      }
      if (x.type !== y.type) continue;
      if (x.number.length >= 6 && isOneEditApart(x.number, y.number)) near.add(x.type);
      else if (x.country && y.country && x.country === y.country) counter.add(x.type);
      else if (!x.country || !y.country) counterUnknown.add(x.type);
    }
  if (same.size) return { agreement: 'match', weight: c.match, detail: `same ${first(same)} number` };
  if (near.size)
    return { agreement: 'partial', weight: c.nearMatch, detail: `${first(near)} numbers one character apart` };
  if (counter.size)
    return { agreement: 'mismatch', weight: c.mismatch, detail: `different ${first(counter)} number, same country` };
  if (counterUnknown.size)
    return {
      agreement: 'mismatch',
      weight: c.mismatchCountryUnknown,
      detail: `different ${first(counterUnknown)} number`,
    };
  return missing('no document of the same type');
}

function scorePhones(a: string[], b: string[], config: TMatchConfig): Part {
  const c = config.phone;
  const pa = a.filter((x) => x.length >= c.minDigits);
  const pb = b.filter((x) => x.length >= c.minDigits);
  if (!pa.length || !pb.length) return missing('no phone on one side');
  return pa.some((x) => pb.includes(x))
    ? { agreement: 'match', weight: c.match, detail: 'same phone number' }
    : { agreement: 'mismatch', weight: c.mismatch, detail: 'different phone numbers' };
}

// Weights only, for matchScore: the same rules as the explained functions above, without building
// explanations (a batch scores millions of pairs; the tests compare both paths).

function citizenshipWeight(a: string[], b: string[], config: TMatchConfig): number {
  if (!a.length || !b.length) return 0;
  for (const x of a) if (b.includes(x)) return config.citizenship.match;
  return config.citizenship.mismatch;
}

function documentsWeight(a: TPreparedPerson, b: TPreparedPerson, config: TMatchConfig): number {
  const c = config.document;
  if (
    !a.documents.some((d) => d.number.length >= c.minLength) ||
    !b.documents.some((d) => d.number.length >= c.minLength)
  )
    return 0;
  let near = false;
  let counter = false;
  let counterUnknown = false;
  for (const x of a.documents) {
    if (x.number.length < c.minLength) continue;
    for (const y of b.documents) {
      if (y.number.length < c.minLength) continue;
      if (x.number === y.number) return c.match;
      if (x.type !== y.type) continue;
      if (x.number.length >= 6 && isOneEditApart(x.number, y.number)) near = true;
      else if (x.country && y.country && x.country === y.country) counter = true;
      else if (!x.country || !y.country) counterUnknown = true;
    }
  }
  if (near) return c.nearMatch;
  if (counter) return c.mismatch;
  if (counterUnknown) return c.mismatchCountryUnknown;
  return 0;
}

function phonesWeight(a: string[], b: string[], config: TMatchConfig): number {
  const c = config.phone;
  if (!a.some((x) => x.length >= c.minDigits) || !b.some((x) => x.length >= c.minDigits)) return 0;
  for (const x of a) if (x.length >= c.minDigits && b.includes(x)) return c.match;
  return c.mismatch;
}

/** Band of a score under the configured thresholds. */
export function bandOf(score: number, config: TMatchConfig): TMatchBand {
  if (score >= config.thresholds.likely) return 'likely';
  if (score >= config.thresholds.possible) return 'possible';
  return 'none';
}

/** Scores two prepared persons (see {@link scorePair}); use when one person is compared with many. */
export function scorePrepared(a: TPreparedPerson, b: TPreparedPerson, config: TMatchConfig): TMatchResult {
  const fields: TFieldComparison[] = [
    { field: 'names', ...scoreNames(a, b, config) },
    { field: 'birthDate', ...scoreBirth(a.birth, b.birth, config) },
    { field: 'sex', ...scoreSex(a.sex, b.sex, config) },
    { field: 'citizenship', ...scoreCitizenship(a.citizenships, b.citizenships, config) },
    { field: 'document', ...scoreDocuments(a, b, config) },
    { field: 'phone', ...scorePhones(a.phones, b.phones, config) },
  ];
  const total = config.priorBits + fields.reduce((s, f) => s + f.weight, 0);
  const score = round(1 / (1 + 2 ** -total), 4);
  return { score, band: bandOf(score, config), fields, configVersion: config.version };
}

/**
 * For {@link matchScore}'s early exit (and the batch's compact pre-filter): the sum of the other
 * fields' weights below which no name agreement can lift the score to `floor` (margins: a name
 * weight is rounded to 0.01 bits, the score to 4 digits).
 */
const exitBelow = new WeakMap<TMatchConfig, Map<number, number>>();
export function otherFieldsFloor(config: TMatchConfig, floor: number): number {
  let byFloor = exitBelow.get(config);
  if (!byFloor) {
    byFloor = new Map();
    exitBelow.set(config, byFloor);
  }
  let bits = byFloor.get(floor);
  if (bits === undefined) {
    const w = config.names.weights;
    const p = config.names.patronymic;
    // at least 0: a side without names weighs 0
    const maxNames =
      Math.max(
        0,
        Math.max(w.match, w.subset, w.partialLow, w.partialHigh, w.mismatch) + Math.max(0, p.match, p.mismatch),
      ) + 0.01;
    const f = floor - 1e-4;
    bits = f <= 0 ? Number.NEGATIVE_INFINITY : Math.log2(f / (1 - f)) - config.priorBits - maxNames - 1e-9;
    byFloor.set(floor, bits);
  }
  return bits;
}

/**
 * The score of {@link scorePrepared} without its explanation, for scoring many candidate pairs
 * (the batch): equal to `scorePrepared(a, b, config).score`, except that when `floor` is given
 * and the other fields already keep the score below it whatever the names say, it returns 0
 * without comparing the names. Explain the pairs that reach a band with {@link scorePrepared}.
 */
export function matchScore(a: TPreparedPerson, b: TPreparedPerson, config: TMatchConfig, floor = 0): number {
  const birth = birthWeight(a.birth, b.birth, config);
  const sex = sexWeight(a.sex, b.sex, config);
  const citizenship = citizenshipWeight(a.citizenships, b.citizenships, config);
  const document = documentsWeight(a, b, config);
  const phone = phonesWeight(a.phones, b.phones, config);
  if (floor > 0 && floor < 1 && birth + sex + citizenship + document + phone < otherFieldsFloor(config, floor))
    return 0;
  const names = namesWeight(a, b, config.names);
  const total = config.priorBits + (names + birth + sex + citizenship + document + phone);
  return round(1 / (1 + 2 ** -total), 4);
}

/** The summed weights of every field but the names (what {@link otherFieldsFloor} is compared with). */
export function otherFieldsWeight(a: TPreparedPerson, b: TPreparedPerson, config: TMatchConfig): number {
  return (
    birthWeight(a.birth, b.birth, config) +
    sexWeight(a.sex, b.sex, config) +
    citizenshipWeight(a.citizenships, b.citizenships, config) +
    documentsWeight(a, b, config) +
    phonesWeight(a.phones, b.phones, config)
  );
}

/**
 * Explainable match score of two persons (issue 8): every field says whether it agreed, partly
 * agreed, disagreed or was missing on a side, with its weight in bits and a reason. The score is
 * the logistic of the summed weights plus the prior, so the weights read as evidence: a shared
 * document number or phone is strong evidence; a different sex, or a different number of the same
 * document type and country, strong counter-evidence. Symmetric: scorePair(a, b) = scorePair(b, a).
 */
export function scorePair(a: TMatchPerson, b: TMatchPerson, config: TMatchConfig): TMatchResult {
  return scorePrepared(prepareForMatching(a), prepareForMatching(b), config);
}
