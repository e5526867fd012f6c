import {
  batchKeysOf,
  blockingKeysOf,
  DEFAULT_MATCH_CONFIG,
  prepareForMatching,
  scorePrepared,
  type TMatchBand,
  type TMatchConfig,
  type TPreparedPerson,
} from '@opennrm/domain';
import { DUPLICATE_KINDS, generateBench, NON_DUPLICATE_KINDS, type TBenchOptions } from './generate.ts';

export const DEFAULT_BENCH_OPTIONS: TBenchOptions = {
  seed: 20261201,
  population: 20_000,
  duplicatesPerKind: 200,
  nonDuplicatesPerKind: 600,
};

interface Tally {
  pairs: number;
  blocked: number;
  likely: number;
  possible: number;
}

export interface TDuplicatesBenchResult {
  summary: Record<string, string | number>;
  table: string;
}

const pct = (x: number, n: number) => (n ? `${((100 * x) / n).toFixed(1)} %` : '–');
const ratio = (x: number, n: number) => (n ? (x / n).toFixed(3) : '–');

/** The records (by index) of each blocking key. */
export function blocksOf(
  prepared: readonly TPreparedPerson[],
  keysOf: (p: TPreparedPerson) => readonly string[],
): Map<string, number[]> {
  const blocks = new Map<string, number[]>();
  prepared.forEach((p, i) => {
    for (const k of keysOf(p)) {
      const list = blocks.get(k);
      if (list) list.push(i);
      else blocks.set(k, [i]);
    }
  });
  return blocks;
}

/**
 * Runs blocking (plaintext keys standing in for the server's HMACs: same equality semantics) and
 * scoring over the labelled synthetic population; returns precision and recall per variant kind.
 */
