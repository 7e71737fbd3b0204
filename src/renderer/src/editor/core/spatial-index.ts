import RBush from 'rbush';
import type { Bounds } from '../../../../shared/geometry';
import type { Diff, EditorRecord } from './store';

interface Entry extends Bounds {
  id: string;
}

/**
 * R-tree over record bounds, kept in step with a record store by its diffs. Used for hit tests
 * (a handful of candidates instead of every region) and viewport culling (draw only what shows).
 * Records whose `boundsOf` is null (e.g. image classes) are not indexed.
 */
export class SpatialIndex<R extends EditorRecord> {
  private readonly tree = new RBush<Entry>(16);
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly boundsOf: (r: R) => Bounds | null) {}

  get size(): number {
    return this.entries.size;
  }

  /** Rebuild from scratch with a bulk load (much faster than inserting one by one). */
  reset(records: Iterable<R>): void {
    this.tree.clear();
    this.entries.clear();
    const items: Entry[] = [];
    for (const r of records) {
      const b = this.boundsOf(r);
      if (!b) continue;
      const e = { ...b, id: r.id };
      items.push(e);
      this.entries.set(r.id, e);
    }
    this.tree.load(items);
  }

  apply(diff: Diff<R>): void {
    for (const r of diff.removed) this.remove(r.id);
    for (const [, after] of diff.updated) this.upsert(after);
    for (const r of diff.added) this.upsert(r);
  }

  /** Ids whose bounds intersect `box`. */
  search(box: Bounds): string[] {
    return this.tree.search(box).map((e) => e.id);
  }

  /** Ids whose bounds lie within `tol` of the point. */
  at(x: number, y: number, tol = 0): string[] {
    return this.search({ minX: x - tol, minY: y - tol, maxX: x + tol, maxY: y + tol });
  }

  boundsOfId(id: string): Bounds | undefined {
    return this.entries.get(id);
  }

  private upsert(r: R): void {
    this.remove(r.id);
    const b = this.boundsOf(r);
    if (!b) return;
    const e = { ...b, id: r.id };
    this.entries.set(r.id, e);
    this.tree.insert(e);
  }

  private remove(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    this.tree.remove(e);
    this.entries.delete(id);
  }
}
