/**
 * Throughput metrics as pure functions over task outcomes and review verdicts (issue 13.4): the
 * workbench runs them on local data, the hub's SQL aggregates must give the same figures (the
 * definitions are in README.md, and the tests hold hand-computed values to check both against).
 * Undefined figures (nothing to divide by) are null.
 */

import { z } from 'zod';
import type { AnnotationResult } from '../model';
import type { ActiveInterval } from './active-time';

/** One outcome of one task for one annotator: a submission or a skip. */
export const TaskOutcome = z.object({
  taskId: z.string().min(1),
  projectId: z.string().min(1),
  batchId: z.string().nullable().default(null),
  annotatorId: z.string().nullable().default(null),
  outcome: z.enum(['submitted', 'skipped']),
  /** When it happened, wall clock ms since the Unix epoch: days are taken from it. */
  at: z.number().finite(),
  /** Active time spent on the task before this outcome (see active-time.ts). */
  activeMs: z.number().int().nonnegative(),
  /** Regions (boxes, polygons, polylines, keypoint sets) in the submission; 0 for a skip. */
  regions: z.number().int().nonnegative().default(0),
  /** Text spans in the submission; 0 for a skip. */
  spans: z.number().int().nonnegative().default(0),
  /** Results per label in the submission (regions, spans and relations by label, classes by chosen label). */
  labels: z.record(z.string(), z.number().int().nonnegative()).default({}),
});
export type TaskOutcome = z.infer<typeof TaskOutcome>;
export type TaskOutcomeInput = z.input<typeof TaskOutcome>;

/**
 * A reviewer's verdict on one version of a task's submission (issue 11): `version` 1 is the
 * annotator's first submission, 2 the first resubmission after rework, and so on. `fix` is
 * "fix & accept": accepted after the reviewer changed it.
 */
export const ReviewVerdict = z.object({
  taskId: z.string().min(1),
  /** The annotator whose submission was reviewed (when outcomes of several annotators mix). */
  annotatorId: z.string().nullable().default(null),
  version: z.number().int().positive(),
  verdict: z.enum(['accept', 'fix', 'reject']),
  at: z.number().finite(),
});
export type ReviewVerdict = z.infer<typeof ReviewVerdict>;
export type ReviewVerdictInput = z.input<typeof ReviewVerdict>;

const REGION_TYPES = new Set(['bbox', 'polygon', 'polyline', 'keypoints']);

/** Regions, spans and per-label counts of a submission's results, for a TaskOutcome. */
export const countResults = (
  results: readonly AnnotationResult[],
): Pick<TaskOutcome, 'regions' | 'spans' | 'labels'> => {
  let regions = 0;
  let spans = 0;
  const labels: Record<string, number> = {};
  const add = (l: string): void => {
    labels[l] = (labels[l] ?? 0) + 1;
  };
  for (const r of results) {
    if (REGION_TYPES.has(r.type)) regions++;
    if (r.type === 'span') spans++;
    if ('label' in r) add(r.label);
    if (r.type === 'image-class' || r.type === 'doc-class') r.labels.forEach(add);
  }
  return { regions, spans, labels };
};

export const MetricSummary = z.object({
  submitted: z.number().int(),
  skipped: z.number().int(),
  /** Active ms over all outcomes (skipped tasks took time too). */
  activeMs: z.number(),
  regions: z.number().int(),
  spans: z.number().int(),
  /** Submitted tasks per active hour. */
  tasksPerActiveHour: z.number().nullable(),
  regionsPerActiveHour: z.number().nullable(),
  spansPerActiveHour: z.number().nullable(),
  /** Median and 90th percentile of active seconds per submitted task (linear interpolation). */
  medianActiveSec: z.number().nullable(),
  p90ActiveSec: z.number().nullable(),
  /** skipped / (submitted + skipped). */
  skipRate: z.number().nullable(),
  /** Tasks whose first version has a verdict. */
  firstVersionsReviewed: z.number().int(),
  /** Share of those whose first verdict on the first version is `accept` (a fix is not). */
  firstPassAcceptance: z.number().nullable(),
  /** Tasks with at least one verdict. */
  reviewed: z.number().int(),
  /** Share of those rejected at least once (sent back for rework). */
  reworkRate: z.number().nullable(),
  /** Results per label over the submissions. */
  labels: z.record(z.string(), z.number().int()),
});
export type MetricSummary = z.infer<typeof MetricSummary>;

/**
 * The p-quantile (0 ≤ p ≤ 1) by linear interpolation between closest ranks (Hyndman & Fan
 * type 7: R's default, numpy's "linear", PostgreSQL's percentile_cont). Null for no values.
 */
export const quantile = (values: readonly number[], p: number): number | null => {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
};

const HOUR = 3_600_000;
const per = (n: number, d: number): number | null => (d === 0 ? null : n / d);
const verdictKey = (taskId: string, annotatorId: string | null): string =>
  `${annotatorId ?? ''}\u0000${taskId}`;

/** All figures over a set of outcomes and the verdicts on their tasks. */
export const summarize = (
  outcomes: readonly TaskOutcomeInput[],
  verdicts: readonly ReviewVerdictInput[] = [],
): MetricSummary =>
  summarizeParsed(
    outcomes.map((o) => TaskOutcome.parse(o)),
    verdicts.map((v) => ReviewVerdict.parse(v)),
  );

/**
 * `summarize` for outcomes already parsed at a boundary (the contract's `metrics.local` answer):
 * the same figures without validating each outcome again (9,000 zod parses cost ~30 ms).
 */
