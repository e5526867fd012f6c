/**
 * k-anonymous export of de-identified individual records (HTCDS/CTDC shape).
 *
 * The quasi-identifiers (sex, age, citizenship, country of exploitation, year, form of exploitation)
 * are generalised along hierarchies that are data (DEFAULT_HIERARCHIES): age → CTDC band →
 * child/adult → unknown; date → year → unknown; country → UN M49 sub-region → unknown; HTCDS form →
 * GLOTIP category → unknown; sex → unknown. Recoding is global (one level per attribute for the
 * whole export, so every record of an export speaks the same vocabulary, as CTDC's does).
 *
 * anonymiseRecords() walks the whole lattice of level vectors, keeps those for which suppressing the
 * records left in classes smaller than k stays within maxSuppression, and takes the one with the
 * least information loss (sum over attributes of level / height; ties: fewer records suppressed,
 * then the lexicographically lowest vector). The top of the lattice — everything 'unknown' — is one
 * class of all records, so a solution exists whenever there are at least k records. The records still
 * in classes smaller than k are then suppressed (dropped) and everything is reported.
 *
 * What k-anonymity does not do: it does not stop attribute disclosure when a whole class shares a
 * sensitive value (l-diversity), and it only covers the attributes declared quasi-identifiers. The
 * export must contain nothing but quasi-identifiers and coarse, non-identifying attributes.
 */
import { CTDC_AGE_BANDS } from '../case/case.enums.ts';
import { CHILD_ADULT_BY_AGE_BAND, GLOTIP_BY_HTCDS, GLOTIP_FORMS } from './config.ts';
import { M49_FALLBACK, M49_SUBREGION_BY_COUNTRY } from './regions.ts';
import { dimensionValue, type TStatRecord, UNKNOWN_VALUE } from './table.ts';

/** One generalisation step, as data: maps a value of level i to a value of level i + 1. */
export type TGeneralisationStep =
  /** A number → the label of the first band whose max it does not exceed, else `above`. */
  | {
      readonly kind: 'bands';
      readonly bands: readonly { readonly max: number; readonly label: string }[];
      readonly above: string;
    }
  /** A lookup; values not in the map become `fallback`. */
  | { readonly kind: 'map'; readonly map: Readonly<Record<string, string>>; readonly fallback: string }
  /** The first `length` characters (an ISO date → its year). */
  | { readonly kind: 'prefix'; readonly length: number }
  /** Everything becomes `value` (full suppression of the attribute). */
  | { readonly kind: 'constant'; readonly value: string };

/** Level 0 is the value as recorded; step i produces level i + 1. */
export type THierarchy = readonly TGeneralisationStep[];

const CTDC_BAND_MAX = [8, 17, 20, 23, 26, 29, 38, 47];
const TO_UNKNOWN: TGeneralisationStep = { kind: 'constant', value: UNKNOWN_VALUE };
const identity = (values: readonly string[]) => Object.fromEntries(values.map((v) => [v, v]));

export const DEFAULT_HIERARCHIES: Readonly<Record<string, THierarchy>> = {
  sex: [TO_UNKNOWN],
  /** Exact age in years. */
  age: [
    {
      kind: 'bands',
      bands: CTDC_BAND_MAX.map((max, i) => ({ max, label: CTDC_AGE_BANDS[i]! })),
      above: CTDC_AGE_BANDS[CTDC_AGE_BANDS.length - 1]!,
    },
    { kind: 'map', map: CHILD_ADULT_BY_AGE_BAND, fallback: UNKNOWN_VALUE },
    TO_UNKNOWN,
  ],
  /** A CTDC age band (ageBandOn). */
  ageBand: [{ kind: 'map', map: CHILD_ADULT_BY_AGE_BAND, fallback: UNKNOWN_VALUE }, TO_UNKNOWN],
  citizenship: [{ kind: 'map', map: M49_SUBREGION_BY_COUNTRY, fallback: M49_FALLBACK }, TO_UNKNOWN],
  countryOfExploitation: [{ kind: 'map', map: M49_SUBREGION_BY_COUNTRY, fallback: M49_FALLBACK }, TO_UNKNOWN],
  /** An ISO date (e.g. of identification). */
  date: [{ kind: 'prefix', length: 4 }, TO_UNKNOWN],
  year: [TO_UNKNOWN],
  /** An HTCDS form (or already a GLOTIP category, 'mixed' included). */
  exploitation: [
    { kind: 'map', map: { ...identity(GLOTIP_FORMS), ...GLOTIP_BY_HTCDS }, fallback: 'other' },
    TO_UNKNOWN,
  ],
};

