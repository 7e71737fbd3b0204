import { z } from 'zod';
import type { AnnotationResult } from '../../shared/model';
import { type KnownAgreement, annotationAgreement, consensusOf, scoresOf } from '../../shared/quality';

/**
 * One task's quality row, from its annotation texts to the texts stored (issue 12.4/12.5): pure
 * (no database, no node), so it runs on the report's thread or on a quality thread
 * (quality-thread.ts) with the same result.
 */

export const TaskFigures = z.object({
  /** Annotator pairs (a < b): the pair's agreement score on this task. */
  pairs: z.array(z.object({ a: z.string(), b: z.string(), score: z.number().nullable() })),
  /** Per label, regions/spans/class labels matched over every pair of the task. */
  labels: z.record(
    z.string(),
    z.object({ tp: z.number(), fp: z.number(), fn: z.number(), scoreSum: z.number() }),
  ),
  /** Single-choice class groups: each annotator's pick (null: none). */
  classes: z.record(z.string(), z.record(z.string(), z.string().nullable())),
  /** Each annotator's score against the accepted version, when the task has one. */
  vsAccepted: z.array(z.object({ userId: z.string(), score: z.number().nullable() })),
});
export type TaskFigures = z.infer<typeof TaskFigures>;

/** What a task's row is computed from: its standing submissions' texts and the accepted version's. */
export const TaskJob = z.object({
  subs: z.array(z.object({ userId: z.string(), text: z.string() })),
  /** The accepted version's text; absent without one (or when a fix's text is missing). */
  ref: z.string().optional(),
});
export type TaskJob = z.infer<typeof TaskJob>;

/** The row's computed columns, as stored (`figures` as text too: the report parses it back). */
export const TaskRow = z.object({
  k: z.number().int(),
  status: z.enum(['single', 'agreed', 'review', 'resolved']),
  annotation: z.string().nullable(),
  reasons: z.string(),
  figures: z.string(),
});
export type TaskRow = z.infer<typeof TaskRow>;

/**
 * The results of a stored annotation, or null when it is not an object with a results array
 * (kept, not scored). Read as is, not re-validated: the hub checked every stored annotation
 * against the shared schema when it took it (a push, a fix, a gold import), and a full zod
 * parse of 30,000 annotations was most of a report's time.
 */
export const resultsOfText = (text: string): AnnotationResult[] | null => {
  try {
    const v = JSON.parse(text) as { results?: unknown } | null;
    return v !== null && typeof v === 'object' && Array.isArray(v.results)
      ? (v.results as AnnotationResult[])
      : null;
  } catch {
    return null;
  }
};

const singleChoice = (results: readonly AnnotationResult[]): Map<string, string[]> => {
  const out = new Map<string, string[]>();
  for (const r of results)
    if (r.type === 'image-class' || r.type === 'doc-class') {
      const key = `${r.type}:${r.group}`;
      out.set(key, [...(out.get(key) ?? []), ...r.labels]);
    }
  return out;
};

const meanOf = (xs: readonly (number | null)[]): number | null => {
  let sum = 0;
  let n = 0;
  for (const x of xs)
    if (x !== null) {
      sum += x;
      n++;
    }
  return n === 0 ? null : sum / n;
};

/** Consensus and figures of one task from its submissions' results (and the accepted version). */
export const taskQuality = (
  subs: readonly { userId: string; results: readonly AnnotationResult[] }[],
  ref: readonly AnnotationResult[] | undefined,
): { figures: TaskFigures; consensus: ReturnType<typeof consensusOf> | null } => {
  const sorted = [...subs].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  const figures: TaskFigures = { pairs: [], labels: {}, classes: {}, vsAccepted: [] };
  const pairRegionF1: (number | null)[] = [];
  for (let i = 0; i < sorted.length; i++)
    for (let j = i + 1; j < sorted.length; j++) {
      const x = annotationAgreement(sorted[i]!.results, sorted[j]!.results);
      figures.pairs.push({ a: sorted[i]!.userId, b: sorted[j]!.userId, score: x.score });
      pairRegionF1.push(x.regions ? scoresOf(x.regions).f1 : null);
      for (const [label, c] of Object.entries(x.labels)) {
        const t = figures.labels[label];
        if (t) {
          t.tp += c.tp;
          t.fp += c.fp;
          t.fn += c.fn;
          t.scoreSum += c.scoreSum;
        } else figures.labels[label] = { tp: c.tp, fp: c.fp, fn: c.fn, scoreSum: c.scoreSum };
      }
    }
  const picks = sorted.map((s) => singleChoice(s.results));
  for (const group of new Set(picks.flatMap((p) => [...p.keys()]))) {
    if (picks.some((p) => (p.get(group)?.length ?? 0) > 1)) continue;
    figures.classes[group] = Object.fromEntries(
      sorted.map((s, i) => [s.userId, picks[i]!.get(group)?.[0] ?? null]),
    );
  }
  if (ref)
    figures.vsAccepted = sorted.map((s) => ({
      userId: s.userId,
      score: annotationAgreement(ref, s.results).score,
    }));
  // The pairs' region matching, done above, is the consensus's region agreement too when the
  // task holds one region type (consensus scores boxes and polygons apart; agreement together).
  const regionTypes = new Set<string>();
  for (const s of sorted)
    for (const r of s.results) if (r.type === 'bbox' || r.type === 'polygon') regionTypes.add(r.type);
  const [onlyType] = regionTypes;
  const known: KnownAgreement =
    regionTypes.size === 1 ? { regionF1: { [onlyType as 'bbox' | 'polygon']: meanOf(pairRegionF1) } } : {};
  const consensus =
    sorted.length >= 2
      ? consensusOf(
          sorted.map((s) => s.results),
          {},
          known,
        )
      : null;
  return { figures, consensus };
};

