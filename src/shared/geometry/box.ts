import { type Bounds, type Vec, boundsOfPoints, rotateAbout } from './point';

/** A box in source pixels: top-left x/y, size, rotation in degrees about its centre. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  rotation?: number;
}

const boxCenter = (b: Box): [number, number] => [b.x + b.w / 2, b.y + b.h / 2];

/** Corners in order TL, TR, BR, BL, rotated. */
export const boxCorners = (b: Box): [number, number][] => {
  const c = boxCenter(b);
  const r = b.rotation ?? 0;
  const corners: Vec[] = [
    [b.x, b.y],
    [b.x + b.w, b.y],
    [b.x + b.w, b.y + b.h],
    [b.x, b.y + b.h],
  ];
  return corners.map((p) => rotateAbout(p, c, r));
};

export const boxBounds = (b: Box): Bounds =>
  (b.rotation ?? 0) === 0
    ? { minX: b.x, minY: b.y, maxX: b.x + b.w, maxY: b.y + b.h }
    : boundsOfPoints(boxCorners(b));

/** Point in box, honouring rotation; `tol` grows the box on every side. */
export const boxContains = (b: Box, p: Vec, tol = 0): boolean => {
  const local = rotateAbout(p, boxCenter(b), -(b.rotation ?? 0));
  return (
    local[0] >= b.x - tol &&
    local[0] <= b.x + b.w + tol &&
    local[1] >= b.y - tol &&
    local[1] <= b.y + b.h + tol
  );
};

/** Box spanned by two corner points (any order). */
export const boxFromPoints = (a: Vec, b: Vec): Box => ({
  x: Math.min(a[0], b[0]),
  y: Math.min(a[1], b[1]),
  w: Math.abs(a[0] - b[0]),
  h: Math.abs(a[1] - b[1]),
  rotation: 0,
});

export const boxArea = (b: Box): number => b.w * b.h;

/** Intersection over union of two axis-aligned boxes (rotation ignored). */
export const boxIoU = (a: Box, b: Box): number => {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const inter = ix * iy;
  const union = boxArea(a) + boxArea(b) - inter;
  return union <= 0 ? 0 : inter / union;
};

/** Handles of a box: 8 resize handles and one rotation handle above the top edge. */
export type Handle = 'nw' | 'n' | 'ne' | 'e' | 'se' | 's' | 'sw' | 'w' | 'rot';
export const RESIZE_HANDLES: readonly Handle[] = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w'];

/** World position of a handle; `rotOffset` is how far above the top edge the rotation knob sits. */
export const handlePosition = (b: Box, h: Handle, rotOffset = 0): [number, number] => {
  const local: Record<Handle, Vec> = {
    nw: [b.x, b.y],
    n: [b.x + b.w / 2, b.y],
    ne: [b.x + b.w, b.y],
    e: [b.x + b.w, b.y + b.h / 2],
    se: [b.x + b.w, b.y + b.h],
    s: [b.x + b.w / 2, b.y + b.h],
    sw: [b.x, b.y + b.h],
    w: [b.x, b.y + b.h / 2],
    rot: [b.x + b.w / 2, b.y - rotOffset],
  };
  return rotateAbout(local[h], boxCenter(b), b.rotation ?? 0);
};

/**
 * Resize by dragging handle `h` to world point `p`: the opposite side stays fixed (in the box's
 * rotated frame). Flipping past the opposite side normalizes to a positive size.
 */
export const resizeBox = (b: Box, h: Handle, p: Vec): Box => {
  const rot = b.rotation ?? 0;
  const c = boxCenter(b);
  const lp = rotateAbout(p, c, -rot);
  let x0 = b.x;
  let y0 = b.y;
  let x1 = b.x + b.w;
  let y1 = b.y + b.h;
  if (h.includes('w')) x0 = lp[0];
  if (h.includes('e')) x1 = lp[0];
  if (h.startsWith('n')) y0 = lp[1];
  if (h.startsWith('s')) y1 = lp[1];
  const nx = Math.min(x0, x1);
  const ny = Math.min(y0, y1);
  const nw = Math.abs(x1 - x0);
  const nh = Math.abs(y1 - y0);
  if (rot === 0) return { x: nx, y: ny, w: nw, h: nh, rotation: 0 };
  // The new local box's centre must be mapped back through the old rotation centre.
  const newCenterWorld = rotateAbout([nx + nw / 2, ny + nh / 2], c, rot);
  return { x: newCenterWorld[0] - nw / 2, y: newCenterWorld[1] - nh / 2, w: nw, h: nh, rotation: rot };
};

/** Rotation (degrees, 0..360) that points the box's top towards `p`. */
export const rotationTowards = (b: Box, p: Vec, snapDeg = 0): number => {
  const c = boxCenter(b);
  let deg = (Math.atan2(p[1] - c[1], p[0] - c[0]) * 180) / Math.PI + 90;
  if (snapDeg > 0) deg = Math.round(deg / snapDeg) * snapDeg;
  return ((deg % 360) + 360) % 360;
};
