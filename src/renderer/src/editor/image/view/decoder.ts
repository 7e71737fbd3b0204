/**
 * Who decodes an image: the window's one decode worker (decode-worker.ts), started once and kept
 * warm, so opening an image never waits for a worker to boot; or, where a worker cannot start (its
 * script blocked or missing), the same decodes on this thread (createImageBitmap from a Blob still
 * decodes off the main thread there). Each open image holds a `DecodeHandle` keyed in the worker.
 */
import type { Size } from '../../core/camera';
import { type Decoded, type StageHint, decodeFit, decodeImage, decodeMip, decodeRegion } from './decode';
import type { DecodeReply, DecodeRequest } from './decode-worker';
import type { Rect } from './detail-plan';

/** The worker failed to load or crashed (not a bad image): the caller may decode in-thread. */
export class WorkerFailed extends Error {}

/** The worker could not fetch the URL at all (not an HTTP error): the page fetches it instead. */
export class FetchUnreachable extends Error {}

/** One image's decodes; `close` drops its file from the decoder. */
export interface DecodeHandle {
  /** Fetch and decode in the decoder itself (null: this decoder cannot; fetch on the page). */
  fetchAndOpen: ((url: string, natural: Size, longSide: number) => Promise<Decoded>) | null;
  open(blob: Blob, natural: Size, longSide: number): Promise<Decoded>;
  mip(natural: Size): Promise<{ reduced: ImageBitmap; reducedRes: number }>;
  region(rect: Rect, res: number): Promise<ImageBitmap>;
  /** The whole image at `size` (the fitted view's device pixels). */
  fit(size: Size): Promise<ImageBitmap>;
  close(): void;
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export const inThreadHandle = (): DecodeHandle => {
  let file: Blob | null = null;
  const need = () => file ?? Promise.reject(new Error('no image is open'));
  return {
    fetchAndOpen: null,
    open: (blob, natural, longSide) => ((file = blob), decodeImage(blob, natural, longSide)),
    fit: async (size) => decodeFit(await need(), size),
    mip: async (natural) => decodeMip(await need(), natural),
    region: async (rect, res) => decodeRegion(await need(), rect, res),
    close: () => void (file = null),
  };
};

class WarmWorker {
  private next = 1;
  private keys = 1;
  private readonly waiting = new Map<number, { ok: (r: DecodeReply) => void; fail: (e: Error) => void }>();
  broken = false;

  constructor(private readonly w: Worker) {
    w.onmessage = (e: MessageEvent<DecodeReply>) => {
      const p = this.waiting.get(e.data.id);
      this.waiting.delete(e.data.id);
      if (!p) return;
      if (e.data.ok) p.ok(e.data);
      else p.fail(e.data.unreachable ? new FetchUnreachable(e.data.error) : new Error(e.data.error));
    };
    w.onerror = (e) => {
      // A worker that fails to load or dies fails everything waiting; the next open decodes in-thread.
      this.broken = true;
      for (const p of this.waiting.values())
        p.fail(new WorkerFailed(e.message || 'the decode worker failed'));
      this.waiting.clear();
    };
  }

  private call(m: WithoutId<DecodeRequest>): Promise<DecodeReply> {
    if (this.broken) return Promise.reject(new WorkerFailed('the decode worker failed'));
    return new Promise((ok, fail) => {
      const id = this.next++;
      this.waiting.set(id, { ok, fail });
      this.w.postMessage({ ...m, id });
    });
  }

  handle(): DecodeHandle {
    const key = this.keys++;
    return {
      fetchAndOpen: async (url, natural, longSide) => {
        const r = await this.call({ kind: 'fetch', key, url, natural, longSide });
        if (!('reducedRes' in r)) throw new Error('unexpected decode reply');
        return { full: r.full, reduced: r.reduced, reducedRes: r.reducedRes };
      },
      open: async (blob, natural, longSide) => {
        const r = await this.call({ kind: 'open', key, blob, natural, longSide });
        if (!('reducedRes' in r)) throw new Error('unexpected decode reply');
        return { full: r.full, reduced: r.reduced, reducedRes: r.reducedRes };
      },
      mip: async (natural) => {
        const r = await this.call({ kind: 'mip', key, natural });
        if (!('reducedRes' in r) || !r.reduced) throw new Error('unexpected decode reply');
        return { reduced: r.reduced, reducedRes: r.reducedRes };
      },
      region: async (rect, res) => {
        const r = await this.call({ kind: 'region', key, rect, res });
        if (!('region' in r)) throw new Error('unexpected decode reply');
        return r.region;
      },
      fit: async (size) => {
        const r = await this.call({ kind: 'fit', key, size });
        if (!('region' in r)) throw new Error('unexpected decode reply');
        return r.region;
      },
      close: () => void this.call({ kind: 'close', key }).catch(() => undefined),
    };
  }
}

let warm: WarmWorker | null | undefined;

/**
 * Starts the window's decode worker if it is not running yet (the task screen calls it at start,
 * so the first image does not pay for the worker's start-up). Returns null where none can start.
 */
export const warmDecoder = (): WarmWorker | null => {
  // One that broke (script blocked, crashed) is not started again: decodes stay in-thread.
  if (warm?.broken) warm = null;
  if (warm === undefined) {
    try {
      warm = new WarmWorker(new Worker(new URL('./decode-worker.ts', import.meta.url), { type: 'module' }));
    } catch {
      warm = null;
    }
  }
  return warm;
};

/** A decode handle for one image: on the warm worker, else in-thread. */
export const decodeHandle = (): DecodeHandle => warmDecoder()?.handle() ?? inThreadHandle();

/** Where the image canvas is: the images decoded from now on get a copy fitted to it. */
let stage: StageHint | null = null;

/** Called by the image canvas whenever it measures itself. */
export const noteStageSize = (viewport: Size): void => {
  stage = { viewport, dpr: globalThis.devicePixelRatio || 1 };
};

/** The image canvas's last size and pixel ratio (null before any canvas measured itself). */
export const stageHint = (): StageHint | null => stage;
