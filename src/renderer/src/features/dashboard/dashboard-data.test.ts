import { describe, expect, it } from 'vitest';
import { clockDuration, dashboardData, histogram } from './dashboard-data';

const NOW = Date.UTC(2026, 11, 7, 15, 0, 0);
const at = (daysAgo: number, hour: number) => Date.UTC(2026, 11, 7 - daysAgo, hour, 30);

describe('dashboard data', () => {
  const m = {
    now: NOW,
    outcomes: [
      {
        taskId: 'a',
        projectId: 'p',
        batchId: null,
        annotatorId: null,
        outcome: 'submitted' as const,
        at: at(1, 9),
        activeMs: 60_000,
        regions: 2,
        spans: 0,
        labels: {},
      },
      {
        taskId: 'b',
        projectId: 'p',
        batchId: null,
        annotatorId: null,
        outcome: 'submitted' as const,
        at: at(0, 9),
        activeMs: 30_000,
        regions: 1,
        spans: 0,
        labels: {},
      },
      {
        taskId: 'c',
        projectId: 'p',
        batchId: null,
        annotatorId: null,
        outcome: 'submitted' as const,
        at: at(0, 14),
        activeMs: 90_000,
        regions: 0,
        spans: 0,
        labels: {},
      },
      {
        taskId: 'd',
        projectId: 'p',
        batchId: null,
        annotatorId: null,
        outcome: 'skipped' as const,
        at: at(0, 14),
        activeMs: 5_000,
        regions: 0,
        spans: 0,
        labels: {},
      },
    ],
    activeByDay: { '2026-12-06': 70_000, '2026-12-07': 130_000 },
    dailyTarget: 4,
    idleMs: 60_000,
  };

  it('fills every day of the range, sums active time from the recorded stretches', () => {
    const d = dashboardData(m, 7, 0);
    expect(d.days).toHaveLength(7);
    expect(d.days.slice(-2)).toEqual([
      { day: '2026-12-06', submitted: 1, activeMs: 70_000 },
      { day: '2026-12-07', submitted: 2, activeMs: 130_000 },
    ]);
    expect(d.activeMs).toBe(200_000);
    expect(d.submittedToday).toBe(2);
    expect(d.hours[9]).toBe(1);
    expect(d.hours[14]).toBe(1);
    expect(d.perTaskSec).toEqual([60, 30, 90]);
    expect(d.summary.medianActiveSec).toBe(60);
    expect(d.summary.skipRate).toBe(0.25);
  });

  it('takes days in the annotator time zone', () => {
    // 14:30 UTC on the 7th is 00:00 on the 8th at UTC+9:30: "today" there holds only that task.
    const d = dashboardData(m, 1, 570);
    expect(d.days).toEqual([{ day: '2026-12-08', submitted: 1, activeMs: 0 }]);
  });

  it("ends the range on the core's clock, not the window's", () => {
    // A day later by the core's clock, yesterday's work is not today's.
    const d = dashboardData({ ...m, now: NOW + 86_400_000 }, 1, 0);
    expect(d.days).toEqual([{ day: '2026-12-08', submitted: 0, activeMs: 0 }]);
    expect(d.submittedToday).toBe(0);
  });

  it('formats to the second and bins seconds per task', () => {
    expect(clockDuration(3_723_999)).toBe('1:02:03');
    expect(histogram([0, 5, 11, 12], 4)).toEqual({ edges: [0, 3, 6, 9], counts: [1, 1, 0, 2] });
  });
});
