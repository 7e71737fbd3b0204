/**
 * Images opened ahead of their editor and handed over once, by URL: the task screen prepares the
 * next task's image while the person works on this one (its cache decides which and how many,
 * under its memory budget, and drops what it no longer wants), and the editor starts its own
 * image while it mounts rather than after. Whoever `take`s an image owns it (disposes it);
 * an image never taken is disposed by `drop` or when its time to live runs out.
 */
import type { Size } from '../../core/camera';
import { ImageSource } from './image-source';

interface Entry {
  ac: AbortController;
  /** The first bitmap is decoded (what the editor waits for). */
  opened: Promise<ImageSource>;
  /** The mip too (what a prepared task waits for). */
  complete: Promise<ImageSource>;
  source: ImageSource | null;
  /** Handed over: the taker owns the image from now on. */
  taken: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const screenSize = (): Size => ({
  width: globalThis.screen?.width || 1920,
  height: globalThis.screen?.height || 1080,
});

export class PreparedImages {
  private readonly items = new Map<string, Entry>();

  constructor(private readonly open: typeof ImageSource.open = (u, n, o) => ImageSource.open(u, n, o)) {}

  /**
   * Starts opening `url` unless it is already open or opening; resolves when the image is fully
   * decoded (mip included). `ttlMs`: drop it if nobody takes it by then.
   */
  prepare(url: string, natural: Size, opts: { ttlMs?: number } = {}): Promise<ImageSource> {
    const had = this.items.get(url);
    if (had) return had.complete;
    const ac = new AbortController();
    const opened = this.open(url, natural, {
      signal: ac.signal,
      screen: screenSize(),
      dpr: globalThis.devicePixelRatio || 1,
    });
    const entry: Entry = {
      ac,
      opened,
      complete: opened.then(async (s) => (await s.complete, s)),
      source: null,
      taken: false,
      timer: opts.ttlMs ? setTimeout(() => this.drop(url), opts.ttlMs) : undefined,
    };
    opened.then(
      (s) => {
        if (entry.taken) return;
        if (this.items.get(url) === entry) entry.source = s;
        else s.dispose(); // dropped while it decoded
      },
      () => {
        // A failed prepare is forgotten: the editor opens the image itself and shows the error.
        if (this.items.get(url) === entry) this.forget(url);
      },
    );
    entry.complete.catch(() => undefined);
    this.items.set(url, entry);
    return entry.complete;
  }

  /** Hands the image over (the caller disposes it); null when it was never prepared. */
  take(url: string): Promise<ImageSource> | null {
    const e = this.items.get(url);
    if (!e) return null;
    e.taken = true;
    this.forget(url);
    return e.opened;
  }

  /**
   * The image at once, handed over, when it is already decoded (so a prepared task draws in the
   * same task as the key that opened it); null when it is not prepared or still decoding.
   */
  takeReady(url: string): ImageSource | null {
    const e = this.items.get(url);
    if (!e?.source || e.taken) return null;
    e.taken = true;
    this.forget(url);
    return e.source;
  }

  has(url: string): boolean {
    return this.items.has(url);
  }

  /** Decoded bytes held for `url` (0 while it is still decoding). */
  bytes(url: string): number {
    return this.items.get(url)?.source?.bytes ?? 0;
  }

  /** Keeps `url` at most `ms` longer for its editor to take (the screen was handed its task). */
  expire(url: string, ms: number): void {
    const e = this.items.get(url);
    if (!e) return;
    clearTimeout(e.timer);
    e.timer = setTimeout(() => this.drop(url), ms);
  }

  /** Disposes a prepared image nobody took (or stops its decode). */
  drop(url: string): void {
    const e = this.items.get(url);
    if (!e) return;
    this.forget(url);
    e.ac.abort();
    e.source?.dispose();
  }

  private forget(url: string): void {
    const e = this.items.get(url);
    if (e) clearTimeout(e.timer);
    this.items.delete(url);
  }
}

/** The window's prepared images (one renderer, one set). */
export const preparedImages = new PreparedImages();
