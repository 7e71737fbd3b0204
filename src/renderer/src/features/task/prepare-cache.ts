import type { TaskView } from '../../../../shared/contract';

/**
 * The heavy part of preparing a task (its image decoded, its text segmented), kept apart so the
 * cache is tested without a browser. `bytes` is what the task holds once ready (an estimate is
 * fine before: the cache budgets with it).
 */
export interface AssetPreparer {
  /** What the assets are made from (an image's hash, a text): views with the same key share them. */
  key(view: TaskView): string;
  prepare(view: TaskView): Promise<void>;
  bytes(view: TaskView): number;
  release(view: TaskView): void;
  /** The view was handed to the screen: its assets wait for the editor a little while, then go. */
  handOver(view: TaskView): void;
}

/** What one prepared task holds, for the screen and the bench. */
export interface PrepareStats {
  entries: number;
  ready: number;
  bytes: number;
  budgetBytes: number;
}

type State = 'preparing' | 'ready' | 'failed';

interface Entry {
  view: TaskView;
  version: string;
  state: State;
  bytes: number;
}

/**
 * What makes a prepared view stale: anything the task screen shows or restores from it. A task
 * whose draft, status, lease, delivery or data changed is prepared again.
 */
export const viewVersion = (v: TaskView): string =>
  JSON.stringify([
    v.status,
    v.draft?.savedAt ?? null,
    v.submitted ? v.submitted.results.length : null,
    v.leaseExpiresAt,
    v.delivery,
    v.task.data,
    v.task.predictions?.length ?? 0,
    v.project.labelConfig,
  ]);

/** 256 MB of decoded pixels: two 12 MP photos with their mips, or many smaller ones. */
export const DEFAULT_BUDGET_BYTES = 256 * 2 ** 20;

/**
 * The next tasks, prepared while the person works on this one: each wanted task's view (data and
 * draft, already read) and its assets (image decoded to a bitmap, text segmented), in priority
 * order, while the total stays within `budgetBytes` (the first wanted task is always prepared).
 * A task no longer wanted is released; one whose view changed is prepared again if its assets
 * changed too (else only its view is replaced); one that failed is tried again at the next
 * `want`. `take` hands the prepared view over (its assets are taken by the editor as it mounts).
 */
export class PrepareCache {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly assets: AssetPreparer,
    readonly budgetBytes = DEFAULT_BUDGET_BYTES,
  ) {}

  /** Called whenever what is prepared changes; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private onChange(): void {
    for (const l of this.listeners) l();
  }

  /** The tasks to have ready, most wanted first. Everything else is released. */
  want(views: readonly TaskView[]): void {
    const wanted = new Set(views.map((v) => v.task.id));
    for (const [id, e] of this.entries) if (!wanted.has(id)) this.release(id, e);
    let total = 0;
    for (const [i, view] of views.entries()) {
      const id = view.task.id;
      const version = viewVersion(view);
      let e = this.entries.get(id);
      if (
        e &&
        e.state !== 'failed' &&
        e.version !== version &&
        this.assets.key(e.view) === this.assets.key(view)
      ) {
        // Only what the screen says of the task changed (its status, delivery, draft): the view is
        // replaced, its image stays decoded. A task just submitted changes several times as it
        // syncs, and re-decoding its photo each time took the CPU from the next switch.
        e.view = view;
        e.version = version;
      } else if (e && (e.version !== version || e.state === 'failed')) {
        this.release(id, e);
        e = undefined;
      }
      const bytes = e?.bytes ?? this.assets.bytes(view);
      if (i > 0 && total + bytes > this.budgetBytes) {
        // Over budget: this one and the rest wait until something is taken.
        for (const later of views.slice(i)) {
          const le = this.entries.get(later.task.id);
          if (le) this.release(later.task.id, le);
        }
        break;
      }
      total += bytes;
      if (!e) this.start(id, view, version, bytes);
    }
    this.onChange();
  }

  /** The prepared view of `taskId` (ready or still preparing), handed over; null if none. */
  take(taskId: string): { view: TaskView; ready: boolean } | null {
    const e = this.entries.get(taskId);
    if (!e || e.state === 'failed') return null;
    // The entry goes; its assets stay prepared for the editor, which takes them as it mounts.
    this.entries.delete(taskId);
    this.assets.handOver(e.view);
    this.onChange();
    return { view: e.view, ready: e.state === 'ready' };
  }

  /** Drops `taskId`'s preparation (its task changed somewhere else). */
  invalidate(taskId: string): void {
    const e = this.entries.get(taskId);
    if (e) this.release(taskId, e);
    this.onChange();
  }

  has(taskId: string): boolean {
    return this.entries.has(taskId);
  }

  stateOf(taskId: string): State | null {
    return this.entries.get(taskId)?.state ?? null;
  }

  stats(): PrepareStats {
    let bytes = 0;
    let ready = 0;
    for (const e of this.entries.values()) {
      bytes += e.bytes;
      if (e.state === 'ready') ready++;
    }
    return { entries: this.entries.size, ready, bytes, budgetBytes: this.budgetBytes };
  }

  /** Releases everything (the window goes, or the workspace changes). */
  clear(): void {
    for (const [id, e] of this.entries) this.release(id, e);
    this.onChange();
  }

  private start(id: string, view: TaskView, version: string, bytes: number): void {
    const e: Entry = { view, version, state: 'preparing', bytes };
    this.entries.set(id, e);
    this.assets.prepare(view).then(
      () => {
        if (this.entries.get(id) !== e) return;
        e.state = 'ready';
        e.bytes = this.assets.bytes(view) || e.bytes;
        this.onChange();
      },
      () => {
        if (this.entries.get(id) !== e) return;
        // The view is still good; its assets are not (an image not downloaded yet, say).
        e.state = 'failed';
        this.assets.release(view);
        e.bytes = 0;
        this.onChange();
      },
    );
  }

  private release(id: string, e: Entry): void {
    this.entries.delete(id);
    this.assets.release(e.view);
  }
}
