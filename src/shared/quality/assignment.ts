/**
 * Optimal one-to-one assignment (Hungarian algorithm, Kuhn 1955 / Munkres 1957, in the O(n²m)
 * shortest-augmenting-path form with potentials). Rectangular matrices are fine.
 */

const buffersOf = (size: number) => ({
  size,
  u: new Float64Array(size),
  v: new Float64Array(size),
  p: new Int32Array(size),
  way: new Int32Array(size),
  minv: new Float64Array(size),
  used: new Uint8Array(size),
});
let buffers = buffersOf(16);

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
  // 1-based arrays as in the classic formulation; p[j] = row matched to column j. The buffers
  // are shared between calls (grown when needed, cleared here): matching runs for every pair of
  // every task, and allocating six typed arrays a call was much of its cost.
  if (buffers.size < Math.max(n, m) + 1) buffers = buffersOf(2 * (Math.max(n, m) + 1));
  const { u, v, p, way, minv, used } = buffers;
  u.fill(0, 0, n + 1);
  v.fill(0, 0, m + 1);
  p.fill(0, 0, m + 1);
  way.fill(0, 0, m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity, 0, m + 1);
    used.fill(0, 0, m + 1);
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

/** [row, column, score] of a pair. */
export type ScoredPair = [number, number, number];

/**
 * Pairs (row, column, score) of a maximum matching in which every pair has `score(i, j) ≥
 * threshold` (and > 0), choosing first the most pairs and among those the largest total score.
 * Scores must lie in [0, 1] (IoU, overlap, OKS). Pairs below the threshold are never matched.
 * Pairs come sorted by row.
 *
 * The admissible pairs split into connected components (a box overlaps only its neighbours), and
 * each is solved on its own: a component with one row or one column takes its best pair, the
 * others go through the Hungarian algorithm. Same result, a fraction of the work on real images.
 */
export const matchByScore = (
  rows: number,
  cols: number,
  score: (i: number, j: number) => number,
  threshold: number,
): { pairs: ScoredPair[] } => {
  if (rows === 0 || cols === 0) return { pairs: [] };
  const edges: ScoredPair[] = [];
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const x = score(i, j);
      if (admissible(x, threshold)) edges.push([i, j, x]);
    }
  return matchEdges(rows, cols, edges);
};

/** A pair that may be matched: score at or above the threshold, and above 0. */
export const admissible = (score: number, threshold: number): boolean => score >= threshold && score > 0;

/**
 * matchByScore from its admissible pairs, found by the caller (in row-major order, as
 * matchByScore lists them): callers that can rule pairs out cheaply (regions whose bounds do not
 * meet) skip scoring them.
 */
export const matchEdges = (rows: number, cols: number, edges: ScoredPair[]): { pairs: ScoredPair[] } => {
  if (edges.length === 0) return { pairs: [] };
  // Degrees: when no row and no column has two admissible pairs (regions that overlap only
  // their own counterpart, the usual case), the admissible pairs are the matching.
  const degree = new Array<number>(rows + cols).fill(0);
  let shared = false;
  for (const [i, j] of edges)
    if (++degree[i]! > 1 || ++degree[rows + j]! > 1) {
      shared = true;
      break;
    }
  if (!shared) return { pairs: edges };
  // Union-find over rows (0..rows-1) and columns (rows..rows+cols-1).
  // A plain array: small typed arrays cost more to allocate than they save here.
  const parent: number[] = [];
  for (let i = 0; i < rows + cols; i++) parent.push(i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  for (const [i, j] of edges) parent[find(i)] = find(rows + j);
  const components = new Map<number, ScoredPair[]>();
  for (const e of edges) {
    const root = find(e[0]);
    const list = components.get(root);
    if (list) list.push(e);
    else components.set(root, [e]);
  }
  const pairs: ScoredPair[] = [];
  for (const comp of components.values()) {
    if (comp.length === 1) {
      pairs.push(comp[0]!);
      continue;
    }
    const rs = [...new Set(comp.map((e) => e[0]))];
    const cs = [...new Set(comp.map((e) => e[1]))];
    if (rs.length === 1 || cs.length === 1) {
      // At most one pair fits: the best one (the first on ties, in row-major order).
      let best = comp[0]!;
      for (const e of comp) if (e[2] > best[2]) best = e;
      pairs.push(best);
      continue;
    }
    // Weight M + s with M > min(rows, cols): one more pair always outweighs any gain in score,
    // so the matching is maximum first and best-scoring second.
    const big = Math.min(rs.length, cs.length) + 1;
    const ri = new Map(rs.map((r, k) => [r, k] as const));
    const ci = new Map(cs.map((c, k) => [c, k] as const));
    const cost = rs.map(() => new Array<number>(cs.length).fill(0));
    const scores = rs.map(() => new Array<number>(cs.length).fill(0));
    for (const [i, j, x] of comp) {
      cost[ri.get(i)!]![ci.get(j)!] = -(big + x);
      scores[ri.get(i)!]![ci.get(j)!] = x;
    }
    minCostAssignment(cost).forEach((k, r) => {
      if (k >= 0 && cost[r]![k]! < 0) pairs.push([rs[r]!, cs[k]!, scores[r]![k]!]);
    });
  }
  pairs.sort((a, b) => a[0] - b[0]);
  return { pairs };
};
