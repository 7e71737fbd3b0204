import { outcomeRowsCsv, teamTableCsv } from '../../shared/metrics';
import { TeamMetricsQuery, type TeamMetrics } from '../../shared/sync';
import { InputError } from '../admin/errors';
import { resolveProject } from '../admin/users';
import { type Command, need, storageHelp, storageOpts, str, withStorage } from './commands';

/** `metrics` (issue 13.6): the lead's team table, or the raw per-task rows, from the shell. */

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;

/**
 * `--from` / `--to` as an instant: a date (YYYY-MM-DD, UTC) or an ISO date-time. A bare `--to`
 * date includes that whole day, so `--from 2026-11-01 --to 2026-11-30` is all of November.
 */
export const parseInstant = (flag: string, s: string, endOfDay: boolean): number => {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(s);
  const t = Date.parse(day ? `${s}T00:00:00Z` : s);
  if (!Number.isFinite(t) || (!day && !/^\d{4}-\d{2}-\d{2}T/.test(s)))
    throw new InputError(`--${flag} must be a date (YYYY-MM-DD) or an ISO date-time, got "${s}"`);
  return day && endOfDay ? t + DAY_MS : t;
};

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const fix = (x: number | null, d: number): string => (x === null ? '—' : x.toFixed(d));

const tableText = (m: TeamMetrics): string => {
  const head = [
    'annotator',
    'tasks',
    'skipped',
    'active h',
    'tasks/h',
    'median s',
    'p90 s',
    'skip',
    '1st pass',
    'rework',
    'gold',
    'agree',
    'flags',
  ];
  const rows = m.members.map((x) => [
    x.name,
    String(x.submitted),
    String(x.skipped),
    (x.activeMs / 3_600_000).toFixed(2),
    fix(x.tasksPerActiveHour, 1),
    fix(x.medianActiveSec, 1),
    fix(x.p90ActiveSec, 1),
    pct(x.skipRate),
    pct(x.firstPassAcceptance),
    pct(x.reworkRate),
    pct(x.goldAccuracy),
    pct(x.agreement),
    String(x.flags),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const range = `${new Date(m.from).toISOString()} – ${new Date(m.to).toISOString()}`;
  return `${[`project ${m.projectId}, ${range}:`, fmt(head), ...rows.map(fmt)].join('\n')}\n${
    rows.length === 0 ? '(no submissions in this range)\n' : ''
  }`;
};

export const METRICS_COMMANDS: Command[] = [
  {
    name: 'metrics',
    usage:
      '--data <dir> --project <id or name> [--from <date>] [--to <date>] [--batch <name>] [--csv|--json] [--rows]',
    summary:
      "A project's team table (the figures of GET /v1/projects/:id/metrics), or with --rows every submission and skip (for payroll).",
    options: {
      ...storageOpts,
      project: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      batch: { type: 'string' },
      csv: { type: 'boolean' },
      json: { type: 'boolean' },
      rows: { type: 'boolean' },
    },
    help: {
      ...storageHelp,
      project: 'project id or name',
      from: `first day (YYYY-MM-DD, UTC) or instant; default ${DEFAULT_DAYS} days before --to`,
      to: 'last day, included (YYYY-MM-DD, UTC) or instant, excluded; default now',
      batch: 'only this batch',
      csv: 'print CSV (spreadsheet-safe: text cells starting with = + - @ get a leading apostrophe)',
      json: 'print JSON',
      rows: 'one row per submission or skip (user, task, project, batch, time, active and wall seconds); CSV unless --json',
    },
    run: async (v) => {
      if (v.csv && v.json) throw new InputError('--csv and --json: choose one');
      const toArg = str(v, 'to');
      const fromArg = str(v, 'from');
      const to = toArg !== undefined ? parseInstant('to', toArg, true) : Date.now();
      const from = fromArg !== undefined ? parseInstant('from', fromArg, false) : to - DEFAULT_DAYS * DAY_MS;
      const q = TeamMetricsQuery.safeParse({
        from,
        to,
        ...(str(v, 'batch') ? { batch: str(v, 'batch') } : {}),
      });
      if (!q.success) {
        const issue = q.error.issues[0];
        throw new InputError(`--${String(issue?.path[0] ?? 'from')}: ${issue?.message ?? 'invalid'}`);
      }
      return withStorage(v, false, async (s) => {
        const projectId = await resolveProject(s, need(v, 'project'));
        if (v.rows) {
          const rows = await s.teamOutcomeRows(projectId, q.data);
          process.stdout.write(v.json ? `${JSON.stringify(rows, null, 2)}\n` : outcomeRowsCsv(rows));
          return 0;
        }
        const m = await s.teamMetrics(projectId, q.data);
        process.stdout.write(
          v.json ? `${JSON.stringify(m, null, 2)}\n` : v.csv ? teamTableCsv(m) : tableText(m),
        );
        return 0;
      });
    },
  },
];
