/**
 * Object keypoint similarity, as COCO defines it (cocodataset.org/#keypoints-eval and
 * pycocotools' computeOks):
 *   OKS = Σ_i exp(−d_i² / (2 s² k_i²)) · δ(v_i > 0) / Σ_i δ(v_i > 0),  k_i = 2σ_i,
 * with d_i the distance between the two annotations' i-th points, s² the object's area, and v_i
 * the reference's visibility: only points the reference labelled (occluded or visible) count. A
 * point the reference labelled and the other marked absent (v = 0) counts as a miss (0).
 */

import { matchByScore } from './assignment';
import { type MatchScores, countsOfMatching, scoresOf } from './match-counts';

export interface KeypointLike {
  x: number;
  y: number;
  /** COCO visibility: 0 not labelled, 1 labelled but occluded, 2 visible. */
  v: 0 | 1 | 2;
}

/** COCO's per-keypoint sigmas of the 17-point person skeleton (nose, eyes, ears, shoulders, …). */
export const COCO_PERSON_SIGMAS: readonly number[] = [
  0.26, 0.25, 0.25, 0.35, 0.35, 0.79, 0.79, 0.72, 0.72, 0.62, 0.62, 1.07, 1.07, 0.87, 0.87, 0.89, 0.89,
].map((s) => s / 10);

/** Sigma for a point without one configured: the middle of COCO's range. */
export const DEFAULT_KEYPOINT_SIGMA = 0.05;

export interface OksOptions {
  /** Per-point σ (the point's spread relative to object scale); default DEFAULT_KEYPOINT_SIGMA. */
  sigmas?: readonly number[];
  /**
   * The object's area s² in pixels². Default: the area of the bounding box of the reference's
   * labelled points (COCO uses the segment's area, which a keypoint task does not have).
   */
  area?: number;
}

/** OKS of `other` against `reference` (same skeleton, same point order); null when undefined. */
export const oks = (
  reference: readonly KeypointLike[],
  other: readonly KeypointLike[],
  options: OksOptions = {},
): number | null => {
  const labelled = reference.map((p, i) => [p, i] as const).filter(([p]) => p.v > 0);
  if (labelled.length === 0) return null;
  let area = options.area;
  if (area === undefined) {
    const xs = labelled.map(([p]) => p.x);
    const ys = labelled.map(([p]) => p.y);
    area = (Math.max(...xs) - Math.min(...xs)) * (Math.max(...ys) - Math.min(...ys));
  }
  if (!(area > 0)) return null;
  let sum = 0;
  for (const [p, i] of labelled) {
    const q = other[i];
    if (!q || q.v === 0) continue;
    const k = 2 * (options.sigmas?.[i] ?? DEFAULT_KEYPOINT_SIGMA);
    const d2 = (p.x - q.x) ** 2 + (p.y - q.y) ** 2;
    sum += Math.exp(-d2 / (2 * area * k * k));
  }
  return sum / labelled.length;
};

export interface KeypointMatch extends MatchScores {
  matches: [number, number, number][];
}

/**
 * Skeleton instances matched one to one by OKS ≥ threshold (default 0.5), same label unless told
 * otherwise → tp, fp, fn, precision, recall, F1, mean OKS of the matches.
 */
export const matchKeypointInstances = (
  reference: readonly { label: string; points: readonly KeypointLike[]; area?: number }[],
  other: readonly { label: string; points: readonly KeypointLike[] }[],
  options: { oksThreshold?: number; sigmas?: readonly number[]; sameLabel?: boolean } = {},
): KeypointMatch => {
  const sameLabel = options.sameLabel ?? true;
  const { pairs } = matchByScore(
    reference.length,
    other.length,
    (i, j) => {
      const r = reference[i]!;
      if (sameLabel && r.label !== other[j]!.label) return 0;
      return oks(r.points, other[j]!.points, { sigmas: options.sigmas, area: r.area }) ?? 0;
    },
    options.oksThreshold ?? 0.5,
  );
  return { ...scoresOf(countsOfMatching(reference.length, other.length, pairs)), matches: pairs };
};
