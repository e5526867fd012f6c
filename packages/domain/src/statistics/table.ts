/**
 * Aggregate tables with primary and complementary (secondary) cell suppression.
 *
 * A table is a 2-D count table (a 1-D breakdown is a table with one column) with row totals, column
 * totals and the grand total. protectTable() publishes it so that no cell describes fewer than k
 * people and no suppressed cell can be derived exactly from what is published:
 *
 * 1. Primary suppression: every cell — interior or total — with 0 < count < k.
 * 2. Complementary suppression, heuristic pass: the table with its margins is an (r+1)×(c+1) grid in
 *    which every line (row or column, the total line included) sums to its total. A line holding
 *    exactly one suppressed cell gives it away by subtraction, so the smallest published non-zero
 *    cell of that line is suppressed too; repeated until stable.
 * 3. Complementary suppression, exact audit: "two per line" is necessary but not sufficient (a
 *    suppressed cell can still be pinned by combining several lines, or by the lower bound of 1 that
 *    every suppressed cell has). auditSuppression() decides exactly whether an attacker who knows all
 *    published values, the table structure and the rules below can pin a suppressed cell; any pinned
 *    cell gets one more complement (the smallest published cell that unpins it). Repeated until no
 *    suppressed cell is pinned.
 *
 * Zeros. A zero is published as 0 and never suppressed, primary or complementary: for a case
 * register most zeros are structural or harmless (no victim of organ removal in a region), and
 * publishing every zero tells the attacker that every suppressed cell is ≥ 1. That is exactly why a
 * zero can never be a complement: if a row holds one suppressed cell and a zero, suppressing the zero
 * would not help — the attacker knows suppressed cells are ≥ 1 and zeros are always shown, so the
 * "suppressed zero" is recognisably not a zero, or, if zeros could be hidden, it would be one more
 * rule for the attacker to reason about. The audit models the attacker with exactly this knowledge:
 * every suppressed cell is ≥ 1, with no upper bound other than what the equations imply.
 *
 * Why the audit is exact. Negate the totals of the margin row/column (keep the grand total positive):
 * then every row and every column of the extended grid sums to 0, so a change to the suppressed
 * cells that keeps every published value is a circulation in the bipartite graph of lines (row
 * nodes, column nodes, one edge per suppressed cell). The constraint matrix is a network matrix
 * (totally unimodular), so an integer solution with a different value for cell e exists iff a unit
 * circulation through e exists whose every cell stays ≥ 1 — a directed cycle through e in the
 * residual graph. A cell is pinned iff there is no such cycle in either direction.
 *
 * Rounding. Like CTDC's synthetic-data tool, the published values can additionally be rounded down
 * to a multiple of a base (default k). Rounding happens after suppression and only ever widens what
 * an attacker can infer (the true table stays one of the consistent tables), so the audit on exact
 * values remains a valid guarantee. Rounded totals are not additive: publish that with the table.
 */

/** A de-identified statistical record: dimension name → value (null/undefined count as 'unknown'). */
export type TStatRecord = Readonly<Record<string, string | number | boolean | null | undefined>>;

export const UNKNOWN_VALUE = 'unknown';
/** The single column key of a 1-D table. */
export const ALL_KEY = 'all';

export interface TCountTable {
  readonly rowDim: string;
  readonly colDim: string | null;
  readonly rowKeys: readonly string[];
  readonly colKeys: readonly string[];
  /** cells[row][col] */
  readonly cells: readonly (readonly number[])[];
  readonly rowTotals: readonly number[];
  readonly colTotals: readonly number[];
  readonly grandTotal: number;
}

export type TCellValue = number | { readonly suppressed: true };
export const SUPPRESSED: { readonly suppressed: true } = Object.freeze({ suppressed: true as const });
export const isSuppressed = (v: TCellValue): v is { readonly suppressed: true } => typeof v !== 'number';

export interface TProtectedTable {
  readonly rowDim: string;
  readonly colDim: string | null;
  readonly rowKeys: readonly string[];
  readonly colKeys: readonly string[];
  readonly cells: readonly (readonly TCellValue[])[];
  readonly rowTotals: readonly TCellValue[];
  readonly colTotals: readonly TCellValue[];
  readonly grandTotal: TCellValue;
  readonly k: number;
  /** Cells (interior and totals) suppressed because 0 < count < k. */
  readonly primarySuppressed: number;
  /** Cells suppressed only to protect another suppressed cell. */
  readonly secondarySuppressed: number;
  /** How published values were rounded, or null when they are exact. */
  readonly rounding: { readonly mode: 'floor' | 'cell-key'; readonly base: number } | null;
}

export interface TCountTableOptions<R extends TStatRecord = TStatRecord> {
  /** Predefined categories, in order: they appear even when empty (structural zeros). */
  readonly rowKeys?: readonly string[];
  readonly colKeys?: readonly string[];
  /**
   * How many people a record stands for (default 1): records aggregated in the database arrive as
   * one record per combination of breakdown values with its count.
   */
  readonly weight?: (record: R) => number;
}

