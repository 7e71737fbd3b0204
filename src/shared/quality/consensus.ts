/**
 * One consensus annotation from the k submissions of a task, and the reasons a reviewer should
 * look at it: classes by majority vote, boxes and polygons by IoU clusters kept when at least m
 * annotators drew them (shapes averaged), spans by majority per code point. m defaults to a
 * strict majority, ⌊k/2⌋ + 1. Result types without a consensus rule (keypoints, polylines,
 * relations, comparisons) are not guessed at: the task goes to a reviewer.
 */

import { z } from 'zod';
import { AnnotationResult } from '../model';
import { clusterRegions, majority } from './consensus-regions';
import { spanConsensus } from './consensus-spans';
import { type Region, matchRegions } from './regions';
import { spanAgreement } from './spans';

export const ConsensusOptions = z.object({
  /** m: annotators who must agree for a region, span or class to be kept. Default ⌊k/2⌋ + 1. */
  minVotes: z.number().int().positive().optional(),
  /** IoU at which regions belong to one object. */
  iouThreshold: z.number().min(0).max(1).default(0.5),
  /** Agreement (mean pairwise F1, class vote share) below which the task goes to a reviewer. */
  lowAgreement: z.number().min(0).max(1).default(0.5),
});
export type ConsensusOptions = z.input<typeof ConsensusOptions>;
/** Parsed once: the hub calls consensusOf for every task with the defaults. */
const DEFAULT_OPTIONS = ConsensusOptions.parse({});

export const ReviewReason = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('too-few-submissions'), submissions: z.number().int() }),
  z.object({ kind: z.literal('class-tie'), group: z.string(), labels: z.array(z.string()) }),
  z.object({
    kind: z.literal('class-no-majority'),
    group: z.string(),
    votes: z.record(z.string(), z.number()),
  }),
  z.object({
    kind: z.literal('region-label-tie'),
    type: z.enum(['bbox', 'polygon']),
    labels: z.array(z.string()),
  }),
  z.object({ kind: z.literal('region-tie'), type: z.enum(['bbox', 'polygon']), support: z.number().int() }),
  z.object({
    kind: z.literal('span-tie'),
    label: z.string(),
    start: z.number().int(),
    end: z.number().int(),
  }),
  z.object({
    kind: z.literal('span-label-conflict'),
    labels: z.array(z.string()),
    start: z.number().int(),
    end: z.number().int(),
  }),
  z.object({
    kind: z.literal('low-agreement'),
    measure: z.enum(['regions', 'spans', 'classes']),
    value: z.number(),
    threshold: z.number(),
  }),
  z.object({ kind: z.literal('not-aggregated'), types: z.array(z.string()) }),
]);
export type ReviewReason = z.infer<typeof ReviewReason>;

export const Consensus = z.object({
  results: z.array(AnnotationResult),
  /** Empty when the consensus can be taken without a reviewer. */
  reasons: z.array(ReviewReason),
  /** Mean pairwise F1 of regions (IoU-matched) and spans (overlap); the lowest majority vote share among class groups; null when nothing to compare. */
  agreement: z.object({
    regions: z.number().nullable(),
    spans: z.number().nullable(),
    classes: z.number().nullable(),
  }),
  minVotes: z.number().int().positive(),
});
export type Consensus = z.infer<typeof Consensus>;

const mean = (xs: readonly (number | null)[]): number | null => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length === 0 ? null : v.reduce((s, x) => s + x, 0) / v.length;
};

const pairwise = <T>(items: readonly T[], f: (a: T, b: T) => number | null): number | null => {
  const out: (number | null)[] = [];
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < items.length; j++) out.push(f(items[i]!, items[j]!));
  return mean(out);
};

/** Majority of each attribute key among the members; a key whose vote ties is left out. */
const attributesOf = (
  members: readonly { attributes?: Record<string, string | boolean> }[],
): Record<string, string | boolean> => {
  const out: Record<string, string | boolean> = {};
  if (members.every((m) => m.attributes === undefined || Object.keys(m.attributes).length === 0)) return out;
  const keys = new Set(members.flatMap((m) => Object.keys(m.attributes ?? {})));
  for (const key of keys) {
    const { winner } = majority(members.map((m) => JSON.stringify(m.attributes?.[key] ?? null)));
    if (winner !== null && winner !== 'null') out[key] = JSON.parse(winner) as string | boolean;
  }
  return out;
};

type ClassResult = Extract<AnnotationResult, { type: 'image-class' | 'doc-class' }>;

/**
 * Figures a caller has already computed for the same submissions, so that the matching is not
 * done twice: `regionF1[type]` is the mean pairwise F1 of that type's regions (IoU-matched at the
 * same threshold, same label, nulls left out) — what the hub's agreement figures hold when a
 * task has regions of one type only (see quality-consensus.ts).
 */
export interface KnownAgreement {
  regionF1?: Partial<Record<'bbox' | 'polygon', number | null>>;
}

