/**
 * Level-of-detail planning for large images, pure so it is tested in Node. A large image is held
 * as a downscaled overview plus a few regions decoded at the resolution the camera needs; the
 * full-size bitmap (400 MB at 100 MP) never exists outside a decode.
 */
import type { Camera, Size } from '../../core/camera';

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A region of the source decoded at `res` bitmap pixels per source pixel. */
export interface DetailRegion<B> {
  rect: Rect;
  res: number;
  bitmap: B;
  bytes: number;
}

/** Long side of the overview: twice the screen, between 2048 and 4096 px (16–64 MB as RGBA). */
export const overviewLongSide = (screen: Size, dpr: number): number =>
  Math.round(Math.min(4096, Math.max(2048, 2 * Math.max(screen.width, screen.height) * dpr)));

/** Up to 16 MP (64 MB as RGBA) an image is kept whole: sharp at every zoom with no region decodes. */
export const WHOLE_MAX_PIXELS = 4096 * 4096;

/** Larger images (or a side past 8192 px, over canvas limits on some GPUs) are kept as an overview. */
export const needsOverview = (image: Size): boolean =>
  image.width * image.height > WHOLE_MAX_PIXELS || Math.max(image.width, image.height) > 8192;

/** Snap grid for region edges (source px), so small pans ask for the same region again. */
const SNAP = 256;

/**
 * The resolution the camera needs (a power of two ≤ 1, at least the screen's pixels per source
 * pixel), or 0 when the overview (`overviewRes` px per source px) is still sharp enough.
 */
export const neededRes = (scale: number, dpr: number, overviewRes: number): number => {
  const px = scale * dpr;
  if (px <= overviewRes * 1.25) return 0;
  return Math.min(1, 2 ** Math.ceil(Math.log2(px)));
};

/** The visible part of the image in source pixels (null when the image is off screen). */
export const visibleRect = (camera: Camera, viewport: Size, image: Size): Rect | null => {
  const x0 = Math.max(0, -camera.x / camera.scale);
  const y0 = Math.max(0, -camera.y / camera.scale);
  const x1 = Math.min(image.width, (viewport.width - camera.x) / camera.scale);
  const y1 = Math.min(image.height, (viewport.height - camera.y) / camera.scale);
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, w: x1 - x0, h: y1 - y0 } : null;
};

/** The region to decode for a view: the visible rect plus half its size on each side, snapped, clipped. */
export const regionToDecode = (visible: Rect, image: Size): Rect => {
  const x0 = Math.max(0, Math.floor((visible.x - visible.w / 2) / SNAP) * SNAP);
  const y0 = Math.max(0, Math.floor((visible.y - visible.h / 2) / SNAP) * SNAP);
  const x1 = Math.min(image.width, Math.ceil((visible.x + visible.w * 1.5) / SNAP) * SNAP);
  const y1 = Math.min(image.height, Math.ceil((visible.y + visible.h * 1.5) / SNAP) * SNAP);
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
};

export const contains = (outer: Rect, inner: Rect): boolean =>
  inner.x >= outer.x - 1e-6 &&
  inner.y >= outer.y - 1e-6 &&
  inner.x + inner.w <= outer.x + outer.w + 1e-6 &&
  inner.y + inner.h <= outer.y + outer.h + 1e-6;

export const intersects = (a: Rect, b: Rect): boolean =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/**
 * Decoded regions under a byte budget, least recently used evicted first (the newest is always
 * kept, even alone over budget). `dispose` frees an evicted bitmap (ImageBitmap.close()).
 */
export class RegionLru<B> {
  private items: DetailRegion<B>[] = [];
  constructor(
    readonly budgetBytes: number,
    private readonly dispose: (b: B) => void,
  ) {}

  get bytes(): number {
    return this.items.reduce((s, r) => s + r.bytes, 0);
  }

  get size(): number {
    return this.items.length;
  }

  add(r: DetailRegion<B>): void {
    this.items.push(r);
    while (this.items.length > 1 && this.bytes > this.budgetBytes) this.dispose(this.items.shift()!.bitmap);
  }

  /** A region at `res` or finer holding all of `rect` (marked as recently used). */
  covering(rect: Rect, res: number): DetailRegion<B> | null {
    const hit = this.items.find((r) => r.res >= res && contains(r.rect, rect));
    if (hit) this.touch(hit);
    return hit ?? null;
  }

  /** Regions crossing `rect`, coarsest first (so finer ones are drawn over them). */
  within(rect: Rect): DetailRegion<B>[] {
    return this.items.filter((r) => intersects(r.rect, rect)).sort((a, b) => a.res - b.res);
  }

  clear(): void {
    for (const r of this.items) this.dispose(r.bitmap);
    this.items = [];
  }

  private touch(r: DetailRegion<B>): void {
    this.items = [...this.items.filter((x) => x !== r), r];
  }
}
