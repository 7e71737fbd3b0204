/**
 * Layout of one display block: lanes for its spans (nested and overlapping spans get stacked
 * underlines, never backgrounds that hide each other) and the runs the view renders, cut at
 * every span edge, selection edge and the caret. Cost is O(k log k) in the block's own spans.
 */
import type { Block, TextDoc } from './doc';
import type { SpanRec } from './records';

export interface LaneSpan {
  span: SpanRec;
  lane: number;
}

export interface Lanes {
  items: LaneSpan[];
  count: number;
}

/** Greedy interval colouring: outer (longer) spans first, so they sit nearest the text. */
export const assignLanes = (block: Block, spans: readonly SpanRec[]): Lanes => {
  const items = spans
    .map((span) => ({ span, s: Math.max(span.start, block.cpStart), e: Math.min(span.end, block.cpEnd) }))
    .sort((a, b) => a.s - b.s || b.e - a.e);
  const laneEnds: number[] = [];
  const out: LaneSpan[] = [];
  for (const it of items) {
    let lane = laneEnds.findIndex((end) => end <= it.s);
    if (lane < 0) lane = laneEnds.push(0) - 1;
    laneEnds[lane] = Math.max(it.e, it.s + 1);
    out.push({ span: it.span, lane });
  }
  return { items: out, count: laneEnds.length };
};

export interface Run {
  start: number;
  end: number;
  text: string;
  /** Spans covering the run, with their lanes. */
  spans: LaneSpan[];
  /** Spans that start at this run (their label chips go before it). */
  starting: LaneSpan[];
  inSelection: boolean;
}

export interface RunOptions {
  /** Selection clipped to this block, or null. */
  selection: [number, number] | null;
  caret: number | null;
}

export const layoutRuns = (doc: TextDoc, block: Block, lanes: Lanes, opt: RunOptions): Run[] => {
  const cuts = new Set<number>([block.cpStart, block.cpEnd]);
  const clip = (x: number): number => Math.max(block.cpStart, Math.min(block.cpEnd, x));
  for (const { span } of lanes.items) {
    cuts.add(clip(span.start));
    cuts.add(clip(span.end));
  }
  if (opt.selection) {
    cuts.add(clip(opt.selection[0]));
    cuts.add(clip(opt.selection[1]));
  }
  if (opt.caret !== null) cuts.add(clip(opt.caret));
  const points = [...cuts].sort((a, b) => a - b);
  const byStart = [...lanes.items].sort(
    (a, b) => Math.max(a.span.start, block.cpStart) - Math.max(b.span.start, block.cpStart),
  );
  const runs: Run[] = [];
  const active: LaneSpan[] = [];
  let next = 0;
  const sliceU16 = (a: number, b: number): string =>
    block.text.slice(doc.cpToU16(a) - block.u16Start, doc.cpToU16(b) - block.u16Start);
  for (let i = 0; i + 1 < points.length || (points.length === 1 && i === 0); i++) {
    const start = points[i]!;
    const end = points[i + 1] ?? start;
    for (let k = active.length - 1; k >= 0; k--) if (active[k]!.span.end <= start) active.splice(k, 1);
    const starting: LaneSpan[] = [];
    while (next < byStart.length && Math.max(byStart[next]!.span.start, block.cpStart) <= start) {
      const ls = byStart[next++]!;
      if (ls.span.end > start || ls.span.start === ls.span.end) {
        active.push(ls);
        if (ls.span.start >= block.cpStart) starting.push(ls);
      }
    }
    const sel = opt.selection;
    runs.push({
      start,
      end,
      text: sliceU16(start, end),
      spans: active.slice().sort((a, b) => a.lane - b.lane),
      starting: starting.sort((a, b) => a.lane - b.lane),
      inSelection: sel !== null && start >= sel[0] && end <= sel[1] && end > start,
    });
    if (points.length === 1) break;
  }
  return runs;
};
