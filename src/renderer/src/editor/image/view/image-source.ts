/**
 * The image behind the editor. Decoding runs in the window's warm worker (decoder.ts), so neither
 * the decode nor a resize blocks the main thread. Small images are kept whole: the full bitmap is
 * shown first, the quarter-size mip (cheap to draw zoomed out) follows; an image larger than the overview (e.g. 100 MP) is kept as a downscaled overview, and when
 * the camera zooms in past it, the visible region (with a margin) is decoded at the resolution
 * the screen needs, 120 ms after the camera settles, into a small LRU cache under a byte budget.
 * Geometry never changes: everything is drawn in source pixels.
 */
import { afterNextPaint } from '../../../features/task/after-paint';
import type { Camera, Size } from '../../core/camera';
import { type Decoded, fittedSize, wantsMip } from './decode';
import {
  type DecodeHandle,
  FetchUnreachable,
  WorkerFailed,
  decodeHandle,
  inThreadHandle,
  stageHint,
} from './decoder';
import {
  type Rect,
  RegionLru,
  contains,
  neededRes,
  overviewLongSide,
  regionToDecode,
  visibleRect,
} from './detail-plan';

/** Decoded detail regions kept at most (RGBA bytes): about three 1:1 views of a 1600×1000 screen. */
export const DETAIL_BUDGET_BYTES = 80 * 2 ** 20;
const SETTLE_MS = 120;

export interface DetailState {
  mode: 'whole' | 'overview';
  /** Detail regions decoded so far. */
  decodes: number;
  /** Resolution of the decoded region holding the current view (whole images: 1; 0: overview only). */
  res: number;
  pending: boolean;
}

export class ImageSource {
  private regions = new RegionLru<ImageBitmap>(DETAIL_BUDGET_BYTES, (b) => b.close());
  private listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inflight = false;
  private queued: [Camera, Size, number] | null = null;
  private disposed = false;
  decodes = 0;

  private constructor(
    readonly natural: Size,
    private readonly decoder: DecodeHandle,
    private readonly decoded: Decoded,
  ) {
    // The mip and the fitted copy are decoded once the frame that shows the image is painted:
    // asked for at once, their decodes took the second core from that frame's draw and raster.
    const painted = afterNextPaint();
    const mip = this.decoded.full && wantsMip(natural) ? painted.then(() => this.addMip()) : painted;
    this.complete = mip.then(() => this.addFit());
  }

  /**
   * The copy for the fitted view (where every image opens and `fit` returns), decoded after the
   * mip at the image canvas's last size: drawn 1:1 (`drawFitted`), a prepared image's switch
   * rasters ~0.6 ms of image instead of 4–8 ms of scaling the full bitmap (software raster).
   */
  private async addFit(): Promise<void> {
    const size = fittedSize(this.natural, stageHint());
    const from = this.decoded.full ?? this.decoded.reduced;
    if (!size || !from || size.width >= from.width || this.disposed) return;
    try {
      const fitted = await this.decoder.fit(size);
      if (this.disposed) return fitted.close();
      this.decoded.fitted = fitted;
      this.emit();
    } catch {
      // Without it the fitted view scales the full bitmap (or the mip): slower, still right.
    }
  }

  /** The mip, decoded after the full image is on screen; until then the full bitmap is drawn. */
  private async addMip(): Promise<void> {
    try {
      const { reduced, reducedRes } = await this.decoder.mip(this.natural);
      if (this.disposed) return reduced.close();
      this.decoded.reduced = reduced;
      this.decoded.reducedRes = reducedRes;
      this.emit();
    } catch {
      // Without a mip the full bitmap is drawn at every zoom: slower zoomed out, still right.
    }
  }

  /** Resolves once the mip (if the image gets one) is decoded too: a prepared image waits for it. */
  readonly complete: Promise<void>;

  /**
   * Fetch and decode (off the main thread); resolves as soon as the bitmap to show first is
   * there. `screen` sizes the overview of a large image.
   */
  static async open(
    url: string,
    natural: Size,
    opts: {
      signal?: AbortSignal;
      screen: Size;
      dpr: number;
    },
  ): Promise<ImageSource> {
    const longSide = overviewLongSide(opts.screen, opts.dpr);
    // The page's own fetch: where the worker cannot fetch (or there is no worker).
    const fetchHere = async (): Promise<Blob> => {
      const res = await fetch(url, opts.signal ? { signal: opts.signal } : {});
      if (!res.ok) throw new Error(`image request failed: HTTP ${res.status}`);
      return res.blob();
    };
    let decoder = decodeHandle();
    try {
      let decoded: Decoded;
      try {
        // The worker fetches and decodes by itself: nothing waits on the page's main thread.
        decoded = decoder.fetchAndOpen
          ? await decoder
              .fetchAndOpen(new URL(url, location.href).href, natural, longSide)
              .catch(async (e: unknown) => {
                if (!(e instanceof FetchUnreachable)) throw e;
                return decoder.open(await fetchHere(), natural, longSide);
              })
          : await decoder.open(await fetchHere(), natural, longSide);
      } catch (e) {
        // A worker that failed to load (not a bad image): decode here instead.
        if (!(e instanceof WorkerFailed)) throw e;
        decoder.close();
        decoder = inThreadHandle();
        decoded = await decoder.open(await fetchHere(), natural, longSide);
      }
      if (opts.signal?.aborted) {
        decoded.full?.close();
        decoded.reduced?.close();
        decoded.fitted?.close();
        throw new DOMException('aborted', 'AbortError');
      }
      performance.mark('image-editor:decoded');
      return new ImageSource(natural, decoder, decoded);
    } catch (e) {
      decoder.close();
      throw e;
    }
  }

