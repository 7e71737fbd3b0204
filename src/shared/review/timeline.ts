import type { TaskVersion, Verdict } from '../sync/review';

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
      flag: Verdict['flag'] | null;
    };

export const timeline = (versions: readonly TaskVersion[], verdicts: readonly Verdict[]): TimelineEntry[] => {
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
