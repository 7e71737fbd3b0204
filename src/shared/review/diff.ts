import type { AnnotationResult } from '../model/annotation';

/**
 * What changed between two versions of a task's annotation (a resubmission after rework, or a
 * reviewer's fix): results added, removed or changed, matched by result id. The editors mark
 * them; the review screen counts them. Suggestions are not part of a version, so never here.
 */

export type ChangeKind = 'added' | 'removed' | 'changed';

/** What about a result changed, in words a reviewer reads ("label", "geometry"…). */
export type ChangedField =
  | 'label'
  | 'geometry'
  | 'attributes'
  | 'range'
  | 'labels'
  | 'endpoints'
  | 'choice'
  | 'ranking'
  | 'ratings'
  | 'justification';

export interface ResultChange {
  kind: ChangeKind;
  /** The result's id: the newer version's for added/changed, the older's for removed. */
  id: string;
  type: AnnotationResult['type'];
  before?: AnnotationResult;
  after?: AnnotationResult;
  /** For `changed`: which parts differ (never empty). */
  fields: ChangedField[];
}

export interface AnnotationDiff {
  /** Newer version's order first (added and changed), then removed in the older's order. */
  changes: ResultChange[];
  counts: Record<ChangeKind, number>;
  /** Look-up by result id (ids of removed results are the older version's). */
  byId: ReadonlyMap<string, ResultChange>;
}

/** Coordinates closer than this (source pixels) are the same: float noise is not an edit. */
const EPS = 1e-6;

const near = (a: number, b: number): boolean => Math.abs(a - b) <= EPS;

const sameList = <T>(a: readonly T[], b: readonly T[], eq: (x: T, y: T) => boolean): boolean =>
  a.length === b.length && a.every((x, i) => eq(x, b[i]!));

const samePoint = (a: readonly [number, number], b: readonly [number, number]): boolean =>
  near(a[0], b[0]) && near(a[1], b[1]);

const sameStrings = (a: readonly string[], b: readonly string[]): boolean =>
  sameList(a, b, (x, y) => x === y);

/** Attributes compared by value, key order ignored; a missing key equals nothing set. */
const sameAttributes = (
  a: Record<string, string | boolean> | undefined,
  b: Record<string, string | boolean> | undefined,
): boolean => {
  const x = a ?? {};
  const y = b ?? {};
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  for (const k of keys) if (x[k] !== y[k]) return false;
  return true;
};

const sameRatings = (
  a: Record<string, Record<string, number>>,
  b: Record<string, Record<string, number>>,
) => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const x = a[k] ?? {};
    const y = b[k] ?? {};
    const inner = new Set([...Object.keys(x), ...Object.keys(y)]);
    for (const j of inner) if (x[j] !== y[j]) return false;
  }
  return true;
};

/** The parts of `a` and `b` (same id, same type) that differ; empty when they are the same. */
export const changedFields = (a: AnnotationResult, b: AnnotationResult): ChangedField[] => {
  const out: ChangedField[] = [];
  const push = (cond: boolean, f: ChangedField) => {
    if (cond) out.push(f);
  };
  switch (a.type) {
    case 'bbox': {
      const o = b as typeof a;
      push(a.label !== o.label, 'label');
      push(
        !near(a.x, o.x) ||
          !near(a.y, o.y) ||
          !near(a.w, o.w) ||
          !near(a.h, o.h) ||
          !near(a.rotation, o.rotation),
        'geometry',
      );
      push(!sameAttributes(a.attributes, o.attributes), 'attributes');
      return out;
    }
    case 'polygon':
    case 'polyline': {
      const o = b as typeof a;
      push(a.label !== o.label, 'label');
      push(!sameList(a.points, o.points, samePoint), 'geometry');
      push(!sameAttributes(a.attributes, o.attributes), 'attributes');
      return out;
    }
    case 'keypoints': {
      const o = b as typeof a;
      push(a.label !== o.label, 'label');
      push(
        !sameList(a.points, o.points, (p, q) => near(p.x, q.x) && near(p.y, q.y) && p.v === q.v),
        'geometry',
      );
      push(!sameAttributes(a.attributes, o.attributes), 'attributes');
      return out;
    }
    case 'span': {
      const o = b as typeof a;
      push(a.label !== o.label, 'label');
      push(a.start !== o.start || a.end !== o.end || a.field !== o.field, 'range');
      push(!sameAttributes(a.attributes, o.attributes), 'attributes');
      return out;
    }
    case 'image-class':
    case 'doc-class': {
      const o = b as typeof a;
      push(!sameStrings([...a.labels].sort(), [...o.labels].sort()), 'labels');
      return out;
    }
    case 'relation': {
      const o = b as typeof a;
      push(a.label !== o.label, 'label');
      push(a.from !== o.from || a.to !== o.to, 'endpoints');
      return out;
    }
    case 'comparison': {
      const o = b as typeof a;
      push(a.choice !== o.choice || a.tie !== o.tie, 'choice');
      push(!sameStrings(a.ranking, o.ranking), 'ranking');
      push(!sameRatings(a.ratings, o.ratings), 'ratings');
      push(a.justification !== o.justification, 'justification');
      return out;
    }
  }
};

/**
 * Classes are one result per group whatever their id: an image class or document class is
 * matched by its group, so re-creating a group's record is a change, not a remove and an add.
 */
const matchKey = (r: AnnotationResult): string =>
  r.type === 'image-class' || r.type === 'doc-class' ? `${r.type}:${r.group}` : `id:${r.id}`;

/** An empty class group is the same as no class record at all. */
const isEmptyClass = (r: AnnotationResult): boolean =>
  (r.type === 'image-class' || r.type === 'doc-class') && r.labels.length === 0;

/** The diff from `before` (older version) to `after` (newer). */
export const diffAnnotations = (
  before: readonly AnnotationResult[],
  after: readonly AnnotationResult[],
): AnnotationDiff => {
  const old = new Map<string, AnnotationResult>();
  for (const r of before) if (!isEmptyClass(r)) old.set(matchKey(r), r);
  const changes: ResultChange[] = [];
  const seen = new Set<string>();
  for (const r of after) {
    if (isEmptyClass(r)) continue;
    const key = matchKey(r);
    seen.add(key);
    const prev = old.get(key);
    if (!prev || prev.type !== r.type) {
      if (prev) changes.push({ kind: 'removed', id: prev.id, type: prev.type, before: prev, fields: [] });
      changes.push({ kind: 'added', id: r.id, type: r.type, after: r, fields: [] });
      continue;
    }
    const fields = changedFields(prev, r);
    if (fields.length > 0)
      changes.push({ kind: 'changed', id: r.id, type: r.type, before: prev, after: r, fields });
  }
  for (const [key, r] of old) {
    if (!seen.has(key)) changes.push({ kind: 'removed', id: r.id, type: r.type, before: r, fields: [] });
  }
  const counts: Record<ChangeKind, number> = { added: 0, removed: 0, changed: 0 };
  const byId = new Map<string, ResultChange>();
  for (const c of changes) {
    counts[c.kind]++;
    byId.set(c.id, c);
  }
  return { changes, counts, byId };
};

/** "2 added, 1 removed, 3 changed" (parts that are zero left out), or "No changes". */
export const diffInWords = (d: AnnotationDiff): string => {
  const parts = (['added', 'removed', 'changed'] as const)
    .filter((k) => d.counts[k] > 0)
    .map((k) => `${d.counts[k]} ${k}`);
  return parts.length ? parts.join(', ') : 'No changes';
};
