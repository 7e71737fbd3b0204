import { describe, expect, it } from 'vitest';
import type { AnnotationResult } from '../../../../shared/model';
import { diffAnnotations } from '../../../../shared/review';
import { beforeWords, comparisonMarks } from './comparison-marks';

const cmp = (over: Partial<Extract<AnnotationResult, { type: 'comparison' }>> = {}): AnnotationResult => ({
  type: 'comparison',
  id: 'c',
  choice: 'a',
  tie: false,
  ranking: ['a', 'b'],
  ratings: { a: { clarity: 4 }, b: { clarity: 2 } },
  justification: 'a is clearer',
  ...over,
});

const marksOf = (before: AnnotationResult[], after: AnnotationResult[], showDiff = true) =>
  comparisonMarks({ diff: diffAnnotations(before, after), showDiff, pins: [] });

describe('comparisonMarks', () => {
  it('names each changed part of the decision with its value before', () => {
    const m = marksOf(
      [cmp()],
      [
        cmp({
          choice: 'b',
          ranking: ['b', 'a'],
          ratings: { a: { clarity: 4 }, b: { clarity: 5 } },
          justification: 'b cites',
        }),
      ],
    );
    expect(m).toMatchObject({ kind: 'changed', choiceBefore: 'a', justificationBefore: 'a is clearer' });
    expect([...m!.rankBefore]).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect([...m!.ratingBefore]).toEqual([['b:clarity', 2]]);
  });

  it('marks nothing unchanged, and nothing with the diff toggled off', () => {
    const same = marksOf([cmp()], [cmp({ justification: 'longer reason' })]);
    expect(same).toMatchObject({ choiceBefore: undefined, justificationBefore: 'a is clearer' });
    expect(same!.rankBefore.size + same!.ratingBefore.size).toBe(0);
    expect(marksOf([cmp()], [cmp({ choice: 'b' })], false)).toBeNull();
    expect(marksOf([cmp()], [cmp()])).toBeNull();
  });

  it('a decision added in this version: every part was empty before', () => {
    const m = marksOf([], [cmp({ tie: true, choice: null })]);
    expect(m).toMatchObject({ kind: 'added', choiceBefore: null, justificationBefore: '' });
    expect(m!.rankBefore.get('a')).toBe(0);
    expect(beforeWords(0, 'rank')).toBe('was unranked');
    expect(beforeWords(3, 'rating')).toBe('was 3');
  });
});
