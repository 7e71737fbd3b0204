/**
 * Agreement of text spans ([start, end) code points, with a label), the two usual NER scorings:
 * - exact: a pair matches when start, end and label are all equal (CoNLL-2003, Tjong Kim Sang &
 *   De Meulder 2003);
 * - overlap: a pair matches when the labels are equal and the ranges share at least one code
 *   point ("partial"/"overlap" of MUC and SemEval-2013 Task 9.1), one-to-one, the matching that
 *   gives the most pairs and then the largest total overlap (character IoU).
 */

import { matchByScore } from './assignment';
import { type MatchScores, countsOfMatching, scoresOf } from './match-counts';

export interface SpanLike {
  start: number;
  end: number;
  label: string;
  /** Comparison tasks: the field the span lies in; spans in different fields never match. */
  field?: string | undefined;
}

/** Code points shared / code points covered by either. */
export const spanIoU = (a: SpanLike, b: SpanLike): number => {
  if ((a.field ?? '') !== (b.field ?? '')) return 0;
  const inter = Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
  const union = a.end - a.start + (b.end - b.start) - inter;
  return union <= 0 ? 0 : inter / union;
};

export interface SpanAgreement {
  exact: MatchScores;
  overlap: MatchScores;
}

const key = (s: SpanLike): string => `${s.field ?? ''}\u0000${s.label}\u0000${s.start}\u0000${s.end}`;

export const spanAgreement = (reference: readonly SpanLike[], other: readonly SpanLike[]): SpanAgreement => {
  // Exact: a multiset intersection (two identical spans on one side match two on the other).
  const pool = new Map<string, number>();
  for (const s of reference) pool.set(key(s), (pool.get(key(s)) ?? 0) + 1);
  let exactTp = 0;
  for (const s of other) {
    const left = pool.get(key(s)) ?? 0;
    if (left > 0) {
      pool.set(key(s), left - 1);
      exactTp++;
    }
  }
  const exact = scoresOf({
    tp: exactTp,
    fp: other.length - exactTp,
    fn: reference.length - exactTp,
    scoreSum: exactTp,
  });
  const { pairs } = matchByScore(
    reference.length,
    other.length,
    (i, j) => (reference[i]!.label === other[j]!.label ? spanIoU(reference[i]!, other[j]!) : 0),
    Number.MIN_VALUE,
  );
  return { exact, overlap: scoresOf(countsOfMatching(reference.length, other.length, pairs)) };
};
