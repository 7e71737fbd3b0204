import { describe, expect, it } from 'vitest';
import { planPreview } from './lot-plan';

const batch = (items: number, openLotId: string | null = null) => ({ batch: 'week-2', items, openLotId });

describe('planPreview', () => {
  it('shows the ISO 2859-1 plan before the lot is made (lot of 60, II, 2.5: E → F, n 20, 1/2)', () => {
    expect(planPreview(batch(60), 'II', 2.5)).toEqual({
      kind: 'plan',
      lotSize: '60',
      codeLetter: 'E → F',
      sampleSize: '20',
      acRe: '1 / 2',
      words:
        '20 of the 60 items are drawn for audit; the lot is accepted with at most 1 defect and rejected at 2.',
    });
  });

  it('says when every item is inspected, and Ac 0 as "no defect"', () => {
    const p = planPreview(batch(4), 'II', 2.5);
    expect(p).toMatchObject({ kind: 'plan', sampleSize: '4 (all)', acRe: '0 / 1' });
    expect(p.words).toBe(
      'Every one of the 4 items is audited; the lot is accepted with no defect and rejected at 1.',
    );
  });

  it('offers no plan for a batch without work, with a lot under audit, or none picked', () => {
    expect(planPreview(batch(0), 'II', 2.5)).toMatchObject({ kind: 'none' });
    expect(planPreview(batch(60, 'p1:lot-1'), 'II', 2.5).words).toContain('lot under audit (p1:lot-1)');
    expect(planPreview(undefined, 'II', 2.5)).toEqual({ kind: 'none', words: 'Pick a batch.' });
  });
});
