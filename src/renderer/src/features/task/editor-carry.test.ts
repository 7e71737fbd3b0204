import { describe, expect, it } from 'vitest';
import { WindowCarry } from './editor-carry';

const ann = (n: number) => ({ results: [], activeMs: n });

describe('WindowCarry', () => {
  it('offers the task left last as "previous", never the task itself', () => {
    const carry = new WindowCarry();
    expect(carry.forTask('a').previous()).toBeNull();
    carry.left('a', ann(1));
    expect(carry.forTask('b').previous()).toEqual(ann(1));
    expect(carry.forTask('a').previous()).toBeNull();
  });
  it('keeps one clipboard across tasks', () => {
    const carry = new WindowCarry();
    const first = carry.forTask('a');
    first.clipboard.push({
      type: 'bbox',
      id: 'r',
      label: 'car',
      x: 0,
      y: 0,
      w: 1,
      h: 1,
      rotation: 0,
      attributes: {},
    });
    expect(carry.forTask('b').clipboard).toHaveLength(1);
  });
});