export const summarizeParsed = (
  os: readonly TaskOutcome[],
  verdicts: readonly ReviewVerdict[] = [],
): MetricSummary => {
  const submittedOs = os.filter((o) => o.outcome === 'submitted');
  const submitted = submittedOs.length;
  const skipped = os.length - submitted;
  const activeMs = os.reduce((s, o) => s + o.activeMs, 0);
  const regions = submittedOs.reduce((s, o) => s + o.regions, 0);
  const spans = submittedOs.reduce((s, o) => s + o.spans, 0);
  const labels: Record<string, number> = {};
  for (const o of submittedOs)
    for (const [l, c] of Object.entries(o.labels)) labels[l] = (labels[l] ?? 0) + c;
  const secs = submittedOs.map((o) => o.activeMs / 1000);

  // Verdicts of the tasks these outcomes submitted, by (annotator, task).
  const mine = new Set(submittedOs.map((o) => verdictKey(o.taskId, o.annotatorId)));
  const byTask = new Map<string, ReviewVerdict[]>();
  for (const v of verdicts) {
    const key = verdictKey(v.taskId, v.annotatorId);
    if (!mine.has(key)) continue;
    const list = byTask.get(key);
    if (list) list.push(v);
    else byTask.set(key, [v]);
  }
  let firstVersionsReviewed = 0;
  let firstPassAccepted = 0;
  let reworked = 0;
  for (const vs of byTask.values()) {
    const first = vs.filter((v) => v.version === 1).sort((a, b) => a.at - b.at)[0];
    if (first) {
      firstVersionsReviewed++;
      if (first.verdict === 'accept') firstPassAccepted++;
    }
    if (vs.some((v) => v.verdict === 'reject')) reworked++;
  }
  return {
    submitted,
    skipped,
    activeMs,
    regions,
    spans,
    tasksPerActiveHour: per(submitted, activeMs / HOUR),
    regionsPerActiveHour: per(regions, activeMs / HOUR),
    spansPerActiveHour: per(spans, activeMs / HOUR),
    medianActiveSec: quantile(secs, 0.5),
    p90ActiveSec: quantile(secs, 0.9),
    skipRate: per(skipped, os.length),
    firstVersionsReviewed,
    firstPassAcceptance: per(firstPassAccepted, firstVersionsReviewed),
    reviewed: byTask.size,
    reworkRate: per(reworked, byTask.size),
    labels,
  };
};

/** A fixed offset east of UTC in minutes (India +330, New York −300 in winter), or one per instant for time zones with daylight saving. */
export type TzOffset = number | ((at: number) => number);

/** The local calendar day of an instant, as YYYY-MM-DD. */
export const dayOf = (at: number, tz: TzOffset = 0): string => {
  const offset = typeof tz === 'number' ? tz : tz(at);
  return new Date(at + offset * 60_000).toISOString().slice(0, 10);
};

export type GroupBy = 'day' | 'project' | 'batch' | 'annotator';

/**
 * Figures per group, groups in ascending key order. A task's verdicts go with the group of its
 * first submission (so by day, acceptance is counted on the day the work was first submitted). Outcomes
 * without a batch or annotator group under the key "".
 */
export const summarizeBy = (
  by: GroupBy,
  outcomes: readonly TaskOutcomeInput[],
  verdicts: readonly ReviewVerdictInput[] = [],
  options: { tzOffset?: TzOffset } = {},
): { key: string; summary: MetricSummary }[] => {
  const keyOf = (o: TaskOutcome): string =>
    by === 'day'
      ? dayOf(o.at, options.tzOffset)
      : by === 'project'
        ? o.projectId
        : by === 'batch'
          ? (o.batchId ?? '')
          : (o.annotatorId ?? '');
  const groups = new Map<string, TaskOutcome[]>();
  for (const raw of outcomes) {
    const o = TaskOutcome.parse(raw);
    const k = keyOf(o);
    const list = groups.get(k);
    if (list) list.push(o);
    else groups.set(k, [o]);
  }
  // A task's verdicts go to the group of its first submission.
  const groupOfTask = new Map<string, { key: string; at: number }>();
  for (const [key, os] of groups)
    for (const o of os) {
      const tk = verdictKey(o.taskId, o.annotatorId);
      const seen = groupOfTask.get(tk);
      if (o.outcome === 'submitted' && (!seen || o.at < seen.at)) groupOfTask.set(tk, { key, at: o.at });
    }
  const verdictsOf = new Map<string, ReviewVerdict[]>();
  for (const raw of verdicts) {
    const v = ReviewVerdict.parse(raw);
    const k = groupOfTask.get(verdictKey(v.taskId, v.annotatorId))?.key;
    if (k === undefined) continue;
    const list = verdictsOf.get(k);
    if (list) list.push(v);
    else verdictsOf.set(k, [v]);
  }
  return [...groups.keys()]
    .sort()
    .map((key) => ({ key, summary: summarizeParsed(groups.get(key)!, verdictsOf.get(key) ?? []) }));
};

/**
 * Active ms per local day from active-time intervals (ActiveTime.intervals), a stretch across
 * midnight split at midnight: "active today" and the dashboard's active hours per day.
 */
export const activeMsByDay = (
  intervals: readonly ActiveInterval[],
  tz: TzOffset = 0,
): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const { from, ms } of intervals) {
    let at = from;
    let left = ms;
    while (left > 0) {
      const offset = (typeof tz === 'number' ? tz : tz(at)) * 60_000;
      const nextMidnight = Math.floor((at + offset) / 86_400_000 + 1) * 86_400_000 - offset;
      const piece = Math.min(left, nextMidnight - at);
      const day = dayOf(at, tz);
      out[day] = (out[day] ?? 0) + piece;
      at += piece;
      left -= piece;
    }
  }
  return out;
};
