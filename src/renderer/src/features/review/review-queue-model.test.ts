import { describe, expect, it } from 'vitest';
import { listInput, noFilters, statusCounts } from './review-queue-model';

describe('review queue filters', () => {
  it('turn into a review.list input: batch, annotator, status, whole local days', () => {
    expect(listInput(noFilters)).toEqual({ status: ['pending'], limit: 500 });
    const input = listInput({
      batch: 'proj-1/week 2',
      annotatorId: 'u1',
      status: 'all',
      from: '2026-12-01',
      to: '2026-12-02',
    });
    expect(input).toMatchObject({ projectId: 'proj-1', batch: 'week 2', annotatorId: 'u1' });
    expect(input.status).toBeUndefined();
    expect(input.to! - input.from!).toBe(2 * 86_400_000);
    expect(new Date(input.from!).getHours()).toBe(0);
  });

  it('count per status over the batch picked, or all', () => {
    const batches = [
      { projectId: 'p', batch: 'a', pending: 2, accepted: 1, fixed: 0, rejected: 1, waiting: 0, refused: 0 },
      { projectId: 'p', batch: 'b', pending: 1, accepted: 0, fixed: 1, rejected: 0, waiting: 1, refused: 0 },
    ];
    expect(statusCounts(batches, '')).toEqual({ all: 6, pending: 3, accepted: 1, fixed: 1, rejected: 1 });
    expect(statusCounts(batches, 'p/b')).toEqual({ all: 2, pending: 1, accepted: 0, fixed: 1, rejected: 0 });
  });
});
