import { describe, expect, it } from 'vitest';
import { contrastRatio } from '../../../../shared/color/contrast';
import type { Lot } from '../../../../shared/sync';
import {
  annotatorRows,
  consensusWords,
  heatColor,
  heatmap,
  labelRows,
  lotRows,
  NONE,
  percent,
  ratio,
} from './quality-view';

const lot = (over: Partial<Lot> = {}): Lot => ({
  id: 'l1',
  projectId: 'p',
  batch: 'b1',
  lotSize: 500,
  level: 'II',
  aql: 2.5,
  codeLetter: 'H',
  planLetter: 'H',
  sampleSize: 50,
  inspectAll: false,
  ac: 3,
  re: 4,
  seed: 42,
  algorithm: 'a',
  defectRule: 'r',
  audited: 50,
  defects: 2,
  verdict: 'accepted',
  reworkItems: 0,
  createdBy: 'u',
  createdAt: 1,
  decidedAt: 2,
  ...over,
});

describe('figures', () => {
  it('shows a null figure as a dash, never 0', () => {
    expect(ratio(null)).toBe(NONE);
    expect(percent(null)).toBe(NONE);
    expect(ratio(0)).toBe('0.00');
    expect(percent(0.8333)).toBe('83.3 %');
  });
});

describe('lotRows', () => {
  it('formats N, plan, Ac/Re, audit and seed', () => {
    const [r] = lotRows([lot()]);
    expect(r).toMatchObject({
      lotSize: '500',
      level: 'II',
      aql: '2.5',
      codeLetter: 'H',
      sampleSize: '50',
      acRe: '3 / 4',
      audited: '50 of 50',
      defects: '2',
      verdictText: 'Accepted',
      seed: '42',
    });
  });
  it('names a followed arrow, an inspect-all sample, small AQLs and rework', () => {
    const [r] = lotRows([
      lot({ aql: 0.65, codeLetter: 'C', planLetter: 'F', inspectAll: true, sampleSize: 20 }),
    ]);
    expect(r?.codeLetter).toBe('C → F');
    expect(r?.sampleSize).toBe('20 (all)');
    expect(r?.aql).toBe('0.65');
    const [x] = lotRows([lot({ verdict: 'rejected', defects: 4, reworkItems: 450 })]);
    expect(x?.verdictText).toBe('Rejected (450 up for full review)');
  });
});

describe('heatmap', () => {
  const pairs = [
    { a: 'u2', aName: 'Bea', b: 'u1', bName: 'Ann', tasks: 3, score: 0.5 },
    { a: 'u1', aName: 'Ann', b: 'u3', bName: 'Cy', tasks: 1, score: null },
  ];
  it('builds a symmetric matrix by name with a dash where no score', () => {
    const h = heatmap(pairs);
    expect(h.annotators.map((a) => a.name)).toEqual(['Ann', 'Bea', 'Cy']);
    expect(h.rows[0]?.[0]).toEqual({ kind: 'self' });
    expect(h.rows[0]?.[1]).toMatchObject({ kind: 'score', text: '0.50', tasks: 3 });
    expect(h.rows[1]?.[0]).toMatchObject({ kind: 'score', text: '0.50' });
    expect(h.rows[0]?.[2]).toEqual({ kind: 'none' });
    expect(h.rows[1]?.[2]).toEqual({ kind: 'none' });
  });
  it('writes every score in a colour readable on its cell (AA)', () => {
    for (let s = 0; s <= 1; s += 0.05) {
      const h = heatmap([{ a: 'x', aName: 'X', b: 'y', bName: 'Y', tasks: 1, score: s }]);
      const c = h.rows[0]?.[1];
      if (c?.kind !== 'score') throw new Error('no score');
      expect(contrastRatio(c.color, c.background)).toBeGreaterThanOrEqual(4.5);
    }
  });
  it('runs red to amber to green', () => {
    expect(heatColor(0)).toBe('#c62828');
    expect(heatColor(0.5)).toBe('#f2b134');
    expect(heatColor(1)).toBe('#2e8b57');
    expect(heatColor(2)).toBe('#2e8b57');
  });
});

describe('labelRows and annotatorRows', () => {
  it('keeps counts and dashes an undefined F1', () => {
    expect(labelRows([{ label: 'car', tp: 0, fp: 0, fn: 0, f1: null }])[0]).toEqual({
      label: 'car',
      tp: '0',
      fp: '0',
      fn: '0',
      f1: NONE,
    });
  });
  it('shows gold accuracy, and a dash (not 0) for someone with no gold task', () => {
    const rows = annotatorRows([
      {
        userId: 'b',
        name: 'Bea',
        vsAccepted: { tasks: 0, score: null },
        gold: { tasks: 0, score: null, passed: 0 },
      },
      {
        userId: 'a',
        name: 'Ann',
        vsAccepted: { tasks: 4, score: 0.9 },
        gold: { tasks: 2, score: 0.75, passed: 1 },
      },
    ]);
    expect(rows.map((r) => r.name)).toEqual(['Ann', 'Bea']);
    expect(rows[0]).toMatchObject({ goldScore: '0.75', goldPassed: '1 of 2', acceptedScore: '0.90' });
    expect(rows[1]).toMatchObject({ goldScore: NONE, goldPassed: NONE, acceptedScore: NONE });
  });
});

describe('consensusWords', () => {
  it('says how many tasks agreed and how many went to a reviewer', () => {
    expect(consensusWords({ tasks: 4, agreed: 3, needsReview: 1, reviewTaskIds: ['p1:t2'] })).toBe(
      '4 tasks with two or more submissions: 3 with a consensus (agreed, or settled by a reviewer), 1 went to a reviewer (a tie or low agreement).',
    );
    expect(consensusWords({ tasks: 0, agreed: 0, needsReview: 0, reviewTaskIds: [] })).toBe(
      'No task has two or more submissions yet.',
    );
  });
});
