import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stratifiedSplit } from './split';

const items = (n: number, label: (i: number) => string[]) =>
  Array.from({ length: n }, (_, i) => ({ id: `t${i}`, labels: label(i) }));

describe('stratifiedSplit', () => {
  it('gives the same split for the same seed whatever the input order, another for another seed', () => {
    const xs = items(200, (i) => [i % 10 === 0 ? 'rare' : 'common']);
    const a = stratifiedSplit(xs, [0.8, 0.1, 0.1], 7);
    const b = stratifiedSplit([...xs].reverse(), [0.8, 0.1, 0.1], 7);
    expect([...a].sort()).toEqual([...b].sort());
    const c = stratifiedSplit(xs, [0.8, 0.1, 0.1], 8);
    expect([...c].sort()).not.toEqual([...a].sort());
  });

  it('puts a rare label into every split in proportion', () => {
    // 20 of 200 carry "rare" (beside "common"): 16/2/2 expected.
    const xs = items(200, (i) => (i % 10 === 0 ? ['rare', 'common'] : ['common']));
    const s = stratifiedSplit(xs, [0.8, 0.1, 0.1], 1);
    const rare = xs.filter((x) => x.labels.includes('rare')).map((x) => s.get(x.id));
    expect(rare.filter((x) => x === 'train')).toHaveLength(16);
    expect(rare.filter((x) => x === 'val')).toHaveLength(2);
    expect(rare.filter((x) => x === 'test')).toHaveLength(2);
    const all = [...s.values()];
    expect(all.filter((x) => x === 'train')).toHaveLength(160);
  });

  it('property: every item gets a split and totals stay within one per stratum of the shares', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 3 }), { maxLength: 300 }),
        fc.integer({ min: 0, max: 1000 }),
        (labelSets, seed) => {
          const xs = labelSets.map((labels, i) => ({ id: `t${i}`, labels }));
          const s = stratifiedSplit(xs, [0.7, 0.2, 0.1], seed);
          expect(s.size).toBe(xs.length);
          const train = [...s.values()].filter((v) => v === 'train').length;
          // At most 5 strata (4 labels + unlabelled), each within 1 of its share.
          expect(Math.abs(train - 0.7 * xs.length)).toBeLessThanOrEqual(5);
        },
      ),
    );
  });

  it('rejects bad ratios', () => {
    expect(() => stratifiedSplit([], [0, 0, 0], 1)).toThrow(/ratios/);
  });
});
