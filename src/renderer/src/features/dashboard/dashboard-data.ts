import type { LocalMetrics } from '../../../../shared/contract';
import { dayOf, summarizeParsed, type MetricSummary } from '../../../../shared/metrics';

export type Range = 1 | 7 | 30;

export interface DashboardData {
  summary: MetricSummary;
  /** Active ms over the range (with and without a task open), from the recorded stretches. */
  activeMs: number;
  /** One entry per local day of the range, oldest first (for "today": one). */
  days: { day: string; submitted: number; activeMs: number }[];
  /** Submitted tasks per local hour of today (24 entries), for the one-day view. */
  hours: number[];
  /** Active seconds per submitted task. */
  perTaskSec: number[];
  submittedToday: number;
  dailyTarget: number | null;
}

/** The local days of the range ending today, oldest first. */
export const rangeDays = (now: number, days: number, tzOffset: number): string[] =>
  Array.from({ length: days }, (_, i) => dayOf(now - (days - 1 - i) * 86_400_000, tzOffset));

/**
 * Everything the dashboard shows, from `metrics.local`'s answer (pure: tested on hand-made data).
 * The range ends on the core's clock (`m.now`), so its days are the ones the core counted.
 */
export const dashboardData = (m: LocalMetrics, range: Range, tzOffset: number): DashboardData => {
  const days = rangeDays(m.now, range, tzOffset);
  const today = days[days.length - 1]!;
  const submitted = m.outcomes.filter((o) => o.outcome === 'submitted');
  const byDay = new Map<string, number>();
  for (const o of submitted) byDay.set(dayOf(o.at, tzOffset), (byDay.get(dayOf(o.at, tzOffset)) ?? 0) + 1);
  const hours = Array.from({ length: 24 }, () => 0);
  for (const o of submitted)
    if (dayOf(o.at, tzOffset) === today) hours[new Date(o.at + tzOffset * 60_000).getUTCHours()]!++;
  return {
    summary: summarizeParsed(m.outcomes),
    activeMs: days.reduce((n, d) => n + (m.activeByDay[d] ?? 0), 0),
    days: days.map((day) => ({ day, submitted: byDay.get(day) ?? 0, activeMs: m.activeByDay[day] ?? 0 })),
    hours,
    perTaskSec: submitted.map((o) => o.activeMs / 1000),
    submittedToday: byDay.get(today) ?? 0,
    dailyTarget: m.dailyTarget,
  };
};

/** "1:02:03" (h:mm:ss) — active time to the second. */
export const clockDuration = (ms: number): string => {
  const s = Math.floor(Math.max(0, ms) / 1000);
  return `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};

/** Histogram bins for seconds per task: `bins` equal bins from 0 to the largest value. */
export const histogram = (values: readonly number[], bins = 12): { edges: number[]; counts: number[] } => {
  const max = Math.max(1, ...values);
  const width = Math.ceil(max / bins);
  const counts = Array.from({ length: bins }, () => 0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor(v / width))]!++;
  return { edges: counts.map((_, i) => i * width), counts };
};
