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

type ClassResult = Extract<AnnotationResult, { type: 'image-class' | 'doc-class' }>;
const isRegion = (r: AnnotationResult): r is Extract<AnnotationResult, { type: 'bbox' | 'polygon' }> =>
  r.type === 'bbox' || r.type === 'polygon';
const isClass = (r: AnnotationResult): r is ClassResult => r.type === 'image-class' || r.type === 'doc-class';

const byLabel = <T extends { label: string }>(items: readonly T[]): Map<string, T[]> => {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const list = out.get(it.label);
    if (list) list.push(it);
    else out.set(it.label, [it]);
  }
  return out;
};

const classSets = (results: readonly AnnotationResult[]): Map<string, Set<string>> => {
  const out = new Map<string, Set<string>>();
  for (const r of results.filter(isClass)) {
    const key = `${r.type}\u0000${r.group}`;
    const set = out.get(key) ?? new Set<string>();
    for (const l of r.labels) set.add(l);
    out.set(key, set);
  }
  return out;
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

  const refRegions = byLabel(reference.filter(isRegion) as Region[]);
  const otherRegions = byLabel(other.filter(isRegion) as Region[]);
  let regions: MatchCounts | null = null;
  for (const label of new Set([...refRegions.keys(), ...otherRegions.keys()])) {
    const m = matchRegions(refRegions.get(label) ?? [], otherRegions.get(label) ?? [], {
      iouThreshold: options.iouThreshold ?? 0.5,
    });
    const c = { tp: m.tp, fp: m.fp, fn: m.fn, scoreSum: m.scoreSum };
    add(labels, label, c);
    regions = addCounts(regions ?? emptyCounts(), c);
  }
  if (regions) parts.push(scoresOf(regions).f1 ?? 1);

  const spansOf = (rs: readonly AnnotationResult[]): SpanLike[] =>
    rs.flatMap((r) =>
      r.type === 'span' ? [{ start: r.start, end: r.end, label: r.label, field: r.field }] : [],
    );
  const refSpans = byLabel(spansOf(reference));
  const otherSpans = byLabel(spansOf(other));
  let spans: MatchCounts | null = null;
  for (const label of new Set([...refSpans.keys(), ...otherSpans.keys()])) {
    const { overlap } = spanAgreement(refSpans.get(label) ?? [], otherSpans.get(label) ?? []);
    const c = { tp: overlap.tp, fp: overlap.fp, fn: overlap.fn, scoreSum: overlap.scoreSum };
    add(labels, label, c);
    spans = addCounts(spans ?? emptyCounts(), c);
  }
  if (spans) parts.push(scoresOf(spans).f1 ?? 1);

  const refClasses = classSets(reference);
  const otherClasses = classSets(other);
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
