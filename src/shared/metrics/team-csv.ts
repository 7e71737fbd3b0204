import { sheetField } from '../export/tabular';
import type { TeamMetrics } from '../sync';

/** One submission or skip as the annotator's chain recorded it: what payroll is paid from. */
export interface TeamOutcomeRow {
  userId: string;
  name: string;
  taskId: string;
  projectId: string;
  batch: string | null;
  kind: 'submitted' | 'skipped';
  /** When the workbench recorded it, ms since the epoch. */
  at: number;
  activeMs: number;
  wallMs: number;
}

type Cell = string | number | null;

/** A number as a spreadsheet reads it (fixed decimals, no grouping); null → empty cell. */
const fixed = (x: number | null, digits: number): Cell => (x === null ? null : Number(x.toFixed(digits)));

const line = (cells: Cell[]): string =>
  cells.map((c) => (c === null ? '' : typeof c === 'number' ? String(c) : sheetField(c))).join(',');

const sheet = (header: string[], rows: Cell[][]): string =>
  `${[header, ...rows].map((r) => line(r)).join('\r\n')}\r\n`;

export const TEAM_CSV_HEADER = [
  'annotator',
  'user_id',
  'tasks',
  'skipped',
  'active_hours',
  'tasks_per_hour',
  'median_s_per_task',
  'p90_s_per_task',
  'skip_rate',
  'first_pass_acceptance',
  'rework_rate',
  'gold_tasks',
  'gold_accuracy',
  'agreement_tasks',
  'agreement',
  'flags',
];

/** Every label the team's counts name, in code-unit order (the CSV's and the table's). */
export const teamLabelNames = (m: Pick<TeamMetrics, 'labels'>): string[] =>
  [...new Set(m.labels.map((l) => l.label))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * The lead's team table as CSV (RFC 4180, CRLF): one row per annotator, ratios as fractions
 * (0.25, not 25 %), an empty cell where a figure has nothing to divide by, then one column per
 * label (`label:NAME`, the annotator's count of it, 0 when none). Names, ids and label names go
 * through the formula guard (`sheetField`).
 */
export const teamTableCsv = (m: TeamMetrics): string => {
  const names = teamLabelNames(m);
  const counts = new Map(m.labels.map((l) => [`${l.userId}\u0000${l.label}`, l.count]));
  return sheet(
    [...TEAM_CSV_HEADER, ...names.map((n) => `label:${n}`)],
    m.members.map((x) => [
      x.name,
      x.userId,
      x.submitted,
      x.skipped,
      fixed(x.activeMs / 3_600_000, 4),
      fixed(x.tasksPerActiveHour, 3),
      fixed(x.medianActiveSec, 3),
      fixed(x.p90ActiveSec, 3),
      fixed(x.skipRate, 4),
      fixed(x.firstPassAcceptance, 4),
      fixed(x.reworkRate, 4),
      x.goldTasks,
      fixed(x.goldAccuracy, 4),
      x.agreementTasks,
      fixed(x.agreement, 4),
      x.flags,
      ...names.map((n) => counts.get(`${x.userId}\u0000${n}`) ?? 0),
    ]),
  );
};

export const OUTCOME_CSV_HEADER = [
  'user_id',
  'annotator',
  'task_id',
  'project_id',
  'batch',
  'outcome',
  'submitted_at',
  'active_s',
  'wall_s',
];

/** Raw per-task rows for payroll: instants in ISO 8601 UTC, times in seconds (ms precision). */
export const outcomeRowsCsv = (rows: readonly TeamOutcomeRow[]): string =>
  sheet(
    OUTCOME_CSV_HEADER,
    rows.map((r) => [
      r.userId,
      r.name,
      r.taskId,
      r.projectId,
      r.batch,
      r.kind,
      new Date(r.at).toISOString(),
      r.activeMs / 1000,
      r.wallMs / 1000,
    ]),
  );