export function dimensionValue(record: TStatRecord, dim: string): string {
  const v = record[dim];
  return v === null || v === undefined || v === '' ? UNKNOWN_VALUE : String(v);
}

function keysOf(records: readonly TStatRecord[], dim: string | null, given?: readonly string[]): string[] {
  if (dim === null) return [ALL_KEY];
  const keys = [...(given ?? [])];
  const seen = new Set(keys);
  const extra = new Set<string>();
  for (const r of records) {
    const v = dimensionValue(r, dim);
    if (!seen.has(v)) extra.add(v);
  }
  return [...keys, ...[...extra].sort()];
}

/**
 * Counts records by rowDim (and colDim), with row, column and grand totals. Records must already be
 * de-identified: only their dimension values are read.
 */
export function countTable<R extends TStatRecord>(
  records: readonly R[],
  rowDim: string,
  colDim?: string | null,
  options: TCountTableOptions<R> = {},
): TCountTable {
  const cd = colDim ?? null;
  const rowKeys = keysOf(records, rowDim, options.rowKeys);
  const colKeys = keysOf(records, cd, options.colKeys);
  const rowIndex = new Map(rowKeys.map((k, i) => [k, i]));
  const colIndex = new Map(colKeys.map((k, i) => [k, i]));
  const cells = rowKeys.map(() => colKeys.map(() => 0));
  const weight = options.weight;
  for (const r of records) {
    const i = rowIndex.get(dimensionValue(r, rowDim))!;
    const j = cd === null ? 0 : colIndex.get(dimensionValue(r, cd))!;
    cells[i]![j]! += weight ? weight(r) : 1;
  }
  return fromCells(rowDim, cd, rowKeys, colKeys, cells);
}

/** A count table from a matrix of counts (totals computed). */
export function fromCells(
  rowDim: string,
  colDim: string | null,
  rowKeys: readonly string[],
  colKeys: readonly string[],
  cells: readonly (readonly number[])[],
): TCountTable {
  const rowTotals = cells.map((row) => row.reduce((a, b) => a + b, 0));
  const colTotals = colKeys.map((_, j) => cells.reduce((a, row) => a + row[j]!, 0));
  const grandTotal = rowTotals.reduce((a, b) => a + b, 0);
  return { rowDim, colDim, rowKeys, colKeys, cells, rowTotals, colTotals, grandTotal };
}

/** The table as an (r+1)×(c+1) grid: interior cells, row totals in the last column, column totals and the grand total in the last row. */
export function extendedGrid(t: TCountTable): number[][] {
  return [...t.cells.map((row, i) => [...row, t.rowTotals[i]!]), [...t.colTotals, t.grandTotal]];
}

export interface TAuditCell {
  readonly row: number;
  readonly col: number;
}

/**
 * The suppressed cells of an extended grid that an attacker can pin to a single value, knowing every
 * published value, that lines sum to their totals and that every suppressed cell is ≥ 1 (zeros are
 * always published). Exact for 2-D tables with margins (see the header).
 */
export function auditSuppression(grid: readonly (readonly number[])[], suppressed: readonly (readonly boolean[])[]) {
  const R = grid.length;
  const C = grid[0]?.length ?? 0;
  const pinned: TAuditCell[] = [];
  // Cells of the residual graph. Node ids: rows 0..R-1, columns R..R+C-1.
  type Arc = { to: number; cell: number };
  const out: Arc[][] = Array.from({ length: R + C }, () => []);
  const cells: { row: number; col: number; canInc: boolean; canDec: boolean }[] = [];
  for (let a = 0; a < R; a++) {
    for (let b = 0; b < C; b++) {
      if (!suppressed[a]![b]) continue;
      const x = grid[a]![b]!;
      // y = sign·x; margins (last row/column, except the grand total) are negated.
      const sign = (a === R - 1) !== (b === C - 1) ? -1 : 1;
      const canInc = sign > 0 || x >= 2; // y + 1 keeps x ≥ 1
      const canDec = sign < 0 || x >= 2; // y − 1 keeps x ≥ 1
      const id = cells.length;
      cells.push({ row: a, col: b, canInc, canDec });
      if (canInc) out[a]!.push({ to: R + b, cell: id });
      if (canDec) out[R + b]!.push({ to: a, cell: id });
    }
  }
  const reaches = (from: number, to: number, skip: number): boolean => {
    const seen = new Uint8Array(R + C);
    const stack = [from];
    seen[from] = 1;
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n === to) return true;
      for (const arc of out[n]!) {
        if (arc.cell === skip || seen[arc.to]) continue;
        seen[arc.to] = 1;
        stack.push(arc.to);
      }
    }
    return false;
  };
  cells.forEach((c, id) => {
    const up = c.canInc && reaches(R + c.col, c.row, id);
    const down = !up && c.canDec && reaches(c.row, R + c.col, id);
    if (!up && !down) pinned.push({ row: c.row, col: c.col });
  });
  return pinned;
}

