import type { TMatchConfig } from './match.config.ts';
import type { TMatchName, TMatchToken } from './match.prepare.ts';
import { editSimilarity } from './match.similarity.ts';

/** How two names compare: the overall similarity and the three measures behind it. */
export interface TNameComparison {
  /** Soft token-set similarity in 0..1 (Dice over the best one-to-one token assignment). */
  similarity: number;
  /** Dice over exactly equal canonical tokens. */
  tokenSet: number;
  /** Dice over phonetic keys. */
  phonetic: number;
  /** Mean edit similarity over the best assignment (relative to the longer name). */
  edit: number;
  /** A token pair that is the male and female form of one surname (Ахметов / Ахметова). */
  genderedForm: boolean;
  /** Tokens written joined on one side and apart on the other (Абдулазиз / Абдул-Азиз). */
  joined: boolean;
  /** Every token of the shorter name matched (≥ 0.95) and the other name has more tokens. */
  subset: boolean;
}

const FEMALE = /^(.{2,}(?:ov|ev|in))a$/;
const MALE = /^(.{2,}(?:ov|ev|in))$/;
const FEMALE_SKI = /^(.{2,}k)aya$/;
const MALE_SKI = /^(.{2,}k)i$/;

/** True when two canonical tokens are the male and female forms of one surname (-ов/-ова, -ин/-ина, -ский/-ская). */
export function isGenderedPair(a: string, b: string): boolean {
  const test = (f: string, m: string) => {
    const fs = FEMALE.exec(f)?.[1] ?? FEMALE_SKI.exec(f)?.[1];
    if (!fs) return false;
    const ms = MALE.exec(m)?.[1] ?? MALE_SKI.exec(m)?.[1];
    return fs === ms;
  };
  return test(a, b) || test(b, a);
}

interface TokenPairSimilarity {
  sim: number;
  edit: number;
  gendered: boolean;
}

const SAME: TokenPairSimilarity = Object.freeze({ sim: 1, edit: 1, gendered: false });
/** Token pairs already compared, per name configuration (names repeat: a batch compares the same pairs again and again). */
const tokenMemo = new WeakMap<TMatchConfig['names'], Map<string, TokenPairSimilarity>>();
const TOKEN_MEMO_MAX = 200_000;

function tokenSimilarity(a: TMatchToken, b: TMatchToken, c: TMatchConfig['names']): TokenPairSimilarity {
  if (a.canonical === b.canonical) return SAME;
  let memo = tokenMemo.get(c);
  if (!memo) {
    memo = new Map();
    tokenMemo.set(c, memo);
  }
  const key = `${a.canonical}|${a.alternate ?? ''}|${a.phonetic}|${b.canonical}|${b.alternate ?? ''}|${b.phonetic}`;
  let hit = memo.get(key);
  if (!hit) {
    hit = Object.freeze(tokenSimilarityOf(a, b, c));
    if (memo.size >= TOKEN_MEMO_MAX) memo.clear();
    memo.set(key, hit);
  }
  return hit;
}

function tokenSimilarityOf(a: TMatchToken, b: TMatchToken, c: TMatchConfig['names']): TokenPairSimilarity {
  if (isGenderedPair(a.canonical, b.canonical)) {
    return { sim: c.genderedFormSimilarity, edit: c.genderedFormSimilarity, gendered: true };
  }
  const variantsA = a.alternate ? [a.canonical, a.alternate] : [a.canonical];
  const variantsB = b.alternate ? [b.canonical, b.alternate] : [b.canonical];
  let edit = 0;
  for (const x of variantsA)
    for (const y of variantsB) {
      if (x === y) return { sim: 1, edit: 1, gendered: false };
      edit = Math.max(edit, editSimilarity(x, y, c.jaroWinklerShare));
    }
  let sim = edit >= c.editFloor ? edit : 0;
  // agreeing phonetic keys lift the edit similarity halfway to `phoneticTokenSimilarity` (Jamshid / Jamshed),
  // not all the way: the key is coarse (Anar / Ainur share one)
  if (a.phonetic === b.phonetic) sim = Math.max(sim, (c.phoneticTokenSimilarity + edit) / 2);
  return { sim, edit, gendered: false };
}

/**
 * Merges tokens of `side` whose concatenation (either order) is a token of `other`: hyphenated
 * or spaced compound names (Абдул-Азиз, Нұр Сұлтан) against the joined spelling.
 */
function mergeJoined(side: TMatchToken[], other: TMatchToken[]): { tokens: TMatchToken[]; joined: boolean } {
  // quick exit (most names): no token of `other` is as long as the two shortest of `side` together
  if (side.length < 2) return { tokens: side, joined: false };
  let shortest = Number.POSITIVE_INFINITY;
  let second = Number.POSITIVE_INFINITY;
  for (const t of side) {
    const l = t.canonical.length;
    if (l < shortest) [shortest, second] = [l, shortest];
    else if (l < second) second = l;
  }
  if (!other.some((t) => t.canonical.length >= shortest + second)) return { tokens: side, joined: false };
  const wanted = new Map(other.map((t) => [t.canonical, t]));
  let tokens = side;
  let joined = false;
  for (let again = true; again; ) {
    again = false;
    outer: for (let i = 0; i < tokens.length; i++)
      for (let j = 0; j < tokens.length; j++) {
        if (i === j) continue;
        const hit = wanted.get(tokens[i]!.canonical + tokens[j]!.canonical);
        if (!hit || tokens.some((t) => t.canonical === hit.canonical)) continue;
        tokens = [...tokens.filter((_, k) => k !== i && k !== j), hit];
        joined = true;
        again = true;
        break outer;
      }
  }
  return { tokens, joined };
}

