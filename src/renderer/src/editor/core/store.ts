/**
 * The editor's record store. Two scopes:
 * - `document`: regions, spans, classes, relations — saved, synced, undoable;
 * - `session`: selection, hover, camera, tool — never saved, never undone.
 * Every document change goes through `apply(diff)`, which notifies listeners with the diff;
 * history records diffs, so undo is applying the inverse.
 */

export interface EditorRecord {
  id: string;
}

export interface Diff<R extends EditorRecord> {
  added: R[];
  /** [before, after] pairs. */
  updated: [R, R][];
  removed: R[];
}

export const emptyDiff = <R extends EditorRecord>(): Diff<R> => ({ added: [], updated: [], removed: [] });

export const isEmptyDiff = (d: Diff<EditorRecord>): boolean =>
  d.added.length === 0 && d.updated.length === 0 && d.removed.length === 0;

export const invertDiff = <R extends EditorRecord>(d: Diff<R>): Diff<R> => ({
  added: d.removed,
  removed: d.added,
  updated: d.updated.map(([before, after]) => [after, before] as [R, R]),
});

/** Fold `next` into `acc` so that applying the result equals applying both in order. */
export const squashDiffs = <R extends EditorRecord>(acc: Diff<R>, next: Diff<R>): Diff<R> => {
  const added = new Map(acc.added.map((r) => [r.id, r]));
  const updated = new Map(acc.updated.map((u) => [u[0].id, u]));
  const removed = new Map(acc.removed.map((r) => [r.id, r]));
  for (const r of next.added) {
    const gone = removed.get(r.id);
    if (gone) {
      removed.delete(r.id);
      updated.set(r.id, [gone, r]);
    } else added.set(r.id, r);
  }
  for (const [before, after] of next.updated) {
    if (added.has(after.id)) added.set(after.id, after);
    else {
      const prev = updated.get(after.id);
      updated.set(after.id, [prev ? prev[0] : before, after]);
    }
  }
  for (const r of next.removed) {
    if (added.has(r.id)) added.delete(r.id);
    else {
      const prev = updated.get(r.id);
      updated.delete(r.id);
      removed.set(r.id, prev ? prev[0] : r);
    }
  }
  return { added: [...added.values()], updated: [...updated.values()], removed: [...removed.values()] };
};

export type DiffListener<R extends EditorRecord> = (
  diff: Diff<R>,
  source: 'user' | 'undo' | 'redo' | 'load',
) => void;

export class RecordStore<R extends EditorRecord> {
  private records = new Map<string, R>();
  private readonly listeners = new Set<DiffListener<R>>();
  /** Bumped on every change: cheap memo key for views. */
  version = 0;

  get(id: string): R | undefined {
    return this.records.get(id);
  }
  has(id: string): boolean {
    return this.records.has(id);
  }
  all(): R[] {
    return [...this.records.values()];
  }
  get size(): number {
    return this.records.size;
  }

  /**
   * A read-only document (a version under review, shown as it was sent): only `load` changes it;
   * every edit, from any tool or key, applies nothing.
   */
  readOnly = false;

  /** The one write path. Returns the diff as applied (ids that did not exist are dropped). */
  apply(diff: Diff<R>, source: 'user' | 'undo' | 'redo' | 'load' = 'user'): Diff<R> {
    const applied = emptyDiff<R>();
    if (this.readOnly && source !== 'load') return applied;
    for (const r of diff.removed) {
      const cur = this.records.get(r.id);
      if (cur) {
        this.records.delete(r.id);
        applied.removed.push(cur);
      }
    }
    for (const r of diff.added) {
      const cur = this.records.get(r.id);
      this.records.set(r.id, r);
      if (cur) applied.updated.push([cur, r]);
      else applied.added.push(r);
    }
    for (const [, after] of diff.updated) {
      const cur = this.records.get(after.id);
      if (!cur) continue;
      this.records.set(after.id, after);
      applied.updated.push([cur, after]);
    }
    if (!isEmptyDiff(applied)) {
      this.version++;
      for (const l of this.listeners) l(applied, source);
    }
    return applied;
  }

  /** Replace everything (opening a task); not undoable. */
  load(records: R[]): void {
    const removed = this.all();
    this.records = new Map();
    this.apply({ added: records, updated: [], removed: [] }, 'load');
    if (records.length === 0 && removed.length > 0) {
      this.version++;
      for (const l of this.listeners) l({ added: [], updated: [], removed }, 'load');
    }
  }

  listen(listener: DiffListener<R>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
