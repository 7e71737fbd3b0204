/**
 * Optimal one-to-one assignment (Hungarian algorithm, Kuhn 1955 / Munkres 1957, in the O(n²m)
 * shortest-augmenting-path form with potentials). Rectangular matrices are fine.
 */

/**
 * Rows assigned to columns minimising the total cost; every row gets a column when rows ≤
 * columns (the matrix is transposed otherwise, so every column gets a row). Returns, per row, the
 * column index or -1.
 */
export const minCostAssignment = (cost: readonly (readonly number[])[]): number[] => {
  const n = cost.length;
  const m = n === 0 ? 0 : cost[0]!.length;
  if (n === 0 || m === 0) return new Array<number>(n).fill(-1);
  if (n > m) {
    const transposed = Array.from({ length: m }, (_, j) => cost.map((row) => row[j]!));
    const byCol = minCostAssignment(transposed);
    const byRow = new Array<number>(n).fill(-1);
    byCol.forEach((row, col) => {
      if (row >= 0) byRow[row] = col;
    });
    return byRow;
  }
  // 1-based arrays as in the classic formulation; p[j] = row matched to column j.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(m + 1).fill(Infinity);
    const used = new Uint8Array(m + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[i0 - 1]![j - 1]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]!]! += delta;
          v[j]! -= delta;
        } else minv[j]! -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const result = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j++) if (p[j]! > 0) result[p[j]! - 1] = j - 1;
  return result;
};

/**
 * Pairs (row, column) of a maximum matching in which every pair has `score(i, j) ≥ threshold`,
 * choosing first the most pairs and among those the largest total score. Scores must lie in
 * [0, 1] (IoU, overlap, OKS). Pairs below the threshold are never matched.
 */
export const matchByScore = (
  rows: number,
  cols: number,
  score: (i: number, j: number) => number,
  threshold: number,
): { pairs: [number, number, number][] } => {
  if (rows === 0 || cols === 0) return { pairs: [] };
  // Weight M + s for an admissible pair with M > min(rows, cols): one more pair always outweighs
  // any gain in score, so the matching is maximum first and best-scoring second.
  const big = Math.min(rows, cols) + 1;
  const s: number[][] = [];
  const cost: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const sr: number[] = [];
    const cr: number[] = [];
    for (let j = 0; j < cols; j++) {
      const x = score(i, j);
      sr.push(x);
      cr.push(x >= threshold && x > 0 ? -(big + x) : 0);
    }
    s.push(sr);
    cost.push(cr);
  }
  const assigned = minCostAssignment(cost);
  const pairs: [number, number, number][] = [];
  assigned.forEach((j, i) => {
    if (j >= 0 && cost[i]![j]! < 0) pairs.push([i, j, s[i]![j]!]);
  });
  return { pairs };
};
