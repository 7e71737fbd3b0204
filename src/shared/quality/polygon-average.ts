/**
 * The mean of several outlines of one object drawn by different annotators, whose vertex counts
 * and start points differ. The medoid outline (highest total IoU with the others) gives the
 * vertices; each vertex is paired, on every outline, with the point at the same fraction of the
 * perimeter measured from the point nearest to the medoid's first vertex, going the same way
 * round; the pairs are averaged. Corners of the medoid survive; a vertex-by-vertex average would
 * need equal vertex counts, which annotators never produce.
 */

import { type Pt, polygonIoU, signedArea } from './polygon-overlap';

const oriented = (pts: readonly Pt[]): Pt[] => (signedArea(pts) < 0 ? [...pts].reverse() : [...pts]);

const edgeLengths = (pts: readonly Pt[]): number[] =>
  pts.map((p, i) => {
    const q = pts[(i + 1) % pts.length]!;
    return Math.hypot(q[0] - p[0], q[1] - p[1]);
  });

/** The point at arc length `s` (taken modulo the perimeter) from vertex 0. */
const pointAt = (pts: readonly Pt[], lengths: readonly number[], perimeter: number, s: number): Pt => {
  let rest = ((s % perimeter) + perimeter) % perimeter;
  for (let i = 0; i < pts.length; i++) {
    const len = lengths[i]!;
    if (rest <= len || i === pts.length - 1) {
      const t = len === 0 ? 0 : Math.min(1, rest / len);
      const p = pts[i]!;
      const q = pts[(i + 1) % pts.length]!;
      return [p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t];
    }
    rest -= len;
  }
  return pts[0]!;
};

/** Arc length from vertex 0 to the point of the outline nearest to `target`. */
const nearestArc = (pts: readonly Pt[], lengths: readonly number[], target: Pt): number => {
  let best = Infinity;
  let bestArc = 0;
  let arc = 0;
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i]!;
    const q = pts[(i + 1) % pts.length]!;
    const len = lengths[i]!;
    const dx = q[0] - p[0];
    const dy = q[1] - p[1];
    const t =
      len === 0
        ? 0
        : Math.max(0, Math.min(1, ((target[0] - p[0]) * dx + (target[1] - p[1]) * dy) / (len * len)));
    const d = (p[0] + dx * t - target[0]) ** 2 + (p[1] + dy * t - target[1]) ** 2;
    if (d < best) {
      best = d;
      bestArc = arc + t * len;
    }
    arc += len;
  }
  return bestArc;
};

/** Index of the outline with the highest summed IoU with the others (the first on ties). */
export const medoidIndex = (outlines: readonly (readonly Pt[])[]): number => {
  let best = 0;
  let bestSum = -1;
  outlines.forEach((a, i) => {
    const sum = outlines.reduce((s, b, j) => (i === j ? s : s + polygonIoU(a, b)), 0);
    if (sum > bestSum) {
      bestSum = sum;
      best = i;
    }
  });
  return best;
};

export const averagePolygon = (outlines: readonly (readonly Pt[])[]): [number, number][] => {
  if (outlines.length === 0) throw new RangeError('no outlines to average');
  const shapes = outlines.map(oriented);
  const ref = shapes[medoidIndex(shapes)]!;
  const refLengths = edgeLengths(ref);
  const refPerimeter = refLengths.reduce((s, x) => s + x, 0);
  const fractions: number[] = [];
  let arc = 0;
  for (let i = 0; i < ref.length; i++) {
    fractions.push(refPerimeter === 0 ? 0 : arc / refPerimeter);
    arc += refLengths[i]!;
  }
  const sums = ref.map(() => [0, 0] as [number, number]);
  for (const shape of shapes) {
    const lengths = edgeLengths(shape);
    const perimeter = lengths.reduce((s, x) => s + x, 0);
    if (perimeter === 0) {
      sums.forEach((s) => ((s[0] += shape[0]![0]), (s[1] += shape[0]![1])));
      continue;
    }
    const start = nearestArc(shape, lengths, ref[0]!);
    fractions.forEach((f, i) => {
      const p = pointAt(shape, lengths, perimeter, start + f * perimeter);
      sums[i]![0] += p[0];
      sums[i]![1] += p[1];
    });
  }
  return sums.map(([x, y]) => [x / shapes.length, y / shapes.length]);
};
