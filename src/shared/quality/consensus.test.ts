import { describe, expect, it } from 'vitest';
import type { AnnotationResult } from '../model';
import { consensusOf } from './consensus';
import { clusterRegions } from './consensus-regions';
import { spanConsensus } from './consensus-spans';
import { averagePolygon } from './polygon-average';
import { polygonIoU } from './polygon-overlap';

const bbox = (
  id: string,
  x: number,
  y: number,
  w: number,
  h: number,
  label = 'car',
  attributes = {},
): AnnotationResult => ({
  type: 'bbox',
  id,
  label,
  x,
  y,
  w,
  h,
  rotation: 0,
  attributes,
});
const cls = (labels: string[], group = 'weather'): AnnotationResult => ({
  type: 'image-class',
  id: 'c',
  group,
  labels,
});
const span = (start: number, end: number, label: string, text: string): AnnotationResult => ({
  type: 'span',
  id: `s${start}`,
  label,
  start,
  end,
  text: [...text].slice(start, end).join(''),
  attributes: {},
});

describe('classes by majority vote', () => {
  it('2 of 3 win; m defaults to a strict majority', () => {
    const c = consensusOf([[cls(['sun'])], [cls(['sun'])], [cls(['rain'])]]);
    expect(c.minVotes).toBe(2);
    expect(c.results).toEqual([
      { type: 'image-class', id: 'consensus-image-class-weather', group: 'weather', labels: ['sun'] },
    ]);
    expect(c.reasons).toEqual([]);
    expect(c.agreement.classes).toBeCloseTo(2 / 3, 12);
  });
  it('a tie goes to a reviewer with the tied labels', () => {
    const c = consensusOf([[cls(['sun'])], [cls(['rain'])]]);
    expect(c.results).toEqual([]);
    expect(c.reasons).toContainEqual({ kind: 'class-tie', group: 'weather', labels: ['sun', 'rain'] });
  });
  it('a plurality short of m is no majority', () => {
    const c = consensusOf([[cls(['a'])], [cls(['a'])], [cls(['b'])], [cls(['c'])], [cls(['d'])]]);
    expect(c.reasons).toContainEqual({
      kind: 'class-no-majority',
      group: 'weather',
      votes: { a: 2, b: 1, c: 1, d: 1 },
    });
    expect(c.reasons.some((r) => r.kind === 'low-agreement')).toBe(true);
  });
  it('multi-label groups vote per label', () => {
    const c = consensusOf([[cls(['a', 'b'])], [cls(['a'])], [cls(['a', 'b'])]]);
    expect(c.results[0]).toMatchObject({ labels: ['a', 'b'] });
  });
});

describe('boxes and polygons by IoU clusters', () => {
  it('keeps what ≥ m annotators drew, averaging coordinates; drops the rest', () => {
    const c = consensusOf([
      [bbox('1', 0, 0, 10, 10), bbox('2', 100, 100, 10, 10)],
      [bbox('1', 2, 0, 10, 10), bbox('x', 200, 200, 5, 5)],
      [bbox('1', 1, 0, 10, 12, 'truck')],
    ]);
    // Cluster of three at x 0,2,1 → mean x 1; heights 10,10,12 → 32/3 centred on mean cy (5+5+6)/3.
    expect(c.results).toHaveLength(1);
    const r = c.results[0] as Extract<AnnotationResult, { type: 'bbox' }>;
    expect(r.label).toBe('car');
    expect(r.x).toBeCloseTo(1, 12);
    expect(r.h).toBeCloseTo(32 / 3, 12);
    expect(r.y).toBeCloseTo(16 / 3 - 16 / 3, 12);
  });
  it('an even split of a region and a label tie go to a reviewer', () => {
    const c = consensusOf([
      [bbox('1', 0, 0, 10, 10, 'car')],
      [bbox('1', 0, 0, 10, 10, 'truck')],
      [bbox('1', 50, 50, 10, 10)],
      [bbox('1', 51, 50, 10, 10)],
    ]);
    expect(c.minVotes).toBe(3);
    expect(c.reasons.filter((r) => r.kind === 'region-tie')).toHaveLength(2);
    const c2 = consensusOf([[bbox('1', 0, 0, 10, 10, 'car')], [bbox('1', 0, 0, 10, 10, 'truck')]], {
      minVotes: 2,
    });
    expect(c2.reasons).toContainEqual({ kind: 'region-label-tie', type: 'bbox', labels: ['car', 'truck'] });
    expect(c2.results).toEqual([]);
  });
  it('attributes by majority', () => {
    const c = consensusOf([
      [bbox('1', 0, 0, 10, 10, 'car', { parked: true })],
      [bbox('1', 0, 0, 10, 10, 'car', { parked: true })],
      [bbox('1', 0, 0, 10, 10, 'car', { parked: false })],
    ]);
    expect(c.results[0]).toMatchObject({ attributes: { parked: true } });
  });
  it('clusters hold one region per annotator (Hungarian, not greedy)', () => {
    const sub = (x: number) => [{ type: 'bbox' as const, label: 'a', x, y: 0, w: 10, h: 10 }];
    const clusters = clusterRegions([[...sub(0), ...sub(6)], [...sub(3)]]);
    expect(clusters.map((c) => c.members)).toEqual([
      [
        [0, 0],
        [1, 0],
      ],
      [[0, 1]],
    ]);
  });
  it('low agreement is reported with its value', () => {
    const c = consensusOf([[bbox('1', 0, 0, 10, 10)], [bbox('1', 50, 0, 10, 10)]]);
    expect(c.agreement.regions).toBe(0);
    expect(c.reasons).toContainEqual({ kind: 'low-agreement', measure: 'regions', value: 0, threshold: 0.5 });
  });
  it('polygons of different vertex counts and start points average to the shared outline', () => {
    const square: [number, number][] = [
      [0, 0],
      [10, 0],
      [10, 10],
      [0, 10],
    ];
    // The same square, drawn from another corner, the other way round, with an extra vertex.
    const other: [number, number][] = [
      [10, 10],
      [10, 5],
      [10, 0],
      [0, 0],
      [0, 10],
    ];
    const mean = averagePolygon([square, other, square.map(([x, y]) => [x + 1, y])]);
    expect(mean).toHaveLength(4);
    expect(
      polygonIoU(
        mean,
        square.map(([x, y]) => [x + 1 / 3, y]),
      ),
    ).toBeCloseTo(1, 9);
  });
});

