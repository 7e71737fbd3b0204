import { describe, expect, it } from 'vitest';
import type { AnnotationResult } from '../model/annotation';
import type { Verdict } from '../sync/review';
import { pinsByResult, pinsFor, reworkVerdict, targetInWords } from './pins';

const results: AnnotationResult[] = [
  { type: 'bbox', id: 'b1', label: 'car', x: 0, y: 0, w: 5, h: 5, rotation: 0, attributes: {} },
  {
    type: 'keypoints',
    id: 'k1',
    label: 'person',
    points: [
      { x: 1, y: 1, v: 2 },
      { x: 2, y: 2, v: 2 },
    ],
    attributes: {},
  },
  { type: 'span', id: 's1', label: 'PER', start: 0, end: 5, text: 'Maria', attributes: {} },
];

describe('pinsFor', () => {
  it('numbers comments and resolves each against the version shown', () => {
    const pins = pinsFor(
      [
        { target: { kind: 'task' }, text: 'blurry' },
        { target: { kind: 'region', resultId: 'b1' }, text: 'too loose' },
        { target: { kind: 'keypoint', resultId: 'k1', index: 1 }, text: 'wrist is lower' },
        { target: { kind: 'keypoint', resultId: 'k1', index: 7 }, text: 'no such point' },
        { target: { kind: 'span', resultId: 'gone' }, text: 'deleted since' },
      ],
      results,
    );
    expect(pins.map((p) => [p.n, p.resultId, p.keypoint, p.found])).toEqual([
      [1, null, null, true],
      [2, 'b1', null, true],
      [3, 'k1', 1, true],
      [4, 'k1', 7, false],
      [5, 'gone', null, false],
    ]);
    const by = pinsByResult(pins);
    expect([...by.keys()]).toEqual(['b1', 'k1']);
    expect(by.get('k1')!.map((p) => p.n)).toEqual([3]);
    expect(targetInWords(pins[0]!, results)).toBe('the whole task');
    expect(targetInWords(pins[1]!, results)).toBe('box car');
    expect(targetInWords(pins[2]!, results)).toBe('point 2 of person');
    expect(targetInWords(pins[4]!, results)).toBe('a region or span no longer there');
    expect(
      targetInWords(pinsFor([{ target: { kind: 'span', resultId: 's1' }, text: 'x' }], results)[0]!, results),
    ).toBe('“Maria” (PER)');
  });
});

const verdict = (id: string, kind: Verdict['kind'], at: number, flag?: Verdict['flag']): Verdict => ({
  id,
  submissionId: 'sub',
  kind,
  reviewerId: 'r',
  reviewerName: 'rita',
  at,
  activeMs: 0,
  comments: [],
  ...(flag ? { flag } : {}),
});

describe('reworkVerdict', () => {
  it('is the newest applied rejection, unless a later verdict decided the task', () => {
    expect(reworkVerdict([verdict('a', 'rejected', 1)])?.id).toBe('a');
    expect(reworkVerdict([verdict('a', 'rejected', 1), verdict('b', 'accepted', 2)])).toBeNull();
    expect(reworkVerdict([verdict('b', 'accepted', 2), verdict('a', 'rejected', 3)])?.id).toBe('a');
    // A stale rejection was never applied: it sends nothing back to rework.
    expect(reworkVerdict([verdict('a', 'rejected', 1, 'stale')])).toBeNull();
    expect(reworkVerdict([])).toBeNull();
  });
});
