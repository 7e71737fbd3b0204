import { z } from 'zod';
import { ReportedSignal, TaskOutcome } from '../../metrics';

/** What the annotator's dashboard needs, from local data only (works offline). */
export const LocalMetrics = z.object({
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
} as const;

export const activityEvents = {} as const;
