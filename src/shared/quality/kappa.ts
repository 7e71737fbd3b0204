/**
 * Chance-corrected agreement on categories: Cohen's kappa (two raters; unweighted, linear or
 * quadratic weights) and Fleiss' kappa (many raters). Undefined values (one category only, no
 * items) are `null`, never a made-up number.
 */

import { z } from 'zod';

export type Category = string | number;
export type KappaWeights = 'none' | 'linear' | 'quadratic';

export const KappaResult = z.object({
  /** κ, or null when undefined (no items, or agreement by chance is already perfect). */
  kappa: z.number().nullable(),
  /** Observed agreement (weighted when weights are used): 1 − Σw·o. Null without items. */
  observed: z.number().nullable(),
  /** Agreement expected by chance: 1 − Σw·e. Null without items. */
  expected: z.number().nullable(),
  /** Items rated by both raters (pairs with a null on either side are left out). */
  items: z.number().int().nonnegative(),
});
export type KappaResult = z.infer<typeof KappaResult>;

const compareCategories = (a: Category, b: Category): number =>
  typeof a === 'number' && typeof b === 'number'
    ? a - b
    : String(a) < String(b)
      ? -1
      : String(a) > String(b)
        ? 1
        : 0;

/**
 * The ordered category list: `categories` when given (required for weighted kappa on
 * non-numeric labels whose order is not alphabetical), else the observed values sorted.
 */
const categoryIndex = (
  values: Iterable<Category>,
  categories?: readonly Category[],
): Map<Category, number> => {
  const list = categories ? [...categories] : [...new Set(values)].sort(compareCategories);
  const index = new Map(list.map((c, i) => [c, i] as const));
  for (const v of values)
    if (!index.has(v)) throw new RangeError(`value ${String(v)} is not among the categories`);
  return index;
};

/**
 * Cohen's kappa for two raters' labels of the same items (Cohen 1960; weighted: Cohen 1968).
 * Weighted kappa uses disagreement weights |i−j|/(k−1) (linear) or ((i−j)/(k−1))² (quadratic)
 * over the ordered categories: κw = 1 − Σ w·o / Σ w·e.
 */
export const cohenKappa = (
  a: readonly (Category | null)[],
  b: readonly (Category | null)[],
  options: { weights?: KappaWeights; categories?: readonly Category[] } = {},
): KappaResult => {
  if (a.length !== b.length) throw new RangeError('both raters must rate the same items');
  const pairs: [Category, Category][] = [];
  for (let i = 0; i < a.length; i++) if (a[i] != null && b[i] != null) pairs.push([a[i]!, b[i]!]);
  const n = pairs.length;
  if (n === 0) return { kappa: null, observed: null, expected: null, items: 0 };
  const index = categoryIndex(
    pairs.flatMap((p) => p),
    options.categories,
  );
  const k = index.size;
  const weights = options.weights ?? 'none';
  const w = (i: number, j: number): number => {
    if (i === j) return 0;
    if (weights === 'none' || k < 2) return 1;
    const d = Math.abs(i - j) / (k - 1);
    return weights === 'linear' ? d : d * d;
  };
  const rowTotals = new Array<number>(k).fill(0);
  const colTotals = new Array<number>(k).fill(0);
  let observedDisagreement = 0;
  for (const [x, y] of pairs) {
    const i = index.get(x)!;
    const j = index.get(y)!;
    rowTotals[i]!++;
    colTotals[j]!++;
    observedDisagreement += w(i, j);
  }
  observedDisagreement /= n;
  let expectedDisagreement = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) expectedDisagreement += (w(i, j) * rowTotals[i]! * colTotals[j]!) / (n * n);
  return {
    kappa: expectedDisagreement === 0 ? null : 1 - observedDisagreement / expectedDisagreement,
    observed: 1 - observedDisagreement,
    expected: 1 - expectedDisagreement,
    items: n,
  };
};

export const FleissResult = z.object({
  kappa: z.number().nullable(),
  /** Mean agreement per item, P̄. */
  observed: z.number().nullable(),
  /** Chance agreement, P̄e = Σ p_j². */
  expected: z.number().nullable(),
  /** Items with at least two ratings. */
  items: z.number().int().nonnegative(),
});
export type FleissResult = z.infer<typeof FleissResult>;

/**
 * Fleiss' kappa (Fleiss 1971) from a count matrix: counts[i][j] = raters who put item i in
 * category j. Items with fewer than two ratings are left out. When items have different numbers
 * of raters, P_i uses each item's own n_i and p_j is pooled over all ratings (the usual
 * generalisation; with a constant n it is Fleiss' formula exactly).
 */
export const fleissKappa = (counts: readonly (readonly number[])[]): FleissResult => {
  const rows = counts.filter((r) => r.reduce((s, c) => s + c, 0) >= 2);
  if (rows.length === 0) return { kappa: null, observed: null, expected: null, items: 0 };
  const k = Math.max(...rows.map((r) => r.length));
  const totals = new Array<number>(k).fill(0);
  let ratings = 0;
  let sumP = 0;
  for (const r of rows) {
    let ni = 0;
    let agree = 0;
    r.forEach((c, j) => {
      if (!Number.isInteger(c) || c < 0) throw new RangeError('counts must be non-negative integers');
      ni += c;
      agree += c * (c - 1);
      totals[j]! += c;
    });
    ratings += ni;
    sumP += agree / (ni * (ni - 1));
  }
  const observed = sumP / rows.length;
  const expected = totals.reduce((s, t) => s + (t / ratings) ** 2, 0);
  return {
    kappa: expected === 1 ? null : (observed - expected) / (1 - expected),
    observed,
    expected,
    items: rows.length,
  };
};

/** Fleiss' kappa from each item's labels (null = that rater did not rate it). */
export const fleissKappaFromLabels = (items: readonly (readonly (Category | null)[])[]): FleissResult => {
  const index = categoryIndex(items.flatMap((r) => r.filter((v): v is Category => v != null)));
  return fleissKappa(
    items.map((r) => {
      const row = new Array<number>(index.size).fill(0);
      for (const v of r) if (v != null) row[index.get(v)!]!++;
      return row;
    }),
  );
};