export function generaliseStep(value: string, step: TGeneralisationStep): string {
  if (step.kind === 'constant') return step.value;
  if (value === UNKNOWN_VALUE) return UNKNOWN_VALUE;
  switch (step.kind) {
    case 'bands': {
      const n = Number(value);
      if (!Number.isFinite(n)) return UNKNOWN_VALUE;
      return step.bands.find((b) => n <= b.max)?.label ?? step.above;
    }
    case 'map':
      return step.map[value] ?? step.fallback;
    case 'prefix':
      return value.slice(0, step.length);
  }
}

/** The value generalised to `level` (0 = as recorded). */
export function generalise(value: string, hierarchy: THierarchy, level: number): string {
  let v = value;
  for (let i = 0; i < level; i++) v = generaliseStep(v, hierarchy[i]!);
  return v;
}

export interface TAnonymiseOptions {
  /** Largest share of records that may be suppressed (default 0.05). */
  readonly maxSuppression?: number;
}

export interface TAnonymiseReport {
  readonly k: number;
  /** Generalisation level per quasi-identifier (0 = as recorded) and the hierarchy's height. */
  readonly levels: Readonly<Record<string, { readonly level: number; readonly height: number }>>;
  /** Sum over attributes of level / height (0 = nothing generalised). */
  readonly informationLoss: number;
  readonly recordsIn: number;
  readonly recordsSuppressed: number;
  readonly suppressionRate: number;
  readonly maxSuppression: number;
  /** False only when fewer than k records exist at all (then everything is suppressed). */
  readonly withinMaxSuppression: boolean;
  /** Equivalence classes in the output and the smallest one (0 when the output is empty). */
  readonly equivalenceClasses: number;
  readonly minClassSize: number;
  readonly latticeNodesEvaluated: number;
}

export interface TAnonymiseResult<T extends TStatRecord> {
  readonly records: T[];
  readonly report: TAnonymiseReport;
}

/**
 * Global-recoding k-anonymity: the least generalisation (in information loss) for which suppressing
 * the records of classes smaller than k stays within maxSuppression; then those records are dropped.
 * Every equivalence class of the output has at least k records.
 */
export function anonymiseRecords<T extends TStatRecord>(
  records: readonly T[],
  quasiIdentifiers: readonly string[],
  k: number,
  hierarchy: Readonly<Record<string, THierarchy>> = DEFAULT_HIERARCHIES,
  options: TAnonymiseOptions = {},
): TAnonymiseResult<T> {
  const out = anonymiseGroups(
    records.map((record) => ({ record, n: 1 })),
    quasiIdentifiers,
    k,
    hierarchy,
    options,
  );
  return { records: out.groups.map((g) => g.record), report: out.report };
}

/** `n` records with the same values (counted in the database instead of sent one by one). */
export interface TWeightedRecord<T extends TStatRecord> {
  readonly record: T;
  readonly n: number;
}

/**
 * anonymiseRecords on records already counted: the same choice of generalisation and the same
 * suppression as on the records the groups stand for (records with equal quasi-identifiers always
 * share a class), reported in records, not groups. Returns the kept groups, generalised.
 */
