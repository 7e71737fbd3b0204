/**
 * The image behind the editor. Decoding runs in a worker (createImageBitmap there, so neither the
 * decode nor a resize blocks the main thread). Small images are kept whole (plus a quarter-size
 * mip); an image larger than the overview (e.g. 100 MP) is kept as a downscaled overview, and when
 * the camera zooms in past it, the visible region (with a margin) is decoded at the resolution
 * the screen needs, 120 ms after the camera settles, into a small LRU cache under a byte budget.
 * Geometry never changes: everything is drawn in source pixels.
 */
import type { Camera, Size } from '../../core/camera';
import { type Decoded, decodeImage, decodeRegion } from './decode';
import type { DecodeReply, DecodeRequest } from './decode-worker';
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

class WorkerFailed extends Error {}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

interface Decoder {
  open(blob: Blob, natural: Size, longSide: number): Promise<Decoded>;
  region(rect: Rect, res: number): Promise<ImageBitmap>;
  close(): void;
}

/** The same decodes on this thread: where a worker cannot start (its script blocked or missing). */
const inThreadDecoder = (): Decoder => {
  let file: Blob | null = null;
  return {
    open: (blob, natural, longSide) => ((file = blob), decodeImage(blob, natural, longSide)),
    region: (rect, res) =>
      file ? decodeRegion(file, rect, res) : Promise.reject(new Error('no image is open')),
    close: () => undefined,
  };
};

const workerDecoder = (): Decoder | null => {
  let w: Worker;
  try {
    w = new Worker(new URL('./decode-worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return null;
  }
  let next = 1;
  const waiting = new Map<number, { ok: (r: DecodeReply) => void; fail: (e: Error) => void }>();
  w.onmessage = (e: MessageEvent<DecodeReply>) => {
    const p = waiting.get(e.data.id);
    waiting.delete(e.data.id);
    if (!p) return;
    if (e.data.ok) p.ok(e.data);
    else p.fail(new Error(e.data.error));
  };
  w.onerror = (e) => {
    for (const p of waiting.values()) p.fail(new WorkerFailed(e.message || 'the decode worker failed'));
    waiting.clear();
  };
  const call = (m: WithoutId<DecodeRequest>): Promise<DecodeReply> =>
    new Promise((ok, fail) => {
      const id = next++;
      waiting.set(id, { ok, fail });
      w.postMessage({ ...m, id });
    });
  return {
    async open(blob, natural, longSide) {
      const r = await call({ kind: 'open', blob, natural, longSide });
      if (!('reducedRes' in r)) throw new Error('unexpected decode reply');
      return { full: r.full, reduced: r.reduced, reducedRes: r.reducedRes };
    },
    async region(rect, res) {
      const r = await call({ kind: 'region', rect, res });
      if (!('region' in r)) throw new Error('unexpected decode reply');
      return r.region;
    },
    close: () => w.terminate(),
  };
};

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
    private readonly decoder: Decoder,
    private readonly decoded: Decoded,
  ) {}

  /** Fetch and decode (off the main thread). `screen` sizes the overview of a large image. */
  static async open(
    url: string,
    natural: Size,
    opts: { signal?: AbortSignal; screen: Size; dpr: number },
  ): Promise<ImageSource> {
    const res = await fetch(url, opts.signal ? { signal: opts.signal } : {});
    if (!res.ok) throw new Error(`image request failed: HTTP ${res.status}`);
    const blob = await res.blob();
    const longSide = overviewLongSide(opts.screen, opts.dpr);
    let decoder = workerDecoder() ?? inThreadDecoder();
    try {
      let decoded: Decoded;
      try {
        decoded = await decoder.open(blob, natural, longSide);
      } catch (e) {
        // A worker that failed to load (not a bad image): decode here instead.
        if (!(e instanceof WorkerFailed)) throw e;
        decoder.close();
        decoder = inThreadDecoder();
        decoded = await decoder.open(blob, natural, longSide);
      }
      if (opts.signal?.aborted) {
        decoded.full?.close();
        decoded.reduced?.close();
        throw new DOMException('aborted', 'AbortError');
      }
      performance.mark('image-editor:decoded');
      return new ImageSource(natural, decoder, decoded);
    } catch (e) {
      decoder.close();
      throw e;
    }
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
    const { width, height } = this.natural;
    const d = this.decoded;
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
