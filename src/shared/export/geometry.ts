import { boundsOfPoints, boxCorners, polygonArea } from '../geometry';
import type { BBoxResult, KeypointsResult, PolygonResult } from '../model';
import { clamp } from './record';

/**
 * Shape math shared by the image writers, in continuous source-pixel coordinates: the origin
 * is the top-left corner of the top-left pixel, so pixel i spans [i, i+1) and a box
 * [0, 0, 1, 1] covers exactly the first pixel. Everything is clamped to the image.
 */
export interface XYWH {
  x: number;
  y: number;
  w: number;
  h: number;
}

export const clampPoint = (p: readonly [number, number], W: number, H: number): [number, number] => [
  clamp(p[0], 0, W),
  clamp(p[1], 0, H),
];

const boundsOf = (pts: readonly (readonly [number, number])[]): XYWH => {
  const b = boundsOfPoints(pts);
  return { x: b.minX, y: b.minY, w: b.maxX - b.minX, h: b.maxY - b.minY };
};

/** Corners of a (possibly rotated) box, clockwise from its own top-left, clamped. */
export const boxPolygon = (b: BBoxResult, W: number, H: number): [number, number][] =>
  boxCorners(b).map((p) => clampPoint(p, W, H));

/** Axis-aligned bounds of a box (of its rotated corners when rotated), clamped to the image. */
export const boxBoundsClamped = (b: BBoxResult, W: number, H: number): XYWH => {
  if ((b.rotation ?? 0) === 0) {
    const x0 = clamp(b.x, 0, W);
    const y0 = clamp(b.y, 0, H);
    return { x: x0, y: y0, w: clamp(b.x + b.w, 0, W) - x0, h: clamp(b.y + b.h, 0, H) - y0 };
  }
  return boundsOf(boxPolygon(b, W, H));
};

export const polygonClamped = (p: PolygonResult, W: number, H: number): [number, number][] =>
  p.points.map((q) => clampPoint(q, W, H));

export const polygonBounds = (pts: readonly (readonly [number, number])[]): XYWH => boundsOf(pts);

export const areaOfPolygon = (pts: readonly (readonly [number, number])[]): number => polygonArea(pts);

/** Bounds of the labelled points (v > 0) of a keypoints result; undefined when none is labelled. */
export const keypointBounds = (k: KeypointsResult, W: number, H: number): XYWH | undefined => {
  const pts = k.points.filter((p) => p.v > 0).map((p) => clampPoint([p.x, p.y], W, H));
  return pts.length ? boundsOf(pts) : undefined;
};

/** Rotation normalized to [0, 360). */
export const normDeg = (d: number): number => ((d % 360) + 360) % 360;