export function anonymiseGroups<T extends TStatRecord>(
  groups: readonly TWeightedRecord<T>[],
  quasiIdentifiers: readonly string[],
  k: number,
  hierarchy: Readonly<Record<string, THierarchy>> = DEFAULT_HIERARCHIES,
  options: TAnonymiseOptions = {},
): { groups: TWeightedRecord<T>[]; report: TAnonymiseReport } {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  const maxSuppression = options.maxSuppression ?? 0.05;
  const heights = quasiIdentifiers.map((q) => {
    const h = hierarchy[q];
    if (!h) throw new Error(`no generalisation hierarchy for quasi-identifier '${q}'`);
    return h.length;
  });
  const hierarchies = quasiIdentifiers.map((q) => hierarchy[q]!);
  const G = groups.length;
  const weights = groups.map((g) => g.n);
  const total = weights.reduce((a, b) => a + b, 0);
  // values[a][level][group]: every generalisation precomputed once; codes[a][level][group] numbers
  // the distinct values of a level so a class is one number (mixed radix) instead of a joined string.
  const values = hierarchies.map((h, a) => {
    const levels: string[][] = [groups.map((g) => dimensionValue(g.record, quasiIdentifiers[a]!))];
    for (let l = 0; l < h.length; l++) levels.push(levels[l]!.map((v) => generaliseStep(v, h[l]!)));
    return levels;
  });
  const codes = values.map((levels) =>
    levels.map((vs) => {
      const ids = new Map<string, number>();
      const out = new Float64Array(vs.length);
      vs.forEach((v, i) => {
        let id = ids.get(v);
        if (id === undefined) {
          id = ids.size;
          ids.set(v, id);
        }
        out[i] = id;
      });
      return { out, size: Math.max(1, ids.size) };
    }),
  );
  const classesAt = (node: readonly number[]) => {
    // Mixed-radix class numbers; fall back to strings if the product of radices is not exact.
    let radix = 1;
    for (let a = 0; a < node.length; a++) radix *= codes[a]![node[a]!]!.size;
    const exact = radix < Number.MAX_SAFE_INTEGER;
    const classOf = new Array<number | string>(G);
    const sizes = new Map<number | string, number>();
    for (let i = 0; i < G; i++) {
      let key: number | string;
      if (exact) {
        let c = 0;
        for (let a = 0; a < node.length; a++) {
          const code = codes[a]![node[a]!]!;
          c = c * code.size + code.out[i]!;
        }
        key = c;
      } else key = node.map((l, a) => values[a]![l]![i]!).join('\u0001');
      classOf[i] = key;
      sizes.set(key, (sizes.get(key) ?? 0) + weights[i]!);
    }
    return { classOf, sizes };
  };
  const lossOf = (node: readonly number[]) =>
    node.reduce((sum, l, a) => sum + (heights[a] === 0 ? 0 : l / heights[a]!), 0);

  // Enumerate the lattice.
  const nodes: number[][] = [[]];
  for (const h of heights) {
    const next: number[][] = [];
    for (const n of nodes) for (let l = 0; l <= h; l++) next.push([...n, l]);
    nodes.splice(0, nodes.length, ...next);
  }
  const allowed = Math.floor(maxSuppression * total + 1e-9);
  let best: { node: number[]; loss: number; suppressed: number } | null = null;
  for (const node of nodes) {
    const loss = lossOf(node);
    if (best && loss > best.loss + 1e-12) continue;
    let suppressed = 0;
    for (const size of classesAt(node).sizes.values()) if (size < k) suppressed += size;
    if (suppressed > allowed) continue;
    if (
      !best ||
      loss < best.loss - 1e-12 ||
      suppressed < best.suppressed ||
      (suppressed === best.suppressed && node.join() < best.node.join())
    ) {
      best = { node, loss, suppressed };
    }
  }
  const top = heights.slice();
  const chosen = best?.node ?? top;
  const { classOf, sizes } = classesAt(chosen);
  let classes = 0;
  let minClassSize = 0;
  for (const size of sizes.values()) {
    if (size < k) continue;
    classes++;
    minClassSize = minClassSize === 0 ? size : Math.min(minClassSize, size);
  }
  const out: TWeightedRecord<T>[] = [];
  let kept = 0;
  groups.forEach((g, i) => {
    if (g.n <= 0 || sizes.get(classOf[i]!)! < k) return;
    const r = g.record;
    const copy: Record<string, unknown> = { ...r };
    quasiIdentifiers.forEach((q, a) => {
      const original = r[q];
      // Level 0 keeps the recorded value (and its type); missing values read 'unknown' everywhere.
      copy[q] =
        chosen[a] === 0 && original !== null && original !== undefined && original !== ''
          ? original
          : values[a]![chosen[a]!]![i]!;
    });
    out.push({ record: copy as T, n: g.n });
    kept += g.n;
  });
  const recordsSuppressed = total - kept;
  return {
    groups: out,
    report: {
      k,
      levels: Object.fromEntries(quasiIdentifiers.map((q, a) => [q, { level: chosen[a]!, height: heights[a]! }])),
      informationLoss: lossOf(chosen),
      recordsIn: total,
      recordsSuppressed,
      suppressionRate: total === 0 ? 0 : recordsSuppressed / total,
      maxSuppression,
      withinMaxSuppression: recordsSuppressed <= allowed,
      equivalenceClasses: classes,
      minClassSize,
      latticeNodesEvaluated: nodes.length,
    },
  };
}