describe('spans by majority', () => {
  const text = 'Anna Berg lives in New York City.';
  it('code points covered by ≥ m annotators, split where ≥ m put a boundary', () => {
    const c = consensusOf([
      [span(0, 9, 'PER', text), span(19, 27, 'LOC', text), span(28, 32, 'LOC', text)],
      [span(0, 4, 'PER', text), span(19, 27, 'LOC', text), span(28, 32, 'LOC', text)],
      [span(0, 9, 'PER', text), span(19, 32, 'LOC', text)],
    ]);
    expect(c.results.map((r) => (r.type === 'span' ? [r.label, r.start, r.end, r.text] : null))).toEqual([
      ['PER', 0, 9, 'Anna Berg'],
      ['LOC', 19, 27, 'New York'],
      ['LOC', 28, 32, 'City'],
    ]);
  });
  it('adjacent entities most annotators kept apart stay apart', () => {
    const apart = [
      { start: 0, end: 3, label: 'LOC' },
      { start: 3, end: 7, label: 'LOC' },
    ];
    const r = spanConsensus([apart, apart, [{ start: 0, end: 7, label: 'LOC' }]], 2);
    expect(r.spans.map((s) => [s.start, s.end, s.support])).toEqual([
      [0, 3, 3],
      [3, 7, 3],
    ]);
  });
  it('half of an even k is a tie; overlapping labels are a conflict', () => {
    const r = spanConsensus(
      [
        [{ start: 0, end: 4, label: 'PER' }],
        [{ start: 0, end: 4, label: 'PER' }],
        [{ start: 0, end: 4, label: 'ORG' }],
        [{ start: 5, end: 9, label: 'PER' }],
      ],
      3,
    );
    expect(r.spans).toEqual([]);
    expect(r.ties).toEqual([{ label: 'PER', start: 0, end: 4 }]);
    const c = consensusOf(
      [
        [span(0, 4, 'PER', text)],
        [span(0, 4, 'PER', text), span(0, 9, 'ORG', text)],
        [span(0, 9, 'ORG', text)],
      ],
      { minVotes: 2 },
    );
    expect(c.reasons).toContainEqual({
      kind: 'span-label-conflict',
      labels: ['PER', 'ORG'],
      start: 0,
      end: 9,
    });
  });
});

describe('what consensus does not guess', () => {
  it('one submission, or types without a rule, go to a reviewer', () => {
    expect(consensusOf([[bbox('1', 0, 0, 1, 1)]]).reasons).toContainEqual({
      kind: 'too-few-submissions',
      submissions: 1,
    });
    const kp: AnnotationResult = {
      type: 'keypoints',
      id: 'k',
      label: 'p',
      points: [{ x: 0, y: 0, v: 2 }],
      attributes: {},
    };
    expect(consensusOf([[kp], [kp]]).reasons).toContainEqual({
      kind: 'not-aggregated',
      types: ['keypoints'],
    });
    expect(() => consensusOf([[], []], { minVotes: 3 })).toThrow(RangeError);
  });
  it('identical submissions give themselves back with no reasons', () => {
    const s = [bbox('1', 0, 0, 10, 10), span(0, 4, 'PER', text0), cls(['sun'])];
    const c = consensusOf([s, s, s]);
    expect(c.reasons).toEqual([]);
    expect(c.agreement).toEqual({ regions: 1, spans: 1, classes: 1 });
    expect(c.results).toHaveLength(3);
  });
});
const text0 = 'Anna Berg';
