/**
 * Krippendorff's alpha for any number of raters, missing values allowed, with the nominal,
 * ordinal, interval and ratio difference functions, computed through the coincidence matrix as in
 * Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", §B–C:
 *   α = 1 − (n·−1) · Σ o_ck δ²_ck / Σ n_c n_k δ²_ck
 * where o_ck sums, over units with m_u ≥ 2 values, each ordered pair of values (c, k) from
 * different raters weighted 1/(m_u − 1), and n_c is o's row total.
 */

import { z } from 'zod';
import type { Category } from './kappa';

export type AlphaMetric = 'nominal' | 'ordinal' | 'interval' | 'ratio';

export const AlphaResult = z.object({
  /** α, or null when undefined: no pairable values, or every value the same. */
  alpha: z.number().nullable(),
  /** Observed disagreement D_o (null when undefined). */
  observed: z.number().nullable(),
  /** Expected disagreement D_e (null when undefined). */
  expected: z.number().nullable(),
  /** Pairable values n·: values in units with at least two of them. */
  pairable: z.number().nonnegative(),
  /** Units with at least two values. */
  units: z.number().int().nonnegative(),
});
export type AlphaResult = z.infer<typeof AlphaResult>;

/**
 * Reliability data as raters × units (`data[rater][unit]`, null = missing). For `ordinal` on
 * non-numbers pass `order` (lowest first); `interval` and `ratio` need numbers (ratio: ≥ 0).
 */
export const krippendorffAlpha = (
  data: readonly (readonly (Category | null)[])[],
  metric: AlphaMetric = 'nominal',
  options: { order?: readonly Category[] } = {},
): AlphaResult => {
  const unitCount = Math.max(0, ...data.map((r) => r.length));
  const units: Category[][] = [];
  for (let u = 0; u < unitCount; u++) {
    const values = data.map((r) => r[u]).filter((v): v is Category => v != null);
    if (values.length >= 2) units.push(values);
  }
  const empty = { alpha: null, observed: null, expected: null, pairable: 0, units: 0 };
  if (units.length === 0) return empty;

  // Distinct values, ordered (ordinal needs the order; the others are order-free).
  const seen = [...new Set(units.flat())];
  if (
    (metric === 'interval' || metric === 'ratio') &&
    seen.some((v) => typeof v !== 'number' || !Number.isFinite(v))
  )
    throw new RangeError(`${metric} alpha needs finite numbers`);
  if (metric === 'ratio' && seen.some((v) => (v as number) < 0))
    throw new RangeError('ratio alpha needs values ≥ 0');
  let values: Category[];
  if (options.order) {
    values = [...options.order];
    for (const v of seen)
      if (!values.includes(v)) throw new RangeError(`value ${String(v)} is not in the order`);
  } else if (metric === 'ordinal' && seen.some((v) => typeof v !== 'number'))
    throw new RangeError('ordinal alpha on non-numeric values needs an order');
  else values = seen.sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : 0));
  const index = new Map(values.map((v, i) => [v, i] as const));
  const k = values.length;

  // Coincidence matrix.
  const o: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const unit of units) {
    const m = unit.length;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) if (i !== j) o[index.get(unit[i]!)!]![index.get(unit[j]!)!]! += 1 / (m - 1);
  }
  const nc = o.map((row) => row.reduce((s, x) => s + x, 0));
  const n = nc.reduce((s, x) => s + x, 0);

  const delta2 = (c: number, kk: number): number => {
    if (c === kk) return 0;
    switch (metric) {
      case 'nominal':
        return 1;
      case 'ordinal': {
        const lo = Math.min(c, kk);
        const hi = Math.max(c, kk);
        let s = 0;
        for (let g = lo; g <= hi; g++) s += nc[g]!;
        return (s - (nc[c]! + nc[kk]!) / 2) ** 2;
      }
      case 'interval':
        return ((values[c] as number) - (values[kk] as number)) ** 2;
      case 'ratio': {
        const a = values[c] as number;
        const b = values[kk] as number;
        return a + b === 0 ? 0 : ((a - b) / (a + b)) ** 2;
      }
    }
  };

  let observedSum = 0;
  let expectedSum = 0;
  for (let c = 0; c < k; c++)
    for (let kk = 0; kk < k; kk++) {
      const d = delta2(c, kk);
      if (d === 0) continue;
      observedSum += o[c]![kk]! * d;
      expectedSum += nc[c]! * nc[kk]! * d;
    }
  const base = { pairable: n, units: units.length };
  if (expectedSum === 0) return { ...empty, ...base };
  const observed = observedSum / n;
  const expected = expectedSum / (n * (n - 1));
  return { alpha: 1 - observed / expected, observed, expected, ...base };
};
