import type { ChangeKind } from '../../../../shared/review';
import type { AnnotationResult } from '../../../../shared/model';
import type { ReviewMarks } from '../review-marks';

type Comparison = Extract<AnnotationResult, { type: 'comparison' }>;

/**
 * What the comparison editor marks of the diff to the previous version (review screens, D
 * toggles): the decision as a whole added or removed, else each part that changed with its
 * value before — the better response or tie, each response's rank, each rating, the
 * justification. Null: nothing to mark (no diff, toggled off, or no change to the decision).
 */
export interface ComparisonMarks {
  kind: ChangeKind;
  /** For `changed`: which parts differ (the diff's words). */
  fields: readonly string[];
  /** The choice before, when the choice or the tie changed ("tie" for a tie, null for none). */
  choiceBefore: string | null | undefined;
  /** Rank before (1-based; 0 = unranked) of each response whose rank changed. */
  rankBefore: ReadonlyMap<string, number>;
  /** Rating before (undefined = unrated) of each `response:criterion` whose rating changed. */
  ratingBefore: ReadonlyMap<string, number | undefined>;
  /** The justification before, when it changed. */
  justificationBefore: string | undefined;
}

const choiceOf = (c: Comparison | undefined): string | null => (c ? (c.tie ? 'tie' : c.choice) : null);

export const comparisonMarks = (review: ReviewMarks | undefined): ComparisonMarks | null => {
  if (!review?.diff || !review.showDiff) return null;
  const change = review.diff.changes.find((c) => c.type === 'comparison');
  if (!change) return null;
  const before = change.before?.type === 'comparison' ? change.before : undefined;
  const after = change.after?.type === 'comparison' ? change.after : undefined;
  const rankBefore = new Map<string, number>();
  const ratingBefore = new Map<string, number | undefined>();
  const ids = new Set([...(before?.ranking ?? []), ...(after?.ranking ?? [])]);
  for (const id of ids) {
    const b = (before?.ranking.indexOf(id) ?? -1) + 1;
    const a = (after?.ranking.indexOf(id) ?? -1) + 1;
    if (a !== b) rankBefore.set(id, b);
  }
  const responses = new Set([...Object.keys(before?.ratings ?? {}), ...Object.keys(after?.ratings ?? {})]);
  for (const r of responses) {
    const x = before?.ratings[r] ?? {};
    const y = after?.ratings[r] ?? {};
    for (const c of new Set([...Object.keys(x), ...Object.keys(y)]))
      if (x[c] !== y[c]) ratingBefore.set(`${r}:${c}`, x[c]);
  }
  const choiceChanged = choiceOf(before) !== choiceOf(after);
  const justChanged = (before?.justification ?? '') !== (after?.justification ?? '');
  return {
    kind: change.kind,
    fields: change.fields,
    choiceBefore: choiceChanged ? choiceOf(before) : undefined,
    rankBefore,
    ratingBefore,
    justificationBefore: justChanged ? (before?.justification ?? '') : undefined,
  };
};

/** The words of a rating or rank before, for the "was …" marks. */
export const beforeWords = (v: number | undefined, what: 'rank' | 'rating'): string =>
  v === undefined || (what === 'rank' && v === 0)
    ? `was ${what === 'rank' ? 'unranked' : 'unrated'}`
    : `was ${what === 'rank' ? '#' : ''}${v}`;
