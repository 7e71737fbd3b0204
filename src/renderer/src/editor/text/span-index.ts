/**
 * Interval index of spans by display block, kept up to date from the store's diffs. A span
 * touching blocks i..j is listed in each; adding or removing one costs O(log n + k) and marks
 * only its blocks dirty, so the view re-lays-out just those. Nothing here scans the text.
 */
import type { Diff } from '../core/store';
import type { TextDoc } from './doc';
import {
  type ClassRec,
  type RelationRec,
  type SpanRec,
  type TextRecord,
  isClass,
  isRelation,
  isSpan,
} from './records';

const bySpanOrder = (a: SpanRec, b: SpanRec): number =>
  a.start - b.start || b.end - a.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class SpanIndex {
  private readonly perBlock = new Map<number, SpanRec[]>();
  /** Per-block change counter: a block's layout is memoized on it. */
  readonly blockVersion: Uint32Array;
  /** All spans in text order (the span list). */
  sorted: SpanRec[] = [];
  readonly spans = new Map<string, SpanRec>();
  readonly relations = new Map<string, RelationRec>();
  private readonly relBySpan = new Map<string, Set<string>>();
  readonly classes = new Map<string, ClassRec>();
  /** Bumped on every change. */
  version = 0;

  constructor(private readonly doc: TextDoc) {
    this.blockVersion = new Uint32Array(doc.blocks.length);
  }

  /** Build from scratch (open): sort once, then bucket each span by binary search. */
  reset(records: TextRecord[]): void {
    this.perBlock.clear();
    this.spans.clear();
    this.relations.clear();
    this.relBySpan.clear();
    this.classes.clear();
    const spans: SpanRec[] = [];
    for (const r of records) this.index(r, spans);
    spans.sort(bySpanOrder);
    this.sorted = spans;
    for (const s of spans) {
      const [first, last] = this.doc.blockRange(s.start, s.end);
      for (let b = first; b <= last; b++) {
        let list = this.perBlock.get(b);
        if (!list) this.perBlock.set(b, (list = []));
        list.push(s);
      }
    }
    this.blockVersion.fill(0);
    this.version++;
  }

  apply(diff: Diff<TextRecord>): void {
    for (const r of diff.removed) this.remove(r);
    for (const [before, after] of diff.updated) {
      this.remove(before);
      this.add(after);
    }
    for (const r of diff.added) this.add(r);
    this.version++;
  }

  inBlock(b: number): readonly SpanRec[] {
    return this.perBlock.get(b) ?? EMPTY;
  }

  relationsOf(spanId: string): RelationRec[] {
    const ids = this.relBySpan.get(spanId);
    return ids ? [...ids].map((id) => this.relations.get(id)!).filter(Boolean) : [];
  }

  /** Position of a span in the sorted list (for scrolling the list to it). */
  listIndexOf(span: SpanRec): number {
    const i = lowerBound(this.sorted, span);
    return this.sorted[i]?.id === span.id ? i : this.sorted.findIndex((s) => s.id === span.id);
  }

  /** Spans overlapping [start, end), from the blocks the range touches. */
  overlapping(start: number, end: number): SpanRec[] {
    const [first, last] = this.doc.blockRange(start, end);
    const seen = new Set<string>();
    const out: SpanRec[] = [];
    for (let b = first; b <= last; b++) {
      for (const s of this.inBlock(b)) {
        if (s.start < end && s.end > start && !seen.has(s.id)) {
          seen.add(s.id);
          out.push(s);
        }
      }
    }
    return out;
  }

  private index(r: TextRecord, spans: SpanRec[]): void {
    if (isSpan(r)) {
      this.spans.set(r.id, r);
      spans.push(r);
    } else if (isRelation(r)) {
      this.relations.set(r.id, r);
      for (const end of [r.from, r.to]) {
        let set = this.relBySpan.get(end);
        if (!set) this.relBySpan.set(end, (set = new Set()));
        set.add(r.id);
      }
    } else if (isClass(r)) this.classes.set(r.id, r);
  }

  private add(r: TextRecord): void {
    if (!isSpan(r)) {
      this.index(r, []);
      return;
    }
    this.spans.set(r.id, r);
    this.sorted.splice(lowerBound(this.sorted, r), 0, r);
    const [first, last] = this.doc.blockRange(r.start, r.end);
    for (let b = first; b <= last; b++) {
      // Copy on write: a block's list is immutable, so the view memoizes its layout on identity.
      const list = [...(this.perBlock.get(b) ?? [])];
      list.splice(lowerBound(list, r), 0, r);
      this.perBlock.set(b, list);
      this.blockVersion[b]!++;
    }
  }

  private remove(r: TextRecord): void {
    if (isRelation(r)) {
      this.relations.delete(r.id);
      for (const end of [r.from, r.to]) this.relBySpan.get(end)?.delete(r.id);
      return;
    }
    if (isClass(r)) {
      this.classes.delete(r.id);
      return;
    }
    const cur = this.spans.get(r.id);
    if (!cur) return;
    this.spans.delete(r.id);
    removeById(this.sorted, cur);
    const [first, last] = this.doc.blockRange(cur.start, cur.end);
    for (let b = first; b <= last; b++) {
      const list = this.perBlock.get(b);
      if (!list) continue;
      const copy = [...list];
      removeById(copy, cur);
      this.perBlock.set(b, copy);
      this.blockVersion[b]!++;
    }
  }
}

const EMPTY: readonly SpanRec[] = [];

const lowerBound = (a: SpanRec[], x: SpanRec): number => {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bySpanOrder(a[mid]!, x) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

const removeById = (a: SpanRec[], x: SpanRec): void => {
  const i = lowerBound(a, x);
  if (a[i]?.id === x.id) a.splice(i, 1);
  else {
    const j = a.findIndex((s) => s.id === x.id);
    if (j >= 0) a.splice(j, 1);
  }
};
