import { z } from 'zod';
import { ReportedSignal, TaskOutcome } from '../../metrics';
import { ActivityFlag, TeamMetrics } from '../../sync/activity';

/** What the annotator's dashboard needs, from local data only (works offline). */
export const LocalMetrics = z.object({
  /** The core's clock when it counted: the range's last day is this instant's local day. */
  now: z.number().int().nonnegative(),
  /** Submissions and skips in the range, oldest first. */
  outcomes: z.array(TaskOutcome),
  /** Active ms per local day (YYYY-MM-DD) in the range, with and without a task open. */
  activeByDay: z.record(z.string(), z.number().nonnegative()),
  /** Submitted tasks a day the lead asks for (the project's `dailyTarget`), if any. */
  dailyTarget: z.number().int().positive().nullable(),
  /** The idle threshold the figures were counted with (the projects' own, else 60 s). */
  idleMs: z.number().int().positive(),
});
export type LocalMetrics = z.infer<typeof LocalMetrics>;

/** Which of a project's outcomes the lead's team view covers: `from` ≤ at < `to`, one batch or all. */
const TeamQueryInput = {
  projectId: z.string().min(1).max(200),
  from: z.number().int().nonnegative(),
  to: z.number().int().positive(),
  batch: z.string().min(1).max(200).optional(),
  /** Minutes east of UTC: the days of the daily series and of the file name. */
  tzOffset: z
    .number()
    .int()
    .min(-14 * 60)
    .max(14 * 60),
};

export const activityMethods = {
  /**
   * Input heartbeats and focus, visibility and task changes of one window, batched by the
   * renderer (one call per burst, at most one input a second). The core stamps and records them;
   * the answer is today's active time so far, for the status bar.
   */
  'activity.report': {
    input: z
      .object({
        window: z.string().min(1).max(100),
        signals: z.array(ReportedSignal).min(1).max(200),
      })
      .strict(),
    output: z.object({ activeMsToday: z.number().int().nonnegative() }),
  },
  /** The dashboard's data: the last `days` local days (today = 1), `tzOffset` minutes east of UTC. */
  'metrics.local': {
    input: z
      .object({
        days: z.number().int().min(1).max(90),
        tzOffset: z
          .number()
          .int()
          .min(-14 * 60)
          .max(14 * 60),
      })
      .strict(),
    output: LocalMetrics,
  },
  /**
   * The lead's team view (issue 13.6), read live from the signed-in hub: OFFLINE (in words) when
   * signed out or unreachable — never old figures as current — FORBIDDEN when the hub says so.
   * An annotator asking gets their own figures only (the hub decides).
   */
  'metrics.team': {
    input: z.object(TeamQueryInput).strict(),
    output: z.object({
      metrics: TeamMetrics,
      /** When the hub answered (local clock). */
      fetchedAt: z.number().int(),
    }),
  },
  /** The team table, or every submission and skip (payroll), as CSV with the formula guard. */
  'metrics.teamCsv': {
    input: z.object({ ...TeamQueryInput, kind: z.enum(['table', 'rows']) }).strict(),
    output: z.object({
      csv: z.string(),
      /** Data rows (annotators, or submissions and skips). */
      rows: z.number().int().nonnegative(),
      fileName: z.string(),
      fetchedAt: z.number().int(),
    }),
  },
  /**
   * The activity flags the hub raised on a project (issue 13.3), newest first: chain breaks,
   * active time over wall time, submissions outside their lease, each with its task's title; in
   * a date range when given. Lead and admin only (FORBIDDEN
   * otherwise); read live from the hub like `metrics.team` (OFFLINE in words, never old flags).
   */
  'metrics.flags': {
    input: z
      .object({
        projectId: TeamQueryInput.projectId,
        /** Flags the hub raised at from ≤ at < to (the team table's range); both optional. */
        from: z.number().int().nonnegative().optional(),
        to: z.number().int().positive().optional(),
      })
      .strict(),
    output: z.object({
      flags: z.array(ActivityFlag),
      /** When the hub answered (local clock). */
      fetchedAt: z.number().int(),
    }),
  },
} as const;

export const activityEvents = {} as const;
