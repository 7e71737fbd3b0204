import type { TeamMember, TeamMetrics } from '../../../../shared/sync';

/** The team table's columns, in order: what each shows and how it sorts. */
export const TEAM_COLUMNS = [
  { key: 'name', label: 'Annotator' },
  { key: 'submitted', label: 'Tasks' },
  { key: 'activeHours', label: 'Active h' },
  { key: 'tasksPerActiveHour', label: 'Tasks / h' },
  { key: 'medianActiveSec', label: 'Median s / task' },
  { key: 'firstPassAcceptance', label: 'First-pass acceptance' },
  { key: 'reworkRate', label: 'Rework' },
  { key: 'goldAccuracy', label: 'Gold accuracy' },
  { key: 'agreement', label: 'Agreement' },
  { key: 'flags', label: 'Flags' },
] as const;
export type TeamColumn = (typeof TEAM_COLUMNS)[number]['key'];
export type SortDir = 'ascending' | 'descending';

const value = (m: TeamMember, key: TeamColumn): string | number | null =>
  key === 'activeHours' ? m.activeMs / 3_600_000 : m[key];

/**
 * `rows` sorted by `value` in `dir`: a value that is null (nothing to divide by) sorts last
 * either way, ties by `name` (the tables' one sort rule).
 */
export const sortedBy = <T>(
  rows: T[],
  value: (r: T) => string | number | null,
  dir: SortDir,
  name: (r: T) => string,
): T[] => {
  const sign = dir === 'ascending' ? 1 : -1;
  return rows.sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === null || y === null) {
      if (x !== y) return x === null ? 1 : -1;
    } else if (x !== y) return (typeof x === 'string' ? x.localeCompare(String(y)) : x - Number(y)) * sign;
    return name(a).localeCompare(name(b));
  });
};

/**
 * The rows the table shows: members whose name contains `filter` (case-insensitive), sorted by
 * `key` (`sortedBy`).
 */
export const teamRows = (
  members: readonly TeamMember[],
  key: TeamColumn,
  dir: SortDir,
  filter = '',
): TeamMember[] => {
  const f = filter.trim().toLocaleLowerCase();
  return sortedBy(
    members.filter((m) => f === '' || m.name.toLocaleLowerCase().includes(f)),
    (m) => value(m, key),
    dir,
    (m) => m.name,
  );
};

/** The days from `from` to `to` (local, YYYY-MM-DD), for charts without gaps. */
export const daysBetween = (from: number, to: number, tzOffset: number): string[] => {
  const day = (t: number) => new Date(t + tzOffset * 60_000).toISOString().slice(0, 10);
  const out: string[] = [];
  const last = day(to - 1);
  for (let d = day(from); d <= last && out.length < 400;) {
    out.push(d);
    d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  }
  return out;
};

/** One annotator's (or, with null, the whole team's) tasks, active hours and pace per day. */
export const dailySeries = (
  m: TeamMetrics,
  userId: string | null,
  tzOffset: number,
): { days: string[]; tasks: number[]; hours: number[]; pace: (number | null)[] } => {
  const days = daysBetween(m.from, m.to, tzOffset);
  const by = new Map<string, { submitted: number; activeMs: number }>();
  for (const d of m.daily) {
    if (userId !== null && d.userId !== userId) continue;
    const e = by.get(d.day) ?? { submitted: 0, activeMs: 0 };
    e.submitted += d.submitted;
    e.activeMs += d.activeMs;
    by.set(d.day, e);
  }
  const tasks = days.map((d) => by.get(d)?.submitted ?? 0);
  const hours = days.map((d) => (by.get(d)?.activeMs ?? 0) / 3_600_000);
  return { days, tasks, hours, pace: days.map((_, i) => (hours[i]! > 0 ? tasks[i]! / hours[i]! : null)) };
};

/** Local midnight of a YYYY-MM-DD date input, as ms epoch. */
export const dayStart = (day: string, tzOffset: number): number =>
  Date.parse(`${day}T00:00:00Z`) - tzOffset * 60_000;
