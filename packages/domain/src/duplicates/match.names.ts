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

function tokenSimilarity(a: TMatchToken, b: TMatchToken, c: TMatchConfig['names']): TokenPairSimilarity {
  if (a.canonical === b.canonical) return { sim: 1, edit: 1, gendered: false };
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
  // canonical order of the two sides so that the comparison is symmetric by construction
  const key = (n: TMatchName) => n.tokens.map((t) => t.canonical).join(' ');
  const [p, q] = key(x) <= key(y) ? [x, y] : [y, x];
  const mp = mergeJoined(p.tokens, q.tokens);
  const mq = mergeJoined(q.tokens, mp.tokens);
  const a = mp.tokens;
  const b = mq.tokens;
  const matrix = a.map((ta) => b.map((tb) => tokenSimilarity(ta, tb, c)));
  const best = bestAssignment(matrix, a.length, b.length);
  const total = a.length + b.length;
  return {
    similarity: total ? (2 * best.sim) / total : 0,
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
    joined: mp.joined || mq.joined,
    subset: a.length !== b.length && best.matched === Math.min(a.length, b.length),
  };
}
