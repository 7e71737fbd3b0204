import { describe, expect, it } from 'vitest';
import { WindowCarry } from './editor-carry';

const ann = (n: number) => ({ results: [], activeMs: n });

describe('WindowCarry', () => {
  it('offers the task left last as "previous", never the task itself', () => {
    const carry = new WindowCarry();
    expect(carry.forTask('a', 'p').previous()).toBeNull();
    carry.left('a', ann(1));
    expect(carry.forTask('b', 'p').previous()).toEqual(ann(1));
    expect(carry.forTask('a', 'p').previous()).toBeNull();
  });
  it('keeps one clipboard across tasks', () => {
    const carry = new WindowCarry();
    const first = carry.forTask('a', 'p');
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
    expect(carry.forTask('b', 'p').clipboard).toHaveLength(1);
  });
  it('keeps the label last picked per project: the next task of the project starts with it', () => {
    const carry = new WindowCarry();
    expect(carry.forTask('a', 'p').lastLabel?.()).toBeNull();
    carry.forTask('a', 'p').labelPicked?.('car');
    expect(carry.forTask('b', 'p').lastLabel?.()).toBe('car');
    expect(carry.forTask('x', 'other').lastLabel?.()).toBeNull();
  });
});