/** Best one-to-one assignment maximising the summed similarity (exact, by dynamic programming over subsets). */
type Assignment = { sim: number; edit: number; gendered: boolean; matched: number };

function bestAssignment(m: TokenPairSimilarity[][], rows: number, cols: number): Assignment {
  // memo over (row, used-columns mask); names have at most 8 tokens
  const memo = new Map<number, Assignment>();
  const go = (i: number, used: number): Assignment => {
    if (i === rows) return { sim: 0, edit: 0, gendered: false, matched: 0 };
    const key = i * 256 + used;
    const hit = memo.get(key);
    if (hit) return hit;
    let best = go(i + 1, used);
    for (let j = 0; j < cols; j++) {
      if (used & (1 << j)) continue;
      const cell = m[i]![j]!;
      if (cell.sim <= 0 && !cell.gendered) continue;
      const rest = go(i + 1, used | (1 << j));
      const cand = {
        sim: cell.sim + rest.sim,
        edit: cell.edit + rest.edit,
        gendered: cell.gendered || rest.gendered,
        matched: rest.matched + (cell.sim >= 0.95 ? 1 : 0),
      };
      if (cand.sim > best.sim + 1e-12 || (Math.abs(cand.sim - best.sim) <= 1e-12 && cand.edit > best.edit)) best = cand;
    }
    memo.set(key, best);
    return best;
  };
  return go(0, 0);
}

const dice = (a: string[], b: string[]) => {
  const sb = new Set(b);
  const common = new Set(a.filter((x) => sb.has(x))).size;
  return a.length + b.length ? (2 * common) / (new Set(a).size + sb.size) : 0;
};

/**
 * Compares two names order-free (family and given may be swapped or written in one field; the
 * patronymic is left out): every token of one name is paired with at most one token of the other,
 * a pair scoring 1 when the canonical skeletons agree, `phoneticTokenSimilarity` when only the
 * phonetic keys do, the edit similarity above `editFloor`, and `genderedFormSimilarity` for the
 * male and female form of one surname. Symmetric.
 */
export function compareNames(x: TMatchName, y: TMatchName, c: TMatchConfig['names']): TNameComparison {
  const { a, b, best, joined, similarity, subset } = compareNamesCore(x, y, c);
  const total = a.length + b.length;
  return {
    similarity,
    tokenSet: dice(
      a.map((t) => t.canonical),
      b.map((t) => t.canonical),
    ),
    phonetic: dice(
      a.map((t) => t.phonetic),
      b.map((t) => t.phonetic),
    ),
    edit: total ? best.edit / Math.max(a.length, b.length) : 0,
    genderedForm: best.gendered,
    joined,
    subset,
  };
}

const nameKey = (n: TMatchName) => n.tokens.map((t) => t.canonical).join(' ');

/** Similarity results by the (frozen, shared) token arrays of the two names, per name configuration. */
const similarityMemo = new WeakMap<
  TMatchConfig['names'],
  Map<readonly TMatchToken[], Map<readonly TMatchToken[], { similarity: number; subset: boolean }>>
>();
let similarityMemoSize = 0;
const SIMILARITY_MEMO_MAX = 500_000;

/**
 * `similarity` and `subset` of {@link compareNamesCore}, remembered for names whose token arrays
 * are shared and frozen (`prepareForMatching` gives the same array to every record of one written
 * name): in a batch most candidate pairs repeat a pair of written names.
 */
export function nameSimilarity(
  x: TMatchName,
  y: TMatchName,
  c: TMatchConfig['names'],
): { similarity: number; subset: boolean } {
  if (!Object.isFrozen(x.tokens) || !Object.isFrozen(y.tokens)) {
    const r = compareNamesCore(x, y, c);
    return { similarity: r.similarity, subset: r.subset };
  }
  let byConfig = similarityMemo.get(c);
  if (!byConfig) {
    byConfig = new Map();
    similarityMemo.set(c, byConfig);
  }
  let byX = byConfig.get(x.tokens);
  if (!byX) {
    byX = new Map();
    byConfig.set(x.tokens, byX);
  }
  let hit = byX.get(y.tokens);
  if (!hit) {
    const r = compareNamesCore(x, y, c);
    hit = Object.freeze({ similarity: r.similarity, subset: r.subset });
    if (++similarityMemoSize > SIMILARITY_MEMO_MAX) {
      byConfig.clear();
      similarityMemoSize = 0;
    }
    byX.set(y.tokens, hit);
  }
  return hit;
}

/**
 * The part of {@link compareNames} that a score needs (similarity and subset), without the
 * explanatory measures: what the batch computes for millions of candidate pairs.
 */
export function compareNamesCore(x: TMatchName, y: TMatchName, c: TMatchConfig['names']) {
  // canonical order of the two sides so that the comparison is symmetric by construction
  const [p, q] = nameKey(x) <= nameKey(y) ? [x, y] : [y, x];
  const mp = mergeJoined(p.tokens, q.tokens);
  const mq = mergeJoined(q.tokens, mp.tokens);
  const a = mp.tokens;
  const b = mq.tokens;
  const matrix = a.map((ta) => b.map((tb) => tokenSimilarity(ta, tb, c)));
  const best = bestAssignment(matrix, a.length, b.length);
  const total = a.length + b.length;
  return {
    a,
    b,
    best,
    joined: mp.joined || mq.joined,
    similarity: total ? (2 * best.sim) / total : 0,
    subset: a.length !== b.length && best.matched === Math.min(a.length, b.length),
  };
}
