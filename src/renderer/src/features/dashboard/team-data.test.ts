import { describe, expect, it } from 'vitest';
import type { TeamMetrics } from '../../../../shared/sync';
import { teamMember } from '../../../../shared/sync/test-helpers';
import { dailySeries, dayStart, daysBetween, teamRows } from './team-data';

describe('team table rows', () => {
  const team = [
    teamMember('cleo', { submitted: 5, tasksPerActiveHour: 50, activeMs: 360_000 }),
    teamMember('abe', { submitted: 9, tasksPerActiveHour: null, activeMs: 0 }),
    teamMember('Bea', { submitted: 9, tasksPerActiveHour: 30, activeMs: 1_080_000 }),
  ];
  it('sorts by a figure either way, nulls last, ties by name', () => {
    expect(teamRows(team, 'tasksPerActiveHour', 'descending').map((m) => m.name)).toEqual([
      'cleo',
      'Bea',
      'abe',
    ]);
    expect(teamRows(team, 'tasksPerActiveHour', 'ascending').map((m) => m.name)).toEqual([
      'Bea',
      'cleo',
      'abe',
    ]);
    expect(teamRows(team, 'submitted', 'descending').map((m) => m.name)).toEqual(['abe', 'Bea', 'cleo']);
    expect(teamRows(team, 'activeHours', 'ascending').map((m) => m.name)).toEqual(['abe', 'cleo', 'Bea']);
  });
  it('filters by a part of the name, any case', () => {
    expect(teamRows(team, 'name', 'ascending', ' EA ').map((m) => m.name)).toEqual(['Bea']);
    expect(teamRows(team, 'name', 'ascending', 'zzz')).toEqual([]);
  });
});

describe('daily series', () => {
  const m: TeamMetrics = {
    projectId: 'p',
    from: dayStart('2026-11-01', 60),
    to: dayStart('2026-11-04', 60),
    members: [],
    labels: [],
    daily: [
      { userId: 'a', day: '2026-11-01', submitted: 4, activeMs: 1_800_000 },
      { userId: 'b', day: '2026-11-01', submitted: 2, activeMs: 1_800_000 },
      { userId: 'a', day: '2026-11-03', submitted: 3, activeMs: 0 },
    ],
    qualityAsOf: null,
  };
  it('has every day of the range, summed for the team or one annotator', () => {
    expect(daysBetween(m.from, m.to, 60)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect(dailySeries(m, null, 60)).toEqual({
      days: ['2026-11-01', '2026-11-02', '2026-11-03'],
      tasks: [6, 0, 3],
      hours: [1, 0, 0],
      pace: [6, null, null],
    });
    expect(dailySeries(m, 'a', 60).pace).toEqual([8, null, null]);
  });
});