export function evaluateDuplicates(
  options: TBenchOptions = DEFAULT_BENCH_OPTIONS,
  config: TMatchConfig = DEFAULT_MATCH_CONFIG,
): TDuplicatesBenchResult {
  const t0 = performance.now();
  const records = generateBench(options);
  const tGen = performance.now();
  const prepared = records.map((r) => prepareForMatching(r.person));
  const blocks = blocksOf(prepared, blockingKeysOf);
  const n = records.length;
  const pairsOf = (byKey: Map<string, number[]>) => {
    const pairs = new Set<number>();
    for (const list of byKey.values())
      for (let x = 0; x < list.length; x++)
        for (let y = x + 1; y < list.length; y++) pairs.add(list[x]! * n + list[y]!);
    return pairs;
  };
  const candidates = pairsOf(blocks);
  let largestBlock = 0;
  for (const list of blocks.values()) largestBlock = Math.max(largestBlock, list.length);
  const tBlock = performance.now();
  // the full batch's in-memory keys (name pair, name token + exact date, document, phone): a subset
  // of the stored keys' pairs, since a token + date key implies a token + year key
  const batchCandidates = pairsOf(blocksOf(prepared, batchKeysOf));

  const bands = new Map<number, TMatchBand>();
  for (const key of candidates) {
    const i = Math.floor(key / n);
    const j = key % n;
    const band = scorePrepared(prepared[i]!, prepared[j]!, config).band;
    if (band !== 'none') bands.set(key, band);
  }
  const tScore = performance.now();

  const pairKey = (i: number, j: number) => (i < j ? i * n + j : j * n + i);
  const kinds = [...DUPLICATE_KINDS, ...NON_DUPLICATE_KINDS];
  const tally = new Map<string, Tally>(kinds.map((k) => [k, { pairs: 0, blocked: 0, likely: 0, possible: 0 }]));
  // labelled pairs: each variant record with the base record it came from
  records.forEach((rec, idx) => {
    if (rec.of === null) return;
    const t = tally.get(rec.kind)!;
    const key = pairKey(rec.of, idx);
    t.pairs++;
    if (candidates.has(key)) t.blocked++;
    const band = bands.get(key);
    if (band === 'likely') t.likely++;
    if (band === 'possible') t.possible++;
  });
  // false positives by the kinds of the records they touch (a pair between two base records counts as 'base')
  const fp = new Map<string, { likely: number; any: number }>();
  let fpLikely = 0;
  let fpAny = 0;
  let predictedLikely = 0;
  let predictedAny = 0;
  let tpLikely = 0;
  let tpAny = 0;
  for (const [key, band] of bands) {
    const i = Math.floor(key / n);
    const j = key % n;
    predictedAny++;
    if (band === 'likely') predictedLikely++;
    if (records[i]!.entity === records[j]!.entity) {
      tpAny++;
      if (band === 'likely') tpLikely++;
      continue;
    }
    fpAny++;
    if (band === 'likely') fpLikely++;
    for (const kind of new Set([records[i]!.kind, records[j]!.kind])) {
      const f = fp.get(kind) ?? { likely: 0, any: 0 };
      f.any++;
      if (band === 'likely') f.likely++;
      fp.set(kind, f);
    }
  }
  // the batch: the same scores, on its own candidate pairs
  let batchTrueBlocked = 0;
  let batchTp = 0;
  let batchPredicted = 0;
  records.forEach((rec, idx) => {
    if (rec.of === null || !(DUPLICATE_KINDS as readonly string[]).includes(rec.kind)) return;
    if (batchCandidates.has(pairKey(rec.of, idx))) batchTrueBlocked++;
  });
  for (const key of bands.keys()) {
    if (!batchCandidates.has(key)) continue;
    batchPredicted++;
    if (records[Math.floor(key / n)]!.entity === records[key % n]!.entity) batchTp++;
  }
  const truePairs = DUPLICATE_KINDS.reduce((s, k) => s + tally.get(k)!.pairs, 0);
  const blockedTrue = DUPLICATE_KINDS.reduce((s, k) => s + tally.get(k)!.blocked, 0);

  const lines = [
    '| variant kind | labelled pairs | blocked together | recall likely | recall likely+possible | precision likely | precision likely+possible |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const kind of DUPLICATE_KINDS) {
    const t = tally.get(kind)!;
    const f = fp.get(kind) ?? { likely: 0, any: 0 };
    lines.push(
      `| ${kind} | ${t.pairs} | ${pct(t.blocked, t.pairs)} | ${ratio(t.likely, t.pairs)} | ${ratio(t.likely + t.possible, t.pairs)} | ${ratio(t.likely, t.likely + f.likely)} | ${ratio(t.likely + t.possible, t.likely + t.possible + f.any)} |`,
    );
  }
  lines.push(
    `| **overall** | ${truePairs} | ${pct(blockedTrue, truePairs)} | **${ratio(tpLikely, truePairs)}** | **${ratio(tpAny, truePairs)}** | **${ratio(tpLikely, predictedLikely)}** | **${ratio(tpAny, predictedAny)}** |`,
  );
  lines.push(
    '',
    '| hard non-duplicate kind | labelled pairs | blocked together | flagged likely | flagged likely+possible |',
    '| --- | ---: | ---: | ---: | ---: |',
  );
  for (const kind of NON_DUPLICATE_KINDS) {
    const t = tally.get(kind)!;
    lines.push(
      `| ${kind} | ${t.pairs} | ${pct(t.blocked, t.pairs)} | ${t.likely} (${pct(t.likely, t.pairs)}) | ${t.likely + t.possible} (${pct(t.likely + t.possible, t.pairs)}) |`,
    );
  }
  const baseFp = fp.get('base') ?? { likely: 0, any: 0 };
  lines.push(`| other pairs of the population (unlabelled) | – | – | ${baseFp.likely} | ${baseFp.any} |`);

  const allPairs = (n * (n - 1)) / 2;
  return {
    table: lines.join('\n'),
    summary: {
      'records (persons + variant records)': n,
      'base persons': options.population,
      'labelled duplicate pairs': truePairs,
      'labelled hard non-duplicate pairs': NON_DUPLICATE_KINDS.length * options.nonDuplicatesPerKind,
      'blocking keys (distinct)': blocks.size,
      'largest block': largestBlock,
      'pairs compared': candidates.size,
      'reduction ratio (1 − compared / all pairs)': (1 - candidates.size / allPairs).toFixed(5),
      'pairs completeness (true pairs blocked together)': ratio(blockedTrue, truePairs),
      'precision likely': ratio(tpLikely, predictedLikely),
      'recall likely': ratio(tpLikely, truePairs),
      'precision likely+possible': ratio(tpAny, predictedAny),
      'recall likely+possible': ratio(tpAny, truePairs),
      'false positives likely / likely+possible': `${fpLikely} / ${fpAny}`,
      'batch keys (batchKeysOf): pairs compared': batchCandidates.size,
      'batch keys: pairs completeness': ratio(batchTrueBlocked, truePairs),
      'batch: precision / recall likely+possible': `${ratio(batchTp, batchPredicted)} / ${ratio(batchTp, truePairs)}`,
      'generate, ms': Math.round(tGen - t0),
      'prepare + block, ms': Math.round(tBlock - tGen),
      'score, ms': Math.round(tScore - tBlock),
      'config version': config.version,
      seed: options.seed,
    },
  };
}

/** `npm run bench duplicates`: prints the per-kind Markdown table and returns the summary. */
export async function runDuplicatesBench(): Promise<Record<string, string | number>> {
  const result = evaluateDuplicates();
  console.log(`\n#### duplicates: per variant kind\n\n${result.table}`);
  return result.summary;
}