/**
 * A task's row: `k` submissions read, the status (a task a reviewer settled — accepted or fixed
 * a version — takes that version), the annotation kept, the reasons, the figures.
 */
export const taskRowOf = (job: TaskJob): TaskRow => {
  const subs = job.subs.flatMap((s) => {
    const results = resultsOfText(s.text);
    return results ? [{ userId: s.userId, results }] : [];
  });
  const ref = job.ref === undefined ? undefined : (resultsOfText(job.ref) ?? undefined);
  const { figures, consensus } = taskQuality(subs, ref);
  const status =
    consensus === null ? 'single' : consensus.reasons.length === 0 ? 'agreed' : ref ? 'resolved' : 'review';
  const results = status === 'resolved' ? ref : consensus?.results;
  return {
    k: subs.length,
    status,
    annotation: results ? JSON.stringify({ results }) : null,
    reasons: JSON.stringify(consensus?.reasons ?? []),
    figures: JSON.stringify(figures),
  };
};

/**
 * A chunk of jobs or rows as a few flat values, for the trip to a quality thread and back: its
 * texts concatenated into one string with their lengths beside (a structured clone copies one
 * long string in one go; a thousand objects holding strings cost the report thread ~20% of
 * its time in postMessage). A null text has length -1.
 */
const joinTexts = (texts: readonly (string | null)[]): { text: string; lengths: number[] } => ({
  text: texts.join(''),
  lengths: texts.map((t) => (t === null ? -1 : t.length)),
});

const splitTexts = (text: string, lengths: readonly number[]): (string | null)[] => {
  let at = 0;
  return lengths.map((n) => {
    if (n < 0) return null;
    at += n;
    return text.slice(at - n, at);
  });
};

export const PackedJobs = z.object({
  text: z.string(),
  lengths: z.array(z.number().int().min(-1)),
  /** Per submission, its annotator. */
  users: z.array(z.string()),
  /** Per task, its submission count, negated when its accepted version's text follows them. */
  shapes: z.array(z.number().int()),
});
export type PackedJobs = z.infer<typeof PackedJobs>;

export const packJobs = (jobs: readonly TaskJob[]): PackedJobs => {
  const texts: string[] = [];
  const users: string[] = [];
  const shapes: number[] = [];
  for (const j of jobs) {
    for (const s of j.subs) {
      texts.push(s.text);
      users.push(s.userId);
    }
    if (j.ref !== undefined) texts.push(j.ref);
    shapes.push(j.ref === undefined ? j.subs.length : -j.subs.length - 1);
  }
  return { ...joinTexts(texts), users, shapes };
};

export const unpackJobs = (p: PackedJobs): TaskJob[] => {
  const texts = splitTexts(p.text, p.lengths);
  let t = 0;
  let u = 0;
  return p.shapes.map((shape) => {
    const n = shape < 0 ? -shape - 1 : shape;
    const subs = Array.from({ length: n }, () => ({ userId: p.users[u++] ?? '', text: texts[t++] ?? '' }));
    return shape < 0 ? { subs, ref: texts[t++] ?? '' } : { subs };
  });
};

export const PackedRows = z.object({
  text: z.string(),
  /** Per row: its annotation's, reasons' and figures' lengths. */
  lengths: z.array(z.number().int().min(-1)),
  k: z.array(z.number().int()),
  status: z.array(TaskRow.shape.status),
});
export type PackedRows = z.infer<typeof PackedRows>;

export const packRows = (rows: readonly TaskRow[]): PackedRows => ({
  ...joinTexts(rows.flatMap((r) => [r.annotation, r.reasons, r.figures])),
  k: rows.map((r) => r.k),
  status: rows.map((r) => r.status),
});

export const unpackRows = (p: PackedRows): TaskRow[] => {
  const texts = splitTexts(p.text, p.lengths);
  return p.status.map((status, i) => ({
    k: p.k[i] ?? 0,
    status,
    annotation: texts[3 * i] ?? null,
    reasons: texts[3 * i + 1] ?? '[]',
    figures: texts[3 * i + 2] ?? '{}',
  }));
};
