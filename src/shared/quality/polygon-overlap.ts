/**
 * Intersection area and IoU of simple polygons, convex or not, without a clipping library.
 *
 * A polygon's indicator equals the signed sum of the triangles (o, p_i, p_i+1) of a fan from any
 * point o (the winding number). The intersection area of A and B is therefore
 *   Σ_i Σ_j sign(T_i) · sign(U_j) · area(T_i ∩ U_j)
 * over the fans of A and B, each term a convex triangle-triangle clip (Sutherland–Hodgman),
 * which has no degenerate cases to get wrong. O(|A|·|B|); for self-intersecting input it gives
 * ∫ w_A · w_B, the natural generalisation.
 */

import { type Box, boxCorners, boxIoU } from '../geometry';

export type Pt = readonly [number, number];

const cross = (o: Pt, a: Pt, b: Pt): number => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** Signed shoelace area: positive counter-clockwise (y up), i.e. clockwise on screen. */
export const signedArea = (pts: readonly Pt[]): number => {
  let s = 0;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++)
    s += pts[j]![0] * pts[i]![1] - pts[i]![0] * pts[j]![1];
  return s / 2;
};

/** Clip a convex polygon by a counter-clockwise convex polygon (Sutherland–Hodgman). */
const clipConvex = (subject: Pt[], clip: readonly Pt[]): Pt[] => {
  let out = subject;
  for (let e = 0; e < clip.length && out.length > 0; e++) {
    const a = clip[e]!;
    const b = clip[(e + 1) % clip.length]!;
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const cur = input[i]!;
      const prev = input[(i + input.length - 1) % input.length]!;
      const cIn = cross(a, b, cur) >= 0;
      const pIn = cross(a, b, prev) >= 0;
      if (cIn !== pIn) {
        // Intersection of segment prev→cur with the line a→b.
        const d1 = cross(a, b, prev);
        const d2 = cross(a, b, cur);
        const t = d1 / (d1 - d2);
        out.push([prev[0] + (cur[0] - prev[0]) * t, prev[1] + (cur[1] - prev[1]) * t]);
      }
      if (cIn) out.push(cur);
    }
  }
  return out;
};

interface FanTriangle {
  tri: Pt[];
  sign: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

const fan = (pts: readonly Pt[]): FanTriangle[] => {
  const o = pts[0]!;
  const out: FanTriangle[] = [];
  for (let i = 1; i + 1 < pts.length; i++) {
    const a = pts[i]!;
    const b = pts[i + 1]!;
    const s = cross(o, a, b);
    if (s === 0) continue;
    const tri: Pt[] = s > 0 ? [o, a, b] : [o, b, a];
    out.push({
      tri,
      sign: Math.sign(s),
      minX: Math.min(o[0], a[0], b[0]),
      minY: Math.min(o[1], a[1], b[1]),
      maxX: Math.max(o[0], a[0], b[0]),
      maxY: Math.max(o[1], a[1], b[1]),
    });
  }
  return out;
};

/** Area of A ∩ B for simple polygons (any orientation, convex or not). */
export const polygonIntersectionArea = (a: readonly Pt[], b: readonly Pt[]): number => {
  if (a.length < 3 || b.length < 3) return 0;
  const fa = fan(a);
  const fb = fan(b);
  let sum = 0;
  for (const t of fa)
    for (const u of fb) {
      if (t.maxX <= u.minX || u.maxX <= t.minX || t.maxY <= u.minY || u.maxY <= t.minY) continue;
      const piece = clipConvex(t.tri, u.tri);
      if (piece.length >= 3) sum += t.sign * u.sign * signedArea(piece);
    }
  // The fans' orientation signs cancel when A and B wind the same way; align them to A and B.
  const orientation = Math.sign(signedArea(a)) * Math.sign(signedArea(b));
  return Math.max(0, sum * orientation);
};

/** Intersection over union of two simple polygons; 0 when the union has no area. */
export const polygonIoU = (a: readonly Pt[], b: readonly Pt[]): number => {
  const inter = polygonIntersectionArea(a, b);
  const union = Math.abs(signedArea(a)) + Math.abs(signedArea(b)) - inter;
  return union <= 0 ? 0 : Math.min(1, inter / union);
};

/** IoU of two boxes in source pixels, honouring rotation (rotated boxes go through polygons). */
export const boxIoURotated = (a: Box, b: Box): number => {
  if ((a.rotation ?? 0) === 0 && (b.rotation ?? 0) === 0) return boxIoU(a, b);
  return polygonIoU(boxCorners(a), boxCorners(b));
};
