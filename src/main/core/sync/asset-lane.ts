import fs from 'node:fs';
import path from 'node:path';
import type { AssetStore } from '../assets/store';
import type { QueueService } from '../queue/service';
import { AssetUnavailableError, type AssetCache } from './asset-cache';

/** Tasks at the head of the queue whose images go first, one at a time, at the link's full speed. */
export const HEAD_TASKS = 3;

/** Finished tasks whose images stay cached after their leases end (the budget still evicts them). */
export const KEEP_FINISHED = 20;

/** A finished task's image fetched again: here now, refused by the hub, or not reachable now. */
export type RefetchResult =
  { status: 'ready' } | { status: 'forbidden' } | { status: 'unavailable'; detail: string };

export interface AssetLaneOptions {
  /** Leased tasks come from the queue's hub side. */
  queue: QueueService;
  /** Where cached images are listed for the workbench's own asset lookup. */
  assets: AssetStore;
  cache: AssetCache;
  /** The cache's folder, relative to the data folder (how `assets` lists the files). */
  dir: string;
  /** One image verified and registered: the renderer can show it now. */
  onReady?: (sha256: string) => void;
  /** More images to keep cached, after the leased tasks' (review items, in review order). */
  extraImages?: () => readonly { sha256: string; mime: string }[];
  /** How many finished tasks' images stay cached (default `KEEP_FINISHED`; 0 removes them at lease end). */
  keepFinished?: number;
}

/**
 * The assets lane: keeps the images of leased tasks cached, independently of push and pull (a
 * submit never waits for an image). Order: the task on screen (in progress) and the next few in
 * queue order first, each alone so it arrives as soon as the link allows; then the rest behind,
 * with parallelism chosen from the measured download rate (on a slow link more parallel
 * downloads only share the same bytes and delay each image). Every image is announced the
 * moment it is verified. One run at a time; a request during a run makes one more follow it.
 */
export class AssetLane {
  private run: Promise<void> | null = null;
  private again = false;
  private closed = false;
  /** Bytes per second measured over finished downloads (null before the first). */
  private rate: number | null = null;
  /** Registered and announced in this session. */
  private readonly announced = new Set<string>();
  /** Images fetched again on demand, newest last: kept like the last finished tasks' images. */
  private readonly reopened: { sha256: string; mime: string }[] = [];

  constructor(private readonly o: AssetLaneOptions) {}

  /** Starts (or queues) a pass over the leased tasks; resolves when the pass is over. */
  kick(): Promise<void> {
    if (this.run) {
      this.again = true;
      return this.run;
    }
    this.run = (async () => {
      try {
        do {
          this.again = false;
          await this.passOnce();
        } while (this.again && !this.closed);
      } finally {
        this.run = null;
      }
    })();
    return this.run;
  }

  /** Resolves when no pass is under way (tests and benches wait on it). */
  async idle(): Promise<void> {
    while (this.run) await this.run.catch(() => undefined);
  }

  close(): void {
    this.closed = true;
  }

  /**
   * Parallel downloads for the prefetch behind the head, from the measured rate: on a slow link
   * two (one image's request crosses the round trip while the other's bytes fill the link;
   * more would only split the same bytes), more as the link gets faster.
   */
  parallelism(): number {
    if (this.rate === null || this.rate < 256 * 1024) return 2;
    if (this.rate < 1024 * 1024) return 3;
    return 4;
  }

  /**
   * Fetches a finished task's image again (its lease ended and the file was removed or evicted),
   * through the same verified cache, and lists it. The hub serves it to its author while the
   * project allows it; a refusal (403/404) is `forbidden`, never retried here.
   */
  async refetch(image: { sha256: string; mime: string }): Promise<RefetchResult> {
    const known = this.o.cache.localPath(image.sha256);
    // Deleted behind our back (disk cleaner, person): fetch it again rather than list a missing file.
    if (known && !fs.existsSync(known)) await this.o.cache.remove(image.sha256);
    if (!this.o.cache.localPath(image.sha256)) {
      try {
        await this.o.cache.ensure(image.sha256);
      } catch (e) {
        if (e instanceof AssetUnavailableError && e.status !== null) return { status: 'forbidden' };
        return { status: 'unavailable', detail: e instanceof Error ? e.message : String(e) };
      }
    }
    const i = this.reopened.findIndex((x) => x.sha256 === image.sha256);
    if (i >= 0) this.reopened.splice(i, 1);
    this.reopened.push(image);
    if (this.reopened.length > this.keepFinished()) this.reopened.shift();
    this.register(image.sha256, image.mime);
    return { status: 'ready' };
  }

