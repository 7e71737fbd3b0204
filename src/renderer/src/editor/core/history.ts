import {
  type Diff,
  type EditorRecord,
  type RecordStore,
  emptyDiff,
  invertDiff,
  isEmptyDiff,
  squashDiffs,
} from './store';

/**
 * Undo/redo by diffs. Changes made between `mark()` and `commit()` form one undo step (a gesture);
 * `rollback()` (Esc mid-gesture) reverts to the mark. Changes outside a gesture are one step each.
 */
export class History<R extends EditorRecord> {
  private undoStack: Diff<R>[] = [];
  private redoStack: Diff<R>[] = [];
  private pending: Diff<R> | null = null;
  private readonly limit: number;
  private readonly unlisten: () => void;
  private readonly changeListeners = new Set<() => void>();

  constructor(
    private readonly store: RecordStore<R>,
    options: { limit?: number } = {},
  ) {
    this.limit = options.limit ?? 500;
    this.unlisten = store.listen((diff, source) => {
      if (source !== 'user') return;
      if (this.pending) this.pending = squashDiffs(this.pending, diff);
      else this.push(diff);
    });
  }

  get inGesture(): boolean {
    return this.pending !== null;
  }
  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }
  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  /** Start a gesture. A second mark while one is open is ignored (the outer gesture wins). */
  mark(): void {
    if (!this.pending) this.pending = emptyDiff<R>();
  }

  /** Finish the gesture as one undo step. */
  commit(): void {
    const p = this.pending;
    this.pending = null;
    if (p && !isEmptyDiff(p)) this.push(p);
  }

  /** Cancel the gesture: everything since the mark is undone and forgotten. */
  rollback(): void {
    const p = this.pending;
    this.pending = null;
    if (p && !isEmptyDiff(p)) this.store.apply(invertDiff(p), 'undo');
  }

  undo(): boolean {
    if (this.pending) this.rollback();
    const d = this.undoStack.pop();
    if (!d) return false;
    this.store.apply(invertDiff(d), 'undo');
    this.redoStack.push(d);
    this.notify();
    return true;
  }

  redo(): boolean {
    const d = this.redoStack.pop();
    if (!d) return false;
    this.store.apply(d, 'redo');
    this.undoStack.push(d);
    this.notify();
    return true;
  }

  clear(): void {
    this.undoStack = [];
    this.redoStack = [];
    this.pending = null;
    this.notify();
  }

  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  dispose(): void {
    this.unlisten();
  }

  private push(d: Diff<R>): void {
    this.undoStack.push(d);
    if (this.undoStack.length > this.limit) this.undoStack.shift();
    this.redoStack = [];
    this.notify();
  }

  private notify(): void {
    for (const l of this.changeListeners) l();
  }
}
