/**
 * Consensus of text spans from k annotators, by majority per code point: for each label (and
 * field), the code points that at least m annotators covered with that label form the consensus
 * spans. A run is split where at least m annotators put a boundary of that label, so two
 * adjacent entities most annotators kept apart stay apart.
 */

import type { SpanLike } from './spans';

export interface SpanWithText extends SpanLike {
  /** The covered text; used to give the consensus span its text. */
  text?: string;
}

export interface ConsensusSpan {
  field?: string;
  label: string;
  start: number;
  end: number;
  /** Covered text, rebuilt from the members' texts (null when they did not carry it). */
  text: string | null;
  /** Fewest annotators covering any code point of the span. */
  support: number;
}

export interface SpanConsensus {
  spans: ConsensusSpan[];
  /** Stretches exactly half of an even k covered: undecidable, for a reviewer. */
  ties: { field?: string; label: string; start: number; end: number }[];
}

interface Run {
  start: number;
  end: number;
  count: number;
}

/** Coverage runs: the number of distinct annotators covering each stretch. */
const coverage = (perAnnotator: readonly (readonly SpanLike[])[]): Run[] => {
  const deltas = new Map<number, number>();
  for (const spans of perAnnotator) {
    // Merge one annotator's own overlapping spans so they count once.
    const sorted = [...spans].sort((a, b) => a.start - b.start);
    let cur: [number, number] | null = null;
    const merged: [number, number][] = [];
    for (const s of sorted) {
      if (cur && s.start <= cur[1]) cur[1] = Math.max(cur[1], s.end);
      else merged.push((cur = [s.start, s.end]));
    }
    for (const [a, b] of merged) {
      deltas.set(a, (deltas.get(a) ?? 0) + 1);
      deltas.set(b, (deltas.get(b) ?? 0) - 1);
    }
  }
  const points = [...deltas.keys()].sort((a, b) => a - b);
  const runs: Run[] = [];
  let count = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    count += deltas.get(points[i]!)!;
    if (count > 0) runs.push({ start: points[i]!, end: points[i + 1]!, count });
  }
  return runs;
};

/** Maximal stretches of runs satisfying `keep`, joined where they touch. */
const stretches = (runs: readonly Run[], keep: (count: number) => boolean): Run[] => {
  const out: Run[] = [];
  for (const r of runs) {
    if (!keep(r.count)) continue;
    const last = out[out.length - 1];
    if (last && last.end === r.start) {
      last.end = r.end;
      last.count = Math.min(last.count, r.count);
    } else out.push({ ...r });
  }
  return out;
};

export const spanConsensus = (
  submissions: readonly (readonly SpanWithText[])[],
  minVotes: number,
): SpanConsensus => {
  const k = submissions.length;
  const keys = new Map<string, { field?: string; label: string }>();
  for (const spans of submissions)
    for (const s of spans)
      keys.set(
        `${s.field ?? ''}\u0000${s.label}`,
        s.field === undefined ? { label: s.label } : { field: s.field, label: s.label },
      );
  const spans: ConsensusSpan[] = [];
  const ties: SpanConsensus['ties'] = [];
  for (const { field, label } of keys.values()) {
    const mine = submissions.map((ss) => ss.filter((s) => s.label === label && s.field === field));
    const runs = coverage(mine);
    // Boundaries at least m annotators share.
    const boundaryVotes = new Map<number, number>();
    for (const ss of mine)
      for (const p of new Set(ss.flatMap((s) => [s.start, s.end])))
        boundaryVotes.set(p, (boundaryVotes.get(p) ?? 0) + 1);
    const chars = new Map<number, string>();
    for (const ss of mine)
      for (const s of ss) {
        const cps = s.text === undefined ? [] : [...s.text];
        if (cps.length === s.end - s.start) cps.forEach((c, i) => chars.set(s.start + i, c));
      }
    for (const st of stretches(runs, (c) => c >= minVotes)) {
      const cuts = [...boundaryVotes.entries()]
        .filter(([p, v]) => v >= minVotes && p > st.start && p < st.end)
        .map(([p]) => p);
      const edges = [st.start, ...cuts.sort((a, b) => a - b), st.end];
      for (let i = 0; i + 1 < edges.length; i++) {
        const start = edges[i]!;
        const end = edges[i + 1]!;
        const support = Math.min(...runs.filter((r) => r.start < end && r.end > start).map((r) => r.count));
        let text: string | null = '';
        for (let p = start; p < end && text !== null; p++) text = chars.has(p) ? text + chars.get(p)! : null;
        spans.push({ ...(field === undefined ? {} : { field }), label, start, end, text, support });
      }
    }
    if (k % 2 === 0 && minVotes > k / 2)
      for (const t of stretches(runs, (c) => c === k / 2))
        ties.push({ ...(field === undefined ? {} : { field }), label, start: t.start, end: t.end });
  }
  spans.sort((a, b) => a.start - b.start || a.end - b.end || a.label.localeCompare(b.label));
  return { spans, ties };
};
