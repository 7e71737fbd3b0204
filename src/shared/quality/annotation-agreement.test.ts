import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnnotationResult } from '../model';
import { annotationAgreement } from './annotation-agreement';

const box = (id: string, label: string, x: number, y = 0): AnnotationResult => ({
  type: 'bbox',
  id,
  label,
  x,
  y,
  w: 10,
  h: 10,
  rotation: 0,
  attributes: {},
});
const span = (id: string, label: string, start: number, end: number): AnnotationResult => ({
  type: 'span',
  id,
  label,
  start,
  end,
  text: 'x'.repeat(end - start),
  attributes: {},
});
const cls = (labels: string[], group = 'g'): AnnotationResult => ({
  type: 'doc-class',
  id: 'c',
  group,
  labels,
});

describe('annotationAgreement', () => {
  it('counts regions per label; a label mismatch is an fp and an fn, never a match', () => {
    // Reference: car at 0, car at 100, person at 200. Other: car at 2 (IoU 8·10/(2·100−80) = 2/3),
    // person at 100 (where the second car is), nothing at 200.
    const a = annotationAgreement(
      [box('1', 'car', 0), box('2', 'car', 100), box('3', 'person', 200)],
      [box('a', 'car', 2), box('b', 'person', 100)],
    );
    expect(a.labels).toEqual({
      car: { tp: 1, fp: 0, fn: 1, scoreSum: 2 / 3 },
      person: { tp: 0, fp: 1, fn: 1, scoreSum: 0 },
    });
    expect(a.regions).toEqual({ tp: 1, fp: 1, fn: 2, scoreSum: 2 / 3 });
    // F1 = 2·1 / (2·1 + 1 + 2) = 0.4, the only part.
    expect(a.score).toBeCloseTo(0.4, 12);
    expect(a.spans).toBeNull();
    expect(a.classes).toBeNull();
  });

  it('averages the parts present: spans by overlap, class groups by identical label sets', () => {
    const a = annotationAgreement(
      [span('s', 'PER', 0, 5), cls(['news']), cls(['en'], 'lang')],
      [span('t', 'PER', 3, 9), cls(['news']), cls(['fr'], 'lang')],
    );
    // Spans overlap (one code point is enough): F1 1. Classes: 1 of 2 groups agree.
    expect(a.spans).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    expect(a.classes).toEqual({ agree: 1, groups: 2 });
    expect(a.score).toBeCloseTo((1 + 0.5) / 2, 12);
    expect(a.labels.en).toEqual({ tp: 0, fp: 0, fn: 1, scoreSum: 0 });
    expect(a.labels.fr).toEqual({ tp: 0, fp: 1, fn: 0, scoreSum: 0 });
  });

  it('two empty annotations agree fully; only unscored results give null', () => {
    expect(annotationAgreement([], []).score).toBe(1);
    const kp: AnnotationResult = {
      type: 'keypoints',
      id: 'k',
      label: 'pose',
      points: [{ x: 1, y: 1, v: 2 }],
      attributes: {},
    };
    expect(annotationAgreement([kp], []).score).toBeNull();
    // Something against nothing is total disagreement, not undefined.
    expect(annotationAgreement([box('1', 'car', 0)], []).score).toBe(0);
  });

  it('an annotation agrees perfectly with itself (property)', () => {
    const result = fc.oneof(
      fc
        .record({
          x: fc.integer({ min: 0, max: 500 }),
          y: fc.integer({ min: 0, max: 500 }),
          l: fc.constantFrom('a', 'b'),
        })
        .map(({ x, y, l }) => box(`b${x}-${y}`, l, x, y)),
      fc
        .record({
          s: fc.integer({ min: 0, max: 100 }),
          n: fc.integer({ min: 1, max: 20 }),
          l: fc.constantFrom('P', 'Q'),
        })
        .map(({ s, n, l }) => span(`s${s}`, l, s, s + n)),
      fc.constantFrom('x', 'y').map((l) => cls([l])),
    );
    fc.assert(
      fc.property(fc.array(result, { maxLength: 8 }), (rs) => {
        const unique = rs.filter(
          (r, i) => r.type !== 'doc-class' || rs.findIndex((q) => q.type === 'doc-class') === i,
        );
        expect(annotationAgreement(unique, unique).score).toBe(1);
      }),
    );
  });
});