  /** Disposed: its bitmaps are closed and it may not be drawn. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Bytes of decoded pixels held now (RGBA), detail regions included. */
  get bytes(): number {
    const px = (b: ImageBitmap | null) => (b ? b.width * b.height * 4 : 0);
    return (
      px(this.decoded.full) + px(this.decoded.reduced) + px(this.decoded.fitted ?? null) + this.regions.bytes
    );
  }

  get mode(): DetailState['mode'] {
    return this.decoded.full ? 'whole' : 'overview';
  }

  /** The smallest bitmap showing the whole image (the minimap draws it). */
  get overview(): ImageBitmap {
    return (this.decoded.reduced ?? this.decoded.full)!;
  }

  onChange(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Call on every camera change: decodes the view's detail once the camera has settled. */
  update(camera: Camera, viewport: Size, dpr: number): void {
    if (this.decoded.full || this.disposed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.fetchDetail(camera, viewport, dpr), SETTLE_MS);
  }

  state(camera: Camera, viewport: Size): DetailState {
    const base = {
      mode: this.mode,
      decodes: this.decodes,
      pending: this.inflight || this.timer !== undefined,
    };
    if (this.decoded.full) return { ...base, res: 1 };
    const vis = visibleRect(camera, viewport, this.natural);
    const res = vis
      ? Math.max(
          0,
          ...this.regions
            .within(vis)
            .filter((r) => contains(r.rect, vis))
            .map((r) => r.res),
        )
      : 0;
    return { ...base, res };
  }

  /** Draw in source-pixel coordinates (the layer carries the camera transform). */
  draw(c: CanvasRenderingContext2D, camera: Camera, viewport: Size): void {
    // Disposed (its editor is going, or a development remount opens it again): nothing to draw.
    if (this.disposed) return;
    const { width, height } = this.natural;
    const d = this.decoded;
    // The fitted view (where every image opens): its copy 1:1.
    if (d.fitted && drawFitted(c, d.fitted, this.natural)) return;
    const blit = (b: ImageBitmap, r: Rect, res: number) => {
      // Pixels stay crisp when zoomed in (annotators place points on them).
      c.imageSmoothingEnabled = camera.scale / res < 2;
      c.drawImage(b, r.x, r.y, r.w, r.h);
    };
    const whole = { x: 0, y: 0, w: width, h: height };
    if (d.full) {
      // The mip while it still has a pixel per screen pixel.
      if (d.reduced && camera.scale <= d.reducedRes * 1.1) blit(d.reduced, whole, d.reducedRes);
      else blit(d.full, whole, 1);
      return;
    }
    blit(d.reduced!, whole, d.reducedRes);
    const vis = visibleRect(camera, viewport, this.natural);
    if (!vis) return;
    for (const r of this.regions.within(vis)) if (r.res > d.reducedRes) blit(r.bitmap, r.rect, r.res);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.regions.clear();
    this.decoded.full?.close();
    this.decoded.reduced?.close();
    this.decoded.fitted?.close();
    this.decoded.fitted = null;
    this.decoder.close();
    this.listeners.clear();
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }

  private async fetchDetail(camera: Camera, viewport: Size, dpr: number): Promise<void> {
    this.timer = undefined;
    if (this.disposed) return;
    if (this.inflight) {
      this.queued = [camera, viewport, dpr];
      return;
    }
    const res = neededRes(camera.scale, dpr, this.decoded.reducedRes);
    const vis = visibleRect(camera, viewport, this.natural);
    if (!res || !vis || this.regions.covering(vis, res)) {
      this.emit();
      return;
    }
    const rect = regionToDecode(vis, this.natural);
    this.inflight = true;
    this.emit();
    try {
      const bitmap = await this.decoder.region(rect, res);
      if (this.disposed) bitmap.close();
      else {
        this.regions.add({ rect, res, bitmap, bytes: bitmap.width * bitmap.height * 4 });
        this.decodes++;
      }
    } catch {
      // The overview stays on screen; the next camera change asks again.
    } finally {
      this.inflight = false;
    }
    if (this.disposed) return;
    this.emit();
    const q = this.queued;
    this.queued = null;
    if (q) void this.fetchDetail(...q);
  }
}

/**
 * Draws `fitted` 1:1 on whole device pixels when the canvas's transform shows the image at its
 * size (within a pixel: the camera fits it), and says whether it did.
 */
export const drawFitted = (c: CanvasRenderingContext2D, fitted: ImageBitmap, natural: Size): boolean => {
  const m = c.getTransform();
  if (m.b !== 0 || m.c !== 0) return false;
  if (
    Math.abs(m.a * natural.width - fitted.width) >= 1 ||
    Math.abs(m.d * natural.height - fitted.height) >= 1
  )
    return false;
  c.save();
  c.setTransform(1, 0, 0, 1, 0, 0);
  c.drawImage(fitted, Math.round(m.e), Math.round(m.f));
  c.restore();
  return true;
};
