import { describe, expect, it } from 'vitest';
import { labelRows } from './label-data';

describe('per-label table rows', () => {
  const team = {
    labels: [
      { userId: 'a', label: 'car', count: 3 },
      { userId: 'a', label: 'person', count: 1 },
      { userId: 'b', label: 'car', count: 4 },
      { userId: 'b', label: 'bicycle', count: 2 },
    ],
  };
  it("sums the team's counts and shares, most first; no annotator columns without one", () => {
    expect(labelRows(team, null, 'team', 'descending')).toEqual([
      { label: 'car', team: 7, teamShare: 0.7, member: null, memberShare: null },
      { label: 'bicycle', team: 2, teamShare: 0.2, member: null, memberShare: null },
      { label: 'person', team: 1, teamShare: 0.1, member: null, memberShare: null },
    ]);
  });
  it("puts the picked annotator's counts beside the team's (0 for a label they never gave)", () => {
    const rows = labelRows(team, 'a', 'member', 'descending');
    expect(rows.map((r) => [r.label, r.member, r.memberShare])).toEqual([
      ['car', 3, 0.75],
      ['person', 1, 0.25],
      ['bicycle', 0, 0],
    ]);
    expect(labelRows(team, 'a', 'label', 'ascending').map((r) => r.label)).toEqual([
      'bicycle',
      'car',
      'person',
    ]);
  });
  it('has no share to show when nothing was counted', () => {
    expect(labelRows({ labels: [] }, 'a', 'team', 'descending')).toEqual([]);
    expect(labelRows(team, 'nobody', 'memberShare', 'descending')[0]!.memberShare).toBeNull();
  });
});
