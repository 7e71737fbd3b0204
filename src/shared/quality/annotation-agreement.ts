/**
 * Agreement of two whole annotations (a reference — gold, the accepted version, or simply the
 * first of two annotators — and another): the building block of per-pair, per-label and
 * per-annotator figures. Regions and spans are matched per label (labels must agree, so the
 * optimal matching falls apart by label and the per-label counts add up to the totals); class
 * groups compare label sets. Keypoints, polylines, relations and comparisons are not scored here.
 */

import type { AnnotationResult } from '../model';
import { type MatchCounts, addCounts, emptyCounts, scoresOf } from './match-counts';
import { type Region, matchRegions } from './regions';
import { type SpanLike, spanAgreement } from './spans';

export interface AnnotationAgreement {
  /** Matched / unmatched regions, spans (overlap rule) and class labels, per label. */
  labels: Record<string, MatchCounts>;
  /** Boxes and polygons together; null when neither side drew one. */
  regions: MatchCounts | null;
  /** Spans, overlap rule; null when neither side marked one. */
  spans: MatchCounts | null;
  /** Class groups either side answered: how many have the same label set on both. */
  classes: { agree: number; groups: number } | null;
  /**
   * The mean of the parts present: regions F1, spans F1, share of class groups agreeing. 1 when
   * both sides are empty (both said there is nothing); null when neither has a scored result
   * but one has something (only unscored types, e.g. keypoints).
   */
  score: number | null;
}

export interface AnnotationAgreementOptions {
  iouThreshold?: number;
}

/** One annotation's scored parts, in one pass: regions and spans by label, class groups' label sets. */
interface Parts {
  regions: Map<string, Region[]>;
  spans: Map<string, SpanLike[]>;
  classes: Map<string, Set<string>>;
}

const push = <T>(map: Map<string, T[]>, key: string, item: T): void => {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
};

const partsOf = (results: readonly AnnotationResult[]): Parts => {
  const parts: Parts = { regions: new Map(), spans: new Map(), classes: new Map() };
  for (const r of results) {
    if (r.type === 'bbox' || r.type === 'polygon') push(parts.regions, r.label, r as Region);
    else if (r.type === 'span')
      push(parts.spans, r.label, { start: r.start, end: r.end, label: r.label, field: r.field });
    else if (r.type === 'image-class' || r.type === 'doc-class') {
      const key = `${r.type}\u0000${r.group}`;
      const set = parts.classes.get(key) ?? new Set<string>();
      for (const l of r.labels) set.add(l);
      parts.classes.set(key, set);
    }
  }
  return parts;
};

const add = (labels: Record<string, MatchCounts>, label: string, c: MatchCounts): void => {
  labels[label] = addCounts(labels[label] ?? emptyCounts(), c);
};

export const annotationAgreement = (
  reference: readonly AnnotationResult[],
  other: readonly AnnotationResult[],
  options: AnnotationAgreementOptions = {},
): AnnotationAgreement => {
  const labels: Record<string, MatchCounts> = {};
  const parts: number[] = [];

  const ref = partsOf(reference);
  const oth = partsOf(other);
  let regions: MatchCounts | null = null;
  for (const label of new Set([...ref.regions.keys(), ...oth.regions.keys()])) {
    const m = matchRegions(ref.regions.get(label) ?? [], oth.regions.get(label) ?? [], {
      iouThreshold: options.iouThreshold ?? 0.5,
    });
    const c = { tp: m.tp, fp: m.fp, fn: m.fn, scoreSum: m.scoreSum };
    add(labels, label, c);
    regions = addCounts(regions ?? emptyCounts(), c);
  }
  if (regions) parts.push(scoresOf(regions).f1 ?? 1);

  let spans: MatchCounts | null = null;
  for (const label of new Set([...ref.spans.keys(), ...oth.spans.keys()])) {
    const { overlap } = spanAgreement(ref.spans.get(label) ?? [], oth.spans.get(label) ?? []);
    const c = { tp: overlap.tp, fp: overlap.fp, fn: overlap.fn, scoreSum: overlap.scoreSum };
    add(labels, label, c);
    spans = addCounts(spans ?? emptyCounts(), c);
  }
  if (spans) parts.push(scoresOf(spans).f1 ?? 1);

  const refClasses = ref.classes;
  const otherClasses = oth.classes;
  let agreeing = 0;
  let groups = 0;
  for (const group of new Set([...refClasses.keys(), ...otherClasses.keys()])) {
    const a = refClasses.get(group) ?? new Set<string>();
    const b = otherClasses.get(group) ?? new Set<string>();
    for (const l of new Set([...a, ...b])) {
      const both = a.has(l) && b.has(l);
      add(labels, l, {
        tp: both ? 1 : 0,
        fp: !a.has(l) ? 1 : 0,
        fn: !b.has(l) ? 1 : 0,
        scoreSum: both ? 1 : 0,
      });
    }
    const same = a.size === b.size && [...a].every((l) => b.has(l));
    if (same) agreeing++;
    groups++;
  }
  const classes = groups > 0 ? { agree: agreeing, groups } : null;
  if (classes) parts.push(agreeing / groups);

  const score =
    parts.length > 0
      ? parts.reduce((s, x) => s + x, 0) / parts.length
      : reference.length === 0 && other.length === 0
        ? 1
        : null;
  return { labels, regions, spans, classes, score };
};
