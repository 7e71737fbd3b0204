import type { TaskVersion, Verdict } from '../sync/review';

/** What the timeline reads of a version: the hub's `TaskVersion` and the contract's both fit. */
export type VersionLike = Pick<
  TaskVersion,
  'id' | 'source' | 'userId' | 'userName' | 'at' | 'activeMs' | 'conflict' | 'superseded'
>;
/** What it reads of a verdict (absent and null fields mean the same). */
export interface VerdictLike {
  id: string;
  submissionId: string;
  kind: Verdict['kind'];
  reviewerName: string;
  at: number;
  activeMs: number;
  reason?: string | null | undefined;
  note?: string | null | undefined;
  comments: readonly unknown[];
  flag?: 'stale' | 'conflict' | null | undefined;
}

/**
 * A task's history as one timeline (the history panel, in both roles): every version and every
 * verdict, oldest first. Versions are numbered in the order they were stored.
 */
export type TimelineEntry =
  | {
      kind: 'version';
      id: string;
      /** 1-based version number. */
      n: number;
      source: TaskVersion['source'];
      /** Submitted again by the same author after an earlier version (a rework). */
      resubmission: boolean;
      who: string;
      at: number;
      activeMs: number;
      conflict: boolean;
      superseded: boolean;
    }
  | {
      kind: 'verdict';
      id: string;
      verdict: Verdict['kind'];
      /** The version number it judged (null if the version is not in this history). */
      on: number | null;
      who: string;
      at: number;
      activeMs: number;
      reason: string | null;
      note: string | null;
      comments: number;
      flag: 'stale' | 'conflict' | null;
    };

export const timeline = (
  versions: readonly VersionLike[],
  verdicts: readonly VerdictLike[],
): TimelineEntry[] => {
  const ordered = [...versions].sort((a, b) => a.at - b.at);
  const number = new Map(ordered.map((v, i) => [v.id, i + 1]));
  const authors = new Set<string>();
  const entries: TimelineEntry[] = ordered.map((v, i) => {
    const resubmission = v.source === 'submission' && authors.has(v.userId);
    if (v.source === 'submission') authors.add(v.userId);
    return {
      kind: 'version',
      id: v.id,
      n: i + 1,
      source: v.source,
      resubmission,
      who: v.userName,
      at: v.at,
      activeMs: v.activeMs,
      conflict: v.conflict,
      superseded: v.superseded,
    };
  });
  for (const v of verdicts) {
    entries.push({
      kind: 'verdict',
      id: v.id,
      verdict: v.kind,
      on: number.get(v.submissionId) ?? null,
      who: v.reviewerName,
      at: v.at,
      activeMs: v.activeMs,
      reason: v.reason ?? null,
      note: v.note ?? null,
      comments: v.comments.length,
      flag: v.flag ?? null,
    });
  }
  // A fix's version and its verdict share a moment: the version is listed first.
  return entries.sort((a, b) => a.at - b.at || (a.kind === b.kind ? 0 : a.kind === 'version' ? -1 : 1));
};

/** The version a new one should be compared with: the one stored just before it (null: first). */
export const previousVersion = <V extends { id: string; at: number }>(
  versions: readonly V[],
  id: string,
): V | null => {
  const ordered = [...versions].sort((a, b) => a.at - b.at);
  const i = ordered.findIndex((v) => v.id === id);
  return i > 0 ? ordered[i - 1]! : null;
};
