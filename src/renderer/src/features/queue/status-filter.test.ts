import { describe, expect, it } from 'vitest';
import { filterCount, filterStatuses, filters } from './status-filter';

const counts = {
  queued: 5,
  inProgress: 1,
  submitted: 3,
  skipped: 2,
  submittedToday: 3,
  skippedToday: 1,
  activeMsToday: 0,
};

describe('status filters', () => {
  it('counts each status and all of them', () => {
    expect(filters.map((f) => filterCount(counts, f.key))).toEqual([11, 5, 1, 3, 2]);
  });
  it('asks the list for one status, or for all', () => {
    expect(filterStatuses('all')).toBeUndefined();
    expect(filterStatuses('skipped')).toEqual(['skipped']);
  });
});
