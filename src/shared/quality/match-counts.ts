import { z } from 'zod';

/**
 * Detection-style agreement counts between a reference (gold, accepted, or the first rater) and
 * another annotation, and the precision/recall/F1 they give. Counts add up over tasks
 * (micro-average): sum them with addCounts, then call scoresOf once.
 */
export const MatchCounts = z.object({
  /** Matched pairs. */
  tp: z.number().int().nonnegative(),
  /** Items of the other annotation left unmatched. */
  fp: z.number().int().nonnegative(),
  /** Items of the reference left unmatched. */
  fn: z.number().int().nonnegative(),
  /** Sum of the matched pairs' scores (IoU, OKS), for the mean over matches. */
  scoreSum: z.number().nonnegative(),
});
export type MatchCounts = z.infer<typeof MatchCounts>;

export const MatchScores = MatchCounts.extend({
  /** tp / (tp + fp); null when the other annotation has nothing. */
  precision: z.number().nullable(),
  /** tp / (tp + fn); null when the reference has nothing. */
  recall: z.number().nullable(),
  /** 2tp / (2tp + fp + fn); null when both sides are empty. */
  f1: z.number().nullable(),
  /** Mean score (IoU, OKS) of the matched pairs; null without matches. */
  meanScore: z.number().nullable(),
});
export type MatchScores = z.infer<typeof MatchScores>;

export const emptyCounts = (): MatchCounts => ({ tp: 0, fp: 0, fn: 0, scoreSum: 0 });

export const addCounts = (a: MatchCounts, b: MatchCounts): MatchCounts => ({
  tp: a.tp + b.tp,
  fp: a.fp + b.fp,
  fn: a.fn + b.fn,
  scoreSum: a.scoreSum + b.scoreSum,
});

const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);

export const scoresOf = (c: MatchCounts): MatchScores => ({
  tp: c.tp,
  fp: c.fp,
  fn: c.fn,
  scoreSum: c.scoreSum,
  precision: ratio(c.tp, c.tp + c.fp),
  recall: ratio(c.tp, c.tp + c.fn),
  f1: ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn),
  meanScore: ratio(c.scoreSum, c.tp),
});

/** Counts of a one-to-one matching of `refCount` reference items and `otherCount` others. */
export const countsOfMatching = (
  refCount: number,
  otherCount: number,
  pairs: readonly (readonly [number, number, number])[],
): MatchCounts => ({
  tp: pairs.length,
  fp: otherCount - pairs.length,
  fn: refCount - pairs.length,
  scoreSum: pairs.reduce((s, p) => s + p[2], 0),
});
