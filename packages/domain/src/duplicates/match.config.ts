import { z } from 'zod';

const bits = z.number().min(-64).max(64);
const unit = z.number().min(0).max(1);

/**
 * Weights and thresholds of the duplicate-person matcher (issue 8), as data (ARCHITECTURE.md
 * principle 2). The model is Fellegi–Sunter style: every field contributes a weight in bits
 * (log2 of m/u, the odds that the observed agreement comes from the same person rather than from
 * two people); the sum plus `priorBits` is turned into a score in 0..1 by the logistic function
 * 1 / (1 + 2^-sum), and the score is banded by `thresholds`. A missing field contributes 0.
 */
export const ZMatchConfig = z
  .object({
    /** Identifies the weights used for a stored decision (bump on every change). */
    version: z.string().min(1).max(40),
    /** log2 prior odds that two blocked candidates are the same person. */
    priorBits: bits,
    thresholds: z.object({ likely: unit, possible: unit }),
    names: z.object({
      /** Similarity of two tokens whose skeletons differ but whose phonetic keys agree. */
      phoneticTokenSimilarity: unit,
      /** Share of Jaro–Winkler in the edit similarity of two tokens (the rest is 1 − DL/length). */
      jaroWinklerShare: unit,
      /** Edit similarities below this count as no agreement at all. */
      editFloor: unit,
      /** Similarity of a male and a female form of one surname (Ахметов / Ахметова): never a full match. */
      genderedFormSimilarity: unit,
      /** Name similarity at or above which the names match. */
      matchAt: unit,
      /** Name similarity at or above which the names partly agree (weight interpolated up to `matchAt`). */
      partialAt: unit,
      /**
       * Weights: `subset` when every part of the shorter name matches and the longer one has more
       * parts (a family or given name missing on one side).
       */
      weights: z.object({ match: bits, partialLow: bits, partialHigh: bits, subset: bits, mismatch: bits }),
      /** Added when both records carry a patronymic: same father's name, or a different one. */
      patronymic: z.object({ match: bits, mismatch: bits }),
    }),
    birthDate: z.object({
      exact: bits,
      /** Same year, day and month swapped (04/11 ↔ 11/04). */
      dayMonthSwapped: bits,
      /** One side knows only the year, and it is the same. */
      yearOnly: bits,
      /** Same day and month, year one off. */
      oneYearOff: bits,
      /** A year-only side one year off. */
      yearOnlyOneYearOff: bits,
      /** An estimated age range overlaps the other side's date, year or range. */
      rangeOverlap: bits,
      /** Both exact, same year, different day or month (and not swapped). */
      sameYearOnly: bits,
      mismatch: bits,
      /** Mismatch involving an age-range estimate (estimates are wrong more often than dates). */
      rangeMismatch: bits,
    }),
    sex: z.object({ match: bits, mismatch: bits }),
    citizenship: z.object({ match: bits, mismatch: bits }),
    document: z.object({
      match: bits,
      /** Same type, one edit apart (typo in the number). */
      nearMatch: bits,
      /** Different number for the same document type and issuing country. */
      mismatch: bits,
      /** Different number for the same type where an issuing country is unknown on a side. */
      mismatchCountryUnknown: bits,
      /** Normalised numbers shorter than this are ignored (too easy to share by chance). */
      minLength: z.number().int().min(1).max(20),
    }),
    phone: z.object({
      match: bits,
      /** Both sides have phones and none agree (people change SIM cards often: weak). */
      mismatch: bits,
      minDigits: z.number().int().min(4).max(15),
    }),
  })
  .superRefine((c, ctx) => {
    if (c.thresholds.likely < c.thresholds.possible)
      ctx.addIssue({ code: 'custom', path: ['thresholds', 'likely'], message: 'likely < possible' });
    if (c.names.matchAt < c.names.partialAt)
      ctx.addIssue({ code: 'custom', path: ['names', 'matchAt'], message: 'matchAt < partialAt' });
  });
export type TMatchConfig = z.infer<typeof ZMatchConfig>;

/**
 * Default weights, tuned on the synthetic benchmark (bench/duplicates, docs/benchmarks.md):
 * two full names plus an exact birth date make a likely match; a name with a year only makes a
 * possible one; a different sex, a different passport or a different date pull a same-name pair
 * down.
 */
export const DEFAULT_MATCH_CONFIG: TMatchConfig = ZMatchConfig.parse({
  version: '2026-12-01',
  priorBits: -8,
  thresholds: { likely: 0.95, possible: 0.8 },
  names: {
    phoneticTokenSimilarity: 0.9,
    jaroWinklerShare: 0.5,
    editFloor: 0.75,
    genderedFormSimilarity: 0.5,
    matchAt: 0.95,
    partialAt: 0.75,
    weights: { match: 9, partialLow: 0, partialHigh: 8, subset: 4, mismatch: -6 },
    patronymic: { match: 1.5, mismatch: -4 },
  },
  birthDate: {
    exact: 6,
    dayMonthSwapped: 4,
    yearOnly: 1.5,
    oneYearOff: 4,
    yearOnlyOneYearOff: 0.5,
    rangeOverlap: 1,
    sameYearOnly: -2,
    mismatch: -7,
    rangeMismatch: -3,
  },
  sex: { match: 0.3, mismatch: -10 },
  citizenship: { match: 0.5, mismatch: -2 },
  document: { match: 10, nearMatch: 4, mismatch: -7, mismatchCountryUnknown: -3, minLength: 5 },
  phone: { match: 7, mismatch: -0.5, minDigits: 7 },
});
