import { z } from 'zod';
import type { TMatchConfig } from './match.config.ts';
import { compareNames } from './match.names.ts';
import { type TMatchBirth, type TMatchPerson, type TPreparedPerson, prepareForMatching } from './match.prepare.ts';
import { damerauLevenshtein, editSimilarity } from './match.similarity.ts';

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

function scoreNames(a: TPreparedPerson, b: TPreparedPerson, config: TMatchConfig): Part {
  const c = config.names;
  if (!a.names.length || !b.names.length) return missing('no name on one side');
  let best: Part | null = null;
  let bestSim = -1;
  for (const x of a.names)
    for (const y of b.names) {
      const cmp = compareNames(x, y, c);
      let agreement: TFieldComparison['agreement'];
      let weight: number;
      if (cmp.similarity >= c.matchAt) {
        agreement = 'match';
        weight = c.weights.match;
      } else if (cmp.subset && c.weights.subset >= c.weights.mismatch) {
        agreement = 'partial';
        weight = c.weights.subset;
      } else if (cmp.similarity >= c.partialAt) {
        agreement = 'partial';
        const t = c.matchAt > c.partialAt ? (cmp.similarity - c.partialAt) / (c.matchAt - c.partialAt) : 1;
        weight = c.weights.partialLow + t * (c.weights.partialHigh - c.weights.partialLow);
      } else {
        agreement = 'mismatch';
        weight = c.weights.mismatch;
      }
      const notes = [
        `similarity ${f2(cmp.similarity)} (token-set ${f2(cmp.tokenSet)}, phonetic ${f2(cmp.phonetic)}, edit ${f2(cmp.edit)})`,
      ];
      if (cmp.genderedForm) notes.push('male and female form of a surname');
      if (cmp.joined) notes.push('compound name joined on one side');
      if (cmp.subset && agreement !== 'match') notes.push('a name part missing on one side');
      if (x.patronymic && y.patronymic) {
        if (x.patronymic === y.patronymic) {
          weight += c.patronymic.match;
          notes.push('patronymic agrees');
        } else if (editSimilarity(x.patronymic, y.patronymic, c.jaroWinklerShare) >= c.matchAt - 0.1) {
          notes.push('patronymic similar');
        } else {
          weight += c.patronymic.mismatch;
          notes.push('patronymic differs');
        }
      } else if (x.patronymic || y.patronymic) notes.push('patronymic on one side only');
      const part: Part = { agreement, weight: round(weight), detail: notes.join('; ') };
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

function yearsOf(b: TMatchBirth): [number, number] | null {
  switch (b.kind) {
    case 'exact':
    case 'year':
      return [b.y, b.y];
    case 'range':
      return [b.lo, b.hi];
    default:
      return null;
  }
}

function scoreBirth(a: TMatchBirth, b: TMatchBirth, config: TMatchConfig): Part {
  const c = config.birthDate;
  if (a.kind === 'unknown' || b.kind === 'unknown') return missing('birth date unknown on one side');
  if (a.kind === 'range' || b.kind === 'range') {
    const [alo, ahi] = yearsOf(a)!;
    const [blo, bhi] = yearsOf(b)!;
    return alo <= bhi && blo <= ahi
      ? { agreement: 'partial', weight: c.rangeOverlap, detail: 'estimated age range overlaps' }
      : { agreement: 'mismatch', weight: c.rangeMismatch, detail: 'outside the estimated age range' };
  }
  if (a.kind === 'exact' && b.kind === 'exact') {
    if (a.y === b.y && a.m === b.m && a.d === b.d) return { agreement: 'match', weight: c.exact, detail: 'same date' };
    if (a.y === b.y && a.d === b.m && a.m === b.d)
      return { agreement: 'partial', weight: c.dayMonthSwapped, detail: 'day/month swapped' };
    if (a.m === b.m && a.d === b.d && Math.abs(a.y - b.y) === 1)
      return { agreement: 'partial', weight: c.oneYearOff, detail: 'one year off' };
    if (a.y === b.y) return { agreement: 'mismatch', weight: c.sameYearOnly, detail: 'same year, different day' };
    return { agreement: 'mismatch', weight: c.mismatch, detail: 'different date' };
  }
  const dy = Math.abs(a.y - b.y);
  if (dy === 0) return { agreement: 'partial', weight: c.yearOnly, detail: 'same year (year only)' };
  if (dy === 1) return { agreement: 'partial', weight: c.yearOnlyOneYearOff, detail: 'one year off (year only)' };
  return { agreement: 'mismatch', weight: c.mismatch, detail: 'different year' };
}

const BINARY_SEX = new Set(['Feminine', 'Masculine']);

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
      if (x.number.length >= 6 && damerauLevenshtein(x.number, y.number) === 1) near.add(x.type);
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
 * Explainable match score of two persons (issue 8): every field says whether it agreed, partly
 * agreed, disagreed or was missing on a side, with its weight in bits and a reason. The score is
 * the logistic of the summed weights plus the prior, so the weights read as evidence: a shared
 * document number or phone is strong evidence; a different sex, or a different number of the same
 * document type and country, strong counter-evidence. Symmetric: scorePair(a, b) = scorePair(b, a).
 */
export function scorePair(a: TMatchPerson, b: TMatchPerson, config: TMatchConfig): TMatchResult {
  return scorePrepared(prepareForMatching(a), prepareForMatching(b), config);
}