export interface TProtectOptions {
  /** Round published values down to a multiple of `base` (default k), as CTDC's tool does. */
  readonly rounding?: 'none' | 'floor';
  readonly roundingBase?: number;
  /** How a published cell is shown (the dashboard rounds with cell keys); default exact or floor-rounded. */
  readonly publish?: (row: number, col: number, value: number) => number;
  /** Extended-grid cells that must be suppressed whatever their count (counted as secondary). */
  readonly force?: (row: number, col: number) => boolean;
}

/** The suppression pattern of an extended grid: primary cells, then complements until no suppressed cell is pinned. */
export function suppressionPattern(
  grid: readonly (readonly number[])[],
  k: number,
  force: (row: number, col: number) => boolean = () => false,
) {
  const R = grid.length;
  const C = grid[0]?.length ?? 0;
  const primary = grid.map((row) => row.map((v) => v > 0 && v < k));
  const sup = grid.map((row, a) => row.map((v, b) => primary[a]![b]! || (v > 0 && force(a, b))));
  const lines: [number, number][][] = [
    ...Array.from({ length: R }, (_, a) => Array.from({ length: C }, (_, b): [number, number] => [a, b])),
    ...Array.from({ length: C }, (_, b) => Array.from({ length: R }, (_, a): [number, number] => [a, b])),
  ];
  const candidates = (line: readonly [number, number][]) =>
    line
      .filter(([a, b]) => !sup[a]![b] && grid[a]![b]! > 0)
      .sort(([a1, b1], [a2, b2]) => grid[a1]![b1]! - grid[a2]![b2]!);
  // Heuristic pass: no line with exactly one suppressed cell.
  for (let changed = true; changed; ) {
    changed = false;
    for (const line of lines) {
      if (line.filter(([a, b]) => sup[a]![b]).length !== 1) continue;
      const pick = candidates(line)[0];
      if (!pick) continue; // cannot happen: the line's other non-zero cells sum to the suppressed one
      sup[pick[0]]![pick[1]] = true;
      changed = true;
    }
  }
  // Exact pass: add the cheapest complement that unpins each pinned cell.
  for (let pinned = auditSuppression(grid, sup); pinned.length > 0; pinned = auditSuppression(grid, sup)) {
    const target = pinned[0]!;
    const all: [number, number][] = [];
    for (let a = 0; a < R; a++) for (let b = 0; b < C; b++) all.push([a, b]);
    const pool = candidates(all);
    const fixes = pool.find(([a, b]) => {
      sup[a]![b] = true;
      const still = auditSuppression(grid, sup).some((p) => p.row === target.row && p.col === target.col);
      sup[a]![b] = false;
      return !still;
    });
    const inLine = pool.find(([a, b]) => a === target.row || b === target.col);
    const pick = fixes ?? inLine ?? pool[0];
    if (!pick) break; // everything non-zero is suppressed; nothing is pinned then
    sup[pick[0]]![pick[1]] = true;
  }
  return { suppressed: sup, primary };
}

/**
 * Publishes a count table with threshold k: every cell (interior or total) with 0 < count < k is
 * suppressed, with complementary suppression so that no suppressed cell can be derived from the
 * published cells and totals. Zeros are published. See the header for the rules.
 */
export function protectTable(table: TCountTable, k: number, options: TProtectOptions = {}): TProtectedTable {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  const grid = extendedGrid(table);
  const { suppressed, primary } = suppressionPattern(grid, k, options.force);
  const base = options.roundingBase ?? k;
  const floor = options.rounding === 'floor';
  const R = grid.length;
  const C = grid[0]!.length;
  let primaryCount = 0;
  let secondaryCount = 0;
  const out: TCellValue[][] = grid.map((row, a) =>
    row.map((v, b) => {
      if (primary[a]![b]) primaryCount++;
      else if (suppressed[a]![b]) secondaryCount++;
      if (suppressed[a]![b]) return SUPPRESSED;
      if (options.publish) return options.publish(a, b, v);
      return floor ? Math.floor(v / base) * base : v;
    }),
  );
  return {
    rowDim: table.rowDim,
    colDim: table.colDim,
    rowKeys: table.rowKeys,
    colKeys: table.colKeys,
    cells: out.slice(0, R - 1).map((row) => row.slice(0, C - 1)),
    rowTotals: out.slice(0, R - 1).map((row) => row[C - 1]!),
    colTotals: out[R - 1]!.slice(0, C - 1),
    grandTotal: out[R - 1]![C - 1]!,
    k,
    primarySuppressed: primaryCount,
    secondarySuppressed: secondaryCount,
    rounding: floor ? { mode: 'floor', base } : null,
  };
}