export const consensusOf = (
  submissions: readonly (readonly AnnotationResult[])[],
  options: ConsensusOptions = {},
  known: KnownAgreement = {},
): Consensus => {
  const o = Object.keys(options).length === 0 ? DEFAULT_OPTIONS : ConsensusOptions.parse(options);
  const k = submissions.length;
  const m = o.minVotes ?? Math.floor(k / 2) + 1;
  if (m > Math.max(k, 1)) throw new RangeError(`minVotes ${m} exceeds the ${k} submissions`);
  const reasons: ReviewReason[] = [];
  const results: AnnotationResult[] = [];
  if (k < 2) reasons.push({ kind: 'too-few-submissions', submissions: k });

  // The result types present, in one pass: a part with nothing of its type is skipped.
  const types = new Set<string>();
  for (const sub of submissions) for (const r of sub) types.add(r.type);

  // Classes, per type and group.
  const classShares: number[] = [];
  for (const type of ['image-class', 'doc-class'] as const) {
    if (!types.has(type)) continue;
    const groups = new Set(
      submissions.flatMap((s) => s.filter((r): r is ClassResult => r.type === type).map((r) => r.group)),
    );
    for (const group of groups) {
      const picks = submissions.map((s) => [
        ...new Set(
          s.filter((r): r is ClassResult => r.type === type && r.group === group).flatMap((r) => r.labels),
        ),
      ]);
      const single = picks.every((p) => p.length <= 1);
      let labels: string[] = [];
      if (single) {
        const { winner, counts } = majority(picks.map((p) => p[0] ?? ''));
        const top = Math.max(...Object.values(counts));
        classShares.push(top / k);
        if (winner === null)
          reasons.push({
            kind: 'class-tie',
            group,
            labels: Object.keys(counts).filter((l) => counts[l] === top),
          });
        else if (counts[winner]! < m) reasons.push({ kind: 'class-no-majority', group, votes: counts });
        else if (winner !== '') labels = [winner];
      } else {
        const { counts } = majority(picks.flat());
        labels = Object.keys(counts).filter((l) => counts[l]! >= m);
        const tied = Object.keys(counts).filter((l) => k % 2 === 0 && counts[l] === k / 2 && m > k / 2);
        if (tied.length > 0) reasons.push({ kind: 'class-tie', group, labels: tied });
        const all = Object.values(counts);
        classShares.push(
          all.length === 0 ? 1 : all.reduce((s, c) => s + Math.max(c, k - c), 0) / (all.length * k),
        );
      }
      if (labels.length > 0)
        results.push({ type, id: `consensus-${type}-${group}`.slice(0, 64), group, labels });
    }
  }

  // Boxes and polygons, each type clustered on its own.
  const regionF1: (number | null)[] = [];
  for (const type of ['bbox', 'polygon'] as const) {
    if (!types.has(type)) continue;
    const perAnnotator = submissions.map(
      (s) => s.filter((r) => r.type === type) as Extract<AnnotationResult, { type: typeof type }>[],
    );
    if (perAnnotator.every((rs) => rs.length === 0)) continue;
    const knownF1 = known.regionF1?.[type];
    regionF1.push(
      knownF1 !== undefined
        ? knownF1
        : pairwise(
            perAnnotator as Region[][],
            (a, b) => matchRegions(a, b, { iouThreshold: o.iouThreshold }).f1,
          ),
    );
    clusterRegions(perAnnotator as Region[][], o.iouThreshold).forEach((c, i) => {
      if (k % 2 === 0 && c.support === k / 2 && m > k / 2)
        reasons.push({ kind: 'region-tie', type, support: c.support });
      if (c.support < m) return;
      if (c.label === null) {
        const top = Math.max(...Object.values(c.labelVotes));
        reasons.push({
          kind: 'region-label-tie',
          type,
          labels: Object.keys(c.labelVotes).filter((l) => c.labelVotes[l] === top),
        });
        return;
      }
      const attributes = attributesOf(c.members.map(([a, r]) => perAnnotator[a]![r]!));
      const id = `consensus-${type}-${i}`;
      const { shape } = c;
      if (shape.type === 'bbox')
        results.push({
          type: 'bbox',
          id,
          label: c.label,
          x: shape.x,
          y: shape.y,
          w: shape.w,
          h: shape.h,
          rotation: shape.rotation,
          attributes,
        });
      else results.push({ type: 'polygon', id, label: c.label, points: shape.points, attributes });
    });
  }

  // Spans.
  let spanF1: number | null = null;
  if (types.has('span')) {
    const perAnnotatorSpans = submissions.map((s) =>
      s.filter((r): r is Extract<AnnotationResult, { type: 'span' }> => r.type === 'span'),
    );
    spanF1 = pairwise(perAnnotatorSpans, (a, b) => spanAgreement(a, b).overlap.f1);
    const sc = spanConsensus(perAnnotatorSpans, m);
    for (const t of sc.ties) reasons.push({ kind: 'span-tie', label: t.label, start: t.start, end: t.end });
    sc.spans.forEach((s, i) => {
      const clash = sc.spans.filter(
        (t) => t !== s && t.label !== s.label && t.field === s.field && t.start < s.end && t.end > s.start,
      );
      if (clash.length > 0 && clash.every((t) => sc.spans.indexOf(t) > i))
        reasons.push({
          kind: 'span-label-conflict',
          labels: [s.label, ...clash.map((t) => t.label)],
          start: s.start,
          end: Math.max(s.end, ...clash.map((t) => t.end)),
        });
      if (s.text === null) return;
      results.push({
        type: 'span',
        id: `consensus-span-${i}`,
        label: s.label,
        start: s.start,
        end: s.end,
        text: s.text,
        ...(s.field === undefined ? {} : { field: s.field }),
        attributes: {},
      });
    });
  }

  const unsupported = [...types].filter(
    (t) => !['bbox', 'polygon', 'span', 'image-class', 'doc-class'].includes(t),
  );
  if (unsupported.length > 0) reasons.push({ kind: 'not-aggregated', types: unsupported.sort() });

  const agreement = {
    regions: mean(regionF1),
    spans: spanF1,
    classes: classShares.length === 0 ? null : Math.min(...classShares),
  };
  for (const measure of ['regions', 'spans', 'classes'] as const) {
    const value = agreement[measure];
    if (value !== null && value < o.lowAgreement)
      reasons.push({ kind: 'low-agreement', measure, value, threshold: o.lowAgreement });
  }
  return { results, reasons, agreement, minVotes: m };
};
