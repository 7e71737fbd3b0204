/**
 * Where a span's edge lands when it is dragged with the mouse. The pointer gives a code point
 * (mapped from the DOM through the view's data attributes, never by counting rendered text);
 * this snaps it the way selections snap: to whole words, or with Alt to grapheme clusters, so an
 * edge never splits a cluster, and it never lets the span become empty.
 */
import type { Segmentation } from './segment';
import type { TextEditorModel } from './text-model';

export type Edge = 'start' | 'end';

/**
 * Snap a pointer offset for one edge. Words: a start edge takes the start of the word the
 * pointer is in (or of the next word, from a gap), an end edge the end of the word the pointer is
 * in (or of the previous word), so the word under the pointer is included. Precise: the nearest
 * grapheme boundary.
 */
export const snapEdge = (seg: Segmentation, cp: number, edge: Edge, precise: boolean): number => {
  if (precise) {
    const lo = seg.roundGrapheme(cp, -1);
    const hi = seg.roundGrapheme(cp, 1);
    return cp - lo <= hi - cp ? lo : hi;
  }
  const word = seg.wordAt(cp, edge);
  if (word) return edge === 'start' ? word.start : word.end;
  // From a gap with no word on that side, the raw offset (rounded to a cluster edge).
  const at = edge === 'start' ? seg.nextStop(cp, 1, 'start') : seg.nextStop(cp, -1, 'end');
  return seg.roundGrapheme(at, edge === 'start' ? -1 : 1);
};

/**
 * The span's new [start, end) with `edge` dragged to pointer offset `cp`. The dragged edge stops
 * one word (or one cluster, precise) short of the other edge, so the span keeps some text.
 */
export const edgeRange = (
  seg: Segmentation,
  span: { start: number; end: number },
  edge: Edge,
  cp: number,
  precise: boolean,
): [number, number] => {
  const at = snapEdge(seg, cp, edge, precise);
  // The furthest the edge may go: the last word start (first word end) inside the span, or the
  // edge where it is when the span holds no word; one cluster short of the other edge, precise.
  if (edge === 'start') {
    const word = seg.nextStop(span.end, -1, 'start');
    const limit = precise ? seg.stepGrapheme(span.end, -1) : word >= span.start ? word : span.start;
    return [Math.min(at, limit), span.end];
  }
  const word = seg.nextStop(span.start, 1, 'end');
  const limit = precise ? seg.stepGrapheme(span.start, 1) : word <= span.end ? word : span.end;
  return [span.start, Math.max(at, limit)];
};

/** A drag of one edge of a span: the moves between `begin` and `end` are one undo step. */
export class EdgeDrag {
  constructor(private readonly m: TextEditorModel) {}

  begin(spanId: string, edge: Edge): boolean {
    if (!this.m.index.spans.has(spanId)) return false;
    this.m.history.mark();
    this.m.session.set({ edgeDrag: { spanId, edge }, selectedSpan: spanId, selection: null, notice: null });
    return true;
  }

  /** The dragged edge follows the pointer at code point `cp` (snapped to words, or clusters when `precise`). */
  moveTo(cp: number, precise: boolean): void {
    const d = this.m.session.get().edgeDrag;
    const s = d ? this.m.index.spans.get(d.spanId) : undefined;
    if (!d || !s) return;
    const [start, end] = edgeRange(this.m.seg, s, d.edge, cp, precise);
    if (start !== s.start || end !== s.end) this.m.setSpanRange(s.id, start, end);
  }

  /** Finish: keep the drag as one undo step, or (Esc) roll it back. */
  end(keep: boolean): void {
    if (!this.m.session.get().edgeDrag) return;
    if (keep) this.m.history.commit();
    else this.m.history.rollback();
    this.m.session.set({ edgeDrag: null });
  }
}
