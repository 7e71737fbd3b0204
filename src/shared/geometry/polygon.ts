import { type Bounds, type Vec, boundsOfPoints, segmentDist2 } from './point';

/** Even-odd point-in-polygon test (ray casting). */
export const polygonContains = (pts: readonly Vec[], p: Vec): boolean => {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const a = pts[i]!;
    const b = pts[j]!;
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0])
      inside = !inside;
  }
  return inside;
};

/** Shoelace area (absolute). */
export const polygonArea = (pts: readonly Vec[]): number => {
  let s = 0;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++)
    s += (pts[j]![0] + pts[i]![0]) * (pts[j]![1] - pts[i]![1]);
  return Math.abs(s) / 2;
};

/** Index of the segment (i → i+1, wrapping if closed) nearest to `p` within `tol`, or -1. */
export const nearestSegment = (pts: readonly Vec[], p: Vec, tol: number, closed: boolean): number => {
  let best = -1;
  let bestD = tol * tol;
  const n = closed ? pts.length : pts.length - 1;
  for (let i = 0; i < n; i++) {
    const d = segmentDist2(p, pts[i]!, pts[(i + 1) % pts.length]!);
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
};

/** Index of the vertex nearest to `p` within `tol`, or -1. */
export const nearestVertex = (pts: readonly Vec[], p: Vec, tol: number): number => {
  let best = -1;
  let bestD = tol * tol;
  for (let i = 0; i < pts.length; i++) {
    const d = (pts[i]![0] - p[0]) ** 2 + (pts[i]![1] - p[1]) ** 2;
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
};

export const pointsBounds = (pts: readonly Vec[]): Bounds => boundsOfPoints(pts);
