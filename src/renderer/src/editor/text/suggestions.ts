/**
 * Pre-annotations in the text editor: which suggestions the score threshold shows, and the diffs
 * that accept or reject them (one undo step each). Rejecting leaves a dismissal record per
 * prediction result, so the rejection is saved with the draft and survives a reopen.
 */
import type { LabelConfig } from '../../../../shared/model';
import { type Diff, emptyDiff } from '../core/store';
import {
  type ClassRec,
  type SpanRec,
  type TextRecord,
  dismissal,
  isClass,
  isRelation,
  isSpan,
} from './records';
import type { SpanIndex } from './span-index';

/** Threshold steps of the slider and the -/= keys. */
export const THRESHOLD_STEP = 0.05;

export const clampThreshold = (t: number): number =>
  Math.min(1, Math.max(0, Math.round(t / THRESHOLD_STEP) * THRESHOLD_STEP));

/**
 * Whether a record shows at `threshold`: accepted records always; a suggested span or class when
 * its score (a prediction without one counts as certain) reaches it; a suggested relation when
 * both its spans show.
 */
export const isShown = (r: TextRecord, threshold: number, spans: ReadonlyMap<string, SpanRec>): boolean => {
  if (r.suggestion === undefined) return true;
  if (isRelation(r)) {
    const a = spans.get(r.from);
    const b = spans.get(r.to);
    return !!a && !!b && isShown(a, threshold, spans) && isShown(b, threshold, spans);
  }
  return ('score' in r && r.score !== undefined ? r.score : 1) >= threshold;
};

/** The records and spans the score threshold leaves visible, memoized for the view. */
export class ShownFilter {
  private readonly blockCache = new WeakMap<readonly SpanRec[], { t: number; spans: SpanRec[] }>();
  private sortedCache: { key: string; spans: SpanRec[] } | null = null;

  constructor(
    private readonly index: SpanIndex,
    private readonly threshold: () => number,
  ) {}

  has(r: TextRecord): boolean {
    return isShown(r, this.threshold(), this.index.spans);
  }

  /** A block's spans without hidden suggestions; the index's own list (same identity) if none hide. */
  inBlock(b: number): readonly SpanRec[] {
    const list = this.index.inBlock(b);
    const t = this.threshold();
    if (t <= 0 || list.every((s) => isShown(s, t, this.index.spans))) return list;
    const hit = this.blockCache.get(list);
    if (hit?.t === t) return hit.spans;
    const spans = list.filter((s) => isShown(s, t, this.index.spans));
    this.blockCache.set(list, { t, spans });
    return spans;
  }

  /** Spans in text order without hidden suggestions (the span list, Tab). */
  sorted(): readonly SpanRec[] {
    const t = this.threshold();
    if (t <= 0) return this.index.sorted;
    const key = `${this.index.version}:${t}`;
    if (this.sortedCache?.key !== key)
      this.sortedCache = { key, spans: this.index.sorted.filter((s) => isShown(s, t, this.index.spans)) };
    return this.sortedCache.spans;
  }
}

/**
 * Accept suggestions: spans and relations lose their tag (keeping the prediction's id, which is
 * how a reopened draft knows they were taken); a relation brings its suggested spans along; a
 * class merges into the group's chosen classes, or becomes the group's record when there is none.
 */
export const acceptDiff = (
  targets: TextRecord[],
  config: LabelConfig,
  index: SpanIndex,
  chosen: (group: string) => ClassRec | undefined,
): Diff<TextRecord> => {
  const diff: Diff<TextRecord> = emptyDiff();
  const done = new Set<string>();
  const strip = (r: TextRecord): void => {
    if (done.has(r.id) || r.suggestion === undefined) return;
    done.add(r.id);
    const { suggestion: _s, ...rest } = r;
    diff.updated.push([r, rest as TextRecord]);
  };
  // Per group: the record the accepted classes end up in, and whether it is new.
  const groups = new Map<string, { before: ClassRec | null; next: ClassRec }>();
  for (const r of targets) {
    if (isRelation(r)) {
      for (const end of [r.from, r.to]) {
        const s = index.spans.get(end);
        if (s) strip(s);
      }
      strip(r);
    } else if (isClass(r)) {
      const multiple = config.classes.find((g) => g.name === r.group)?.multiple ?? false;
      const cur = groups.get(r.group)?.next ?? chosen(r.group);
      if (!cur) {
        const { suggestion: _s, ...rest } = r;
        const next: ClassRec = { ...rest, labels: multiple ? rest.labels : rest.labels.slice(0, 1) };
        groups.set(r.group, { before: r, next });
        continue;
      }
      const labels = multiple ? [...new Set([...cur.labels, ...r.labels])] : r.labels.slice(0, 1);
      groups.set(r.group, { before: groups.get(r.group)?.before ?? cur, next: { ...cur, labels } });
      diff.removed.push(r);
    } else strip(r);
  }
  for (const { before, next } of groups.values()) if (before) diff.updated.push([before, next]);
  return diff;
};

/**
 * Reject suggestions: each is removed with the suggested relations hanging on it, and a
 * dismissal recorded for every prediction result that goes.
 */
export const rejectDiff = (targets: TextRecord[], index: SpanIndex): Diff<TextRecord> => {
  const removed = new Map<string, TextRecord>();
  for (const r of targets) {
    if (r.suggestion === undefined) continue;
    removed.set(r.id, r);
    if (isSpan(r))
      for (const x of index.relationsOf(r.id)) if (x.suggestion !== undefined) removed.set(x.id, x);
  }
  return { added: [...removed.keys()].map(dismissal), updated: [], removed: [...removed.values()] };
};
