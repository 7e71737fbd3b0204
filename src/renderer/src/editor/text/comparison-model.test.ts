import { describe, expect, it } from 'vitest';
import { LabelConfig } from '../../../../shared/model';
import project from '../../../../../resources/demo/comparison-project.json';
import { ComparisonModel } from './comparison-model';
import { DEMO_COMPARISONS } from './demo-comparisons';

const config = LabelConfig.parse(project.labelConfig);
const task = DEMO_COMPARISONS[1]!;
const make = () => new ComparisonModel(task.responses, config, { results: [], activeMs: 0 });

describe('ComparisonModel', () => {
  it('picks, ranks, rates and justifies, then round-trips through the annotation', () => {
    const m = make();
    m.choose('c');
    expect(m.ranking()).toEqual(['c', 'a', 'b']);
    m.moveRank('b', -1);
    expect(m.ranking()).toEqual(['c', 'b', 'a']);
    for (const v of [6, 7, 5, 4, 6, 5, 1, 2, 2]) expect(m.rateAtCursor(v)).toBe(true);
    m.setJustification('C is concrete and safe.');
    const a = m.annotation();
    expect(a.results[0]).toMatchObject({
      type: 'comparison',
      choice: 'c',
      tie: false,
      ranking: ['c', 'b', 'a'],
      ratings: {
        a: { helpfulness: 6, harmlessness: 7, honesty: 5 },
        b: { helpfulness: 4 },
        c: { honesty: 2 },
      },
    });
    expect(m.missing()).toEqual([]);
    const again = new ComparisonModel(task.responses, config, a);
    expect(again.annotation()).toEqual(a);
  });

  it('rejects ratings outside the rubric and undoes changes', () => {
    const m = make();
    expect(m.rate('a', 'helpfulness', 8)).toBe(false);
    expect(m.rate('a', 'nope', 3)).toBe(false);
    m.setTie();
    expect(m.value.tie).toBe(true);
    m.choose('a');
    expect(m.value).toMatchObject({ tie: false, choice: 'a' });
    m.history.undo();
    expect(m.value).toMatchObject({ tie: true, choice: null });
    expect(m.missing()).toContain('rate A, B, C');
  });
});
