/**
 * Test-only attacker: tries to recover suppressed cells of a protected table by brute force over the
 * integer tables consistent with everything published. Deliberately independent of table.ts's audit
 * (no graph theory): a depth-first search over the suppressed interior cells with line propagation.
 *
 * Knowledge: every published value (exact, no rounding), that every line sums to its total, that
 * every suppressed cell is ≥ 1 (zeros are always published) and ≤ `upper`.
 */
import { isSuppressed, type TCellValue, type TCountTable, type TProtectedTable } from './table.ts';

export type TAttackResult = { readonly pinned: boolean; readonly alternative?: number; readonly budget?: true };

interface Line {
  readonly vars: number[];
  readonly constant: number;
  /** Allowed sums, or null when the total is suppressed (then only ≥ 1 is known). */
  allowed: readonly number[] | null;
}

/**
 * For each suppressed cell (interior 'cell', or a total), whether the attacker can prove it has a
 * single possible value. A cell is not pinned as soon as a consistent table with a different value
 * (true ± 1) is found.
 */
export function attack(truth: TCountTable, published: TProtectedTable, upper: number, budget = 2_000_000) {
  const R = truth.rowKeys.length;
  const C = truth.colKeys.length;
  const vars: { i: number; j: number; truth: number }[] = [];
  const varAt = new Map<string, number>();
  for (let i = 0; i < R; i++)
    for (let j = 0; j < C; j++)
      if (isSuppressed(published.cells[i]![j]!)) {
        varAt.set(`${i},${j}`, vars.length);
        vars.push({ i, j, truth: truth.cells[i]![j]! });
      }
  const mk = (cells: [number, number][], total: TCellValue): Line => {
    const line: Line = { vars: [], constant: 0, allowed: isSuppressed(total) ? null : [total] };
    let constant = 0;
    for (const [i, j] of cells) {
      const v = varAt.get(`${i},${j}`);
      if (v === undefined) constant += published.cells[i]![j] as number;
      else line.vars.push(v);
    }
    return { ...line, constant };
  };
  const rows = Array.from({ length: R }, (_, i) =>
    mk(
      Array.from({ length: C }, (_, j): [number, number] => [i, j]),
      published.rowTotals[i]!,
    ),
  );
  const cols = Array.from({ length: C }, (_, j) =>
    mk(
      Array.from({ length: R }, (_, i): [number, number] => [i, j]),
      published.colTotals[j]!,
    ),
  );
  const all: [number, number][] = [];
  for (let i = 0; i < R; i++) for (let j = 0; j < C; j++) all.push([i, j]);
  const grand = mk(all, published.grandTotal);
  const lines = [...rows, ...cols, grand];

  const solve = (domains: number[][], extra: Line | null): 'found' | 'none' | 'budget' => {
    const ls = extra ? [...lines, extra] : lines;
    const value = new Array<number | undefined>(vars.length).fill(undefined);
    let nodes = 0;
    const ok = (): boolean => {
      for (const l of ls) {
        let sum = l.constant;
        let open = 0;
        for (const v of l.vars) {
          const x = value[v];
          if (x === undefined) open++;
          else sum += x;
        }
        const min = sum + open; // every open variable is ≥ 1
        if (l.allowed === null) continue;
        if (open === 0 ? !l.allowed.includes(sum) : min > Math.max(...l.allowed)) return false;
      }
      return true;
    };
    const forced = (): [number, number] | null => {
      for (const l of ls) {
        if (l.allowed === null || l.allowed.length !== 1) continue;
        const open = l.vars.filter((v) => value[v] === undefined);
        if (open.length !== 1) continue;
        const sum = l.vars.reduce((s, v) => s + (value[v] ?? 0), l.constant);
        return [open[0]!, l.allowed[0]! - sum];
      }
      return null;
    };
    const dfs = (): 'found' | 'none' | 'budget' => {
      if (++nodes > budget) return 'budget';
      if (!ok()) return 'none';
      const f = forced();
      let v: number;
      let candidates: number[];
      if (f) {
        v = f[0];
        candidates = domains[v]!.includes(f[1]) ? [f[1]] : [];
      } else {
        const next = value.indexOf(undefined);
        if (next === -1) return 'found';
        v = next;
        candidates = domains[v]!;
      }
      for (const x of candidates) {
        value[v] = x;
        const r = dfs();
        if (r !== 'none') return r;
      }
      value[v] = undefined;
      return 'none';
    };
    return dfs();
  };
  // Values ordered by distance from the truth, so near-true tables are found first.
  const around = (t: number) => {
    const out = [t];
    for (let d = 1; d <= upper; d++) {
      if (t + d <= upper) out.push(t + d);
      if (t - d >= 1) out.push(t - d);
    }
    return out;
  };
  const baseDomains = vars.map((v) => around(v.truth));
  const results: { cell: string; result: TAttackResult }[] = [];
  const report = (cell: string, r: 'found' | 'none' | 'budget') =>
    results.push({
      cell,
      result: r === 'found' ? { pinned: false } : r === 'none' ? { pinned: true } : { pinned: true, budget: true },
    });

  vars.forEach((v, idx) => {
    const domains = baseDomains.map((d, k) => (k === idx ? [v.truth + 1, v.truth - 1].filter((x) => x >= 1) : d));
    report(`cell ${v.i},${v.j}`, solve(domains, null));
  });
  const totalTarget = (name: string, base: Line, truthValue: number) => {
    const extra: Line = { ...base, allowed: [truthValue + 1, truthValue - 1].filter((x) => x >= 1) };
    report(name, solve(baseDomains, extra));
  };
  rows.forEach((l, i) => {
    if (isSuppressed(published.rowTotals[i]!)) totalTarget(`row total ${i}`, l, truth.rowTotals[i]!);
  });
  cols.forEach((l, j) => {
    if (isSuppressed(published.colTotals[j]!)) totalTarget(`column total ${j}`, l, truth.colTotals[j]!);
  });
  if (isSuppressed(published.grandTotal)) totalTarget('grand total', grand, truth.grandTotal);
  return results;
}
