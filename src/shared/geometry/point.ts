/** 2-D point math in source-image pixels. Pure: no DOM. */
export type Vec = readonly [number, number];

export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

const dist2 = (a: Vec, b: Vec): number => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2;
export const dist = (a: Vec, b: Vec): number => Math.sqrt(dist2(a, b));

/** Rotate `p` by `deg` degrees (clockwise on screen, y down) about `c`. */
export const rotateAbout = (p: Vec, c: Vec, deg: number): [number, number] => {
  if (deg === 0) return [p[0], p[1]];
  const r = (deg * Math.PI) / 180;
  const cos = Math.cos(r);
  const sin = Math.sin(r);
  const dx = p[0] - c[0];
  const dy = p[1] - c[1];
  return [c[0] + dx * cos - dy * sin, c[1] + dx * sin + dy * cos];
};

/** Squared distance from `p` to the segment a–b. */
export const segmentDist2 = (p: Vec, a: Vec, b: Vec): number => {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
  t = Math.max(0, Math.min(1, t));
  return dist2(p, [a[0] + t * dx, a[1] + t * dy]);
};

export const boundsOfPoints = (pts: readonly Vec[]): Bounds => {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of pts) {
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  return { minX, minY, maxX, maxY };
};