  private keepFinished(): number {
    return this.o.keepFinished ?? KEEP_FINISHED;
  }

  /** Images kept though no lease needs them: the last finished tasks' and those reopened. */
  private kept(): { sha256: string; mime: string }[] {
    const n = this.keepFinished();
    if (n <= 0) return [];
    return [...this.o.queue.hub.finishedImages(n), ...this.reopened];
  }

  /** The images wanted, in the order they should arrive (on screen, then queue order). */
  private wanted(): string[] {
    const leased = this.o.queue.hub.leasedTasks();
    const open = leased.filter((t) => t.status === 'queued' || t.status === 'in_progress');
    // leasedTasks is in queue order; what is on screen goes before it.
    open.sort((a, b) => Number(b.status === 'in_progress') - Number(a.status === 'in_progress'));
    const shas: string[] = [];
    for (const t of open) if (t.data.kind === 'image') shas.push(t.data.image.sha256);
    for (const x of this.o.extraImages?.() ?? []) shas.push(x.sha256);
    return [...new Set(shas)];
  }

  private async passOnce(): Promise<void> {
    const { queue, assets, cache } = this.o;
    const leased = queue.hub.leasedTasks();
    const mime = new Map<string, string>();
    for (const t of leased) if (t.data.kind === 'image') mime.set(t.data.image.sha256, t.data.image.mime);
    for (const x of this.o.extraImages?.() ?? []) if (!mime.has(x.sha256)) mime.set(x.sha256, x.mime);
    // Kept, never fetched here: a finished task's image comes back only when it is reopened.
    for (const x of this.kept()) if (!mime.has(x.sha256)) mime.set(x.sha256, x.mime);
    const removed = await cache.retainOnly(new Set(mime.keys()));
    queue.transaction(() => {
      for (const sha of removed) assets.removeCached(sha, path.join(this.o.dir, sha));
    });
    for (const sha of removed) this.announced.delete(sha);
    const todo = this.wanted().filter((sha) => {
      if (!cache.localPath(sha)) return true;
      if (!this.announced.has(sha)) this.register(sha, mime.get(sha));
      return false;
    });
    for (const x of this.kept())
      if (!this.announced.has(x.sha256) && cache.localPath(x.sha256)) this.register(x.sha256, x.mime);
    const fetchOne = async (sha: string): Promise<void> => {
      const before = cache.stats.bytesReceived;
      const t0 = performance.now();
      try {
        await cache.ensure(sha);
      } catch {
        return; // left for the next pass (the cache already retried); the task shows it is missing
      }
      const ms = performance.now() - t0;
      const bytes = cache.stats.bytesReceived - before;
      if (ms > 50 && bytes > 64 * 1024) {
        const r = (bytes * 1000) / ms;
        this.rate = this.rate === null ? r : 0.5 * this.rate + 0.5 * r;
      }
      this.register(sha, mime.get(sha));
    };
    const head = todo.slice(0, HEAD_TASKS);
    for (const sha of head) {
      if (this.closed) return;
      await fetchOne(sha);
      // The annotator opened another task meanwhile: start over with its image first.
      if (this.again) return;
    }
    let next = head.length;
    const worker = async () => {
      while (next < todo.length && !this.closed && !this.again) await fetchOne(todo[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(this.parallelism(), todo.length - next) }, worker));
  }

  /** Makes a verified file visible to the workbench's asset lookup and says so. */
  private register(sha: string, mime: string | undefined): void {
    const file = this.o.cache.localPath(sha);
    if (!file || mime === undefined) return;
    const rel = path.join(this.o.dir, sha);
    this.announced.add(sha);
    this.o.assets.addCached(sha, rel, fs.statSync(file).size, mime);
    this.o.onReady?.(sha);
  }
}
