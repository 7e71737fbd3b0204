/**
 * Camera math for a zoomable canvas: screen = world * scale + offset. Pure functions, so the
 * view and the tools agree on coordinates and both can be tested without a DOM.
 */
export interface Camera {
  x: number;
  y: number;
  scale: number;
}

export interface Size {
  width: number;
  height: number;
}

export const MIN_SCALE = 0.01;
export const MAX_SCALE = 64;

const clampScale = (s: number): number => Math.min(MAX_SCALE, Math.max(MIN_SCALE, s));

export const screenToWorld = (c: Camera, sx: number, sy: number): [number, number] => [
  (sx - c.x) / c.scale,
  (sy - c.y) / c.scale,
];

export const worldToScreen = (c: Camera, wx: number, wy: number): [number, number] => [
  wx * c.scale + c.x,
  wy * c.scale + c.y,
];

/** Zoom by `factor`, keeping the world point under screen point (sx, sy) fixed. */
export const zoomAt = (c: Camera, factor: number, sx: number, sy: number): Camera => {
  const scale = clampScale(c.scale * factor);
  const k = scale / c.scale;
  return { scale, x: sx - (sx - c.x) * k, y: sy - (sy - c.y) * k };
};

export const panBy = (c: Camera, dx: number, dy: number): Camera => ({ ...c, x: c.x + dx, y: c.y + dy });

/** Fit the whole image in the viewport with a margin, centred. */
export const fitCamera = (view: Size, image: Size, margin = 24): Camera => {
  const scale = clampScale(
    Math.min((view.width - 2 * margin) / image.width, (view.height - 2 * margin) / image.height),
  );
  return { scale, x: (view.width - image.width * scale) / 2, y: (view.height - image.height * scale) / 2 };
};

/** Show the image at 1:1 around the current viewport centre. */
export const actualSize = (c: Camera, view: Size): Camera =>
  zoomAt(c, 1 / c.scale, view.width / 2, view.height / 2);

/** The world rectangle the viewport shows (for culling). */
export const visibleWorld = (
  c: Camera,
  view: Size,
): { minX: number; minY: number; maxX: number; maxY: number } => {
  const [minX, minY] = screenToWorld(c, 0, 0);
  const [maxX, maxY] = screenToWorld(c, view.width, view.height);
  return { minX, minY, maxX, maxY };
};

/** Centre the camera on a world rectangle, zooming so it fills about half the viewport. */
export const focusOn = (
  view: Size,
  r: { minX: number; minY: number; maxX: number; maxY: number },
  fill = 0.5,
): Camera => {
  const w = Math.max(r.maxX - r.minX, 1);
  const h = Math.max(r.maxY - r.minY, 1);
  const scale = clampScale(Math.min((view.width * fill) / w, (view.height * fill) / h));
  const cx = (r.minX + r.maxX) / 2;
  const cy = (r.minY + r.maxY) / 2;
  return { scale, x: view.width / 2 - cx * scale, y: view.height / 2 - cy * scale };
};
