import { z } from 'zod';
import { ActivityChainEvent, ChainHead, chainLinkSchema } from '../metrics';
import { WireId } from './ids';

/**
 * The activity chain's way to the hub (issue 13.3): in each sync cycle that reads the feed, the
 * workbench sends the links the hub does not hold yet. The chain's own seq and hashes make it exactly-once: links the
 * hub already holds are compared and skipped, a gap or an edit is refused and flagged.
 */
export const ActivityPushRequest = z
  .object({
    chainId: WireId(100),
    links: z.array(chainLinkSchema(ActivityChainEvent)).min(1).max(500),
  })
  .strict();
export type ActivityPushRequest = z.infer<typeof ActivityPushRequest>;

export const ChainBreakInfo = z.object({
  seq: z.number().int(),
  reason: z.enum(['seq', 'prev', 'hash', 'rewritten']),
  message: z.string(),
});

export const ActivityPushResponse = z.object({
  /** The chain as the hub holds it after this push; the client sends from `head.seq + 1` next. */
  head: ChainHead,
  /** The first link the hub refused (and flagged for the lead), if any. */
  broken: ChainBreakInfo.nullable(),
  /** Plausibility flags this push raised. */
  flagged: z.number().int().nonnegative(),
});
export type ActivityPushResponse = z.infer<typeof ActivityPushResponse>;

export const ActivityFlagKind = z.enum([
  /** The chain does not continue what the hub holds: an event edited, removed, reordered, or history rewritten. */
  'chain',
  /** A task's recorded active time exceeds its wall time. */
  'active-over-wall',
  /** A submission's time lies outside every lease the user held on the task. */
  'outside-lease',
]);

export const ActivityFlag = z.object({
  userId: z.string(),
  userName: z.string(),
  chainId: z.string(),
  seq: z.number().int(),
  projectId: z.string().nullable(),
  taskId: z.string().nullable(),
  /** The task's one-line title (`taskTitle`), when the hub knows the task; absent before 1.1's flags. */
  taskTitle: z.string().nullable().default(null),
  kind: ActivityFlagKind,
  detail: z.string(),
  at: z.number().int(),
});
export type ActivityFlag = z.infer<typeof ActivityFlag>;

export const ActivityFlagList = z.object({ flags: z.array(ActivityFlag) });

/** Which flags to list: those the hub raised at `from` ≤ at < `to` (ms epoch), each bound optional. */
export const ActivityFlagsQuery = z
  .object({
    from: z.coerce.number().int().nonnegative().optional(),
    to: z.coerce.number().int().positive().optional(),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, {
    message: 'from must be before to',
    path: ['from'],
  });
export type ActivityFlagsQuery = z.infer<typeof ActivityFlagsQuery>;

const count = z.number().int().nonnegative();

/** Which outcomes the team figures cover: `from` ≤ at < `to` (ms epoch), optionally one batch. */
export const TeamMetricsQuery = z
  .object({
    from: z.coerce.number().int().nonnegative(),
    to: z.coerce.number().int().positive(),
    batch: z.string().min(1).max(200).optional(),
    /** Minutes east of UTC for the days of the daily series. */
    tzOffset: z.coerce
      .number()
      .int()
      .min(-14 * 60)
      .max(14 * 60)
      .default(0),
  })
  .strict()
  .refine((q) => q.from < q.to, { message: 'from must be before to', path: ['from'] });
export type TeamMetricsQuery = z.infer<typeof TeamMetricsQuery>;

/** One annotator's figures (definitions: src/shared/metrics/README.md). */
export const TeamMember = z.object({
  userId: z.string(),
  name: z.string(),
  submitted: count,
  skipped: count,
  activeMs: z.number().nonnegative(),
  regions: count,
  spans: count,
  tasksPerActiveHour: z.number().nullable(),
  medianActiveSec: z.number().nullable(),
  p90ActiveSec: z.number().nullable(),
  skipRate: z.number().nullable(),
  /** Of the tasks first submitted in the range whose first version has a verdict: how many. */
  firstVersionsReviewed: count,
  /** Share of those whose earliest verdict on the first version is accept (a fix is not). */
  firstPassAcceptance: z.number().nullable(),
  /** Of the tasks first submitted in the range with any verdict: how many. */
  reviewed: count,
  /** Share of those rejected at least once (sent back for rework). */
  reworkRate: z.number().nullable(),
  /** Of the gold tasks submitted in the range, how many the quality report has scored. */
  goldTasks: count,
  /** Mean score of those against the gold answers (0–1). */
  goldAccuracy: z.number().min(0).max(1).nullable(),
  /** Tasks submitted in the range that a co-annotator also submitted (overlap). */
  agreementTasks: count,
  /** Mean pairwise agreement score with co-annotators on those tasks (0–1). */
  agreement: z.number().min(0).max(1).nullable(),
  /** Activity flags raised on this annotator's work in the project (all time). */
  flags: count,
});
export type TeamMember = z.infer<typeof TeamMember>;

export const TeamDay = z.object({
  userId: z.string(),
  /** Local day, YYYY-MM-DD. */
  day: z.string(),
  submitted: count,
  activeMs: z.number().nonnegative(),
});

/** How many results one annotator gave one label over their submissions in the range. */
export const TeamLabelCount = z.object({
  userId: z.string(),
  label: z.string(),
  count: count,
});
export type TeamLabelCount = z.infer<typeof TeamLabelCount>;

export const TeamMetrics = z.object({
  projectId: z.string(),
  from: z.number().int(),
  to: z.number().int(),
  members: z.array(TeamMember),
  daily: z.array(TeamDay),
  /**
   * Per-label counts (regions, spans and relations by label, classes by each chosen label) per
   * annotator, by user then label; absent from a hub before this field (protocol 1.1, additive).
   */
  labels: z.array(TeamLabelCount).default([]),
  /**
   * When the quality tables behind gold accuracy and agreement were last brought up to date
   * (they are refreshed by the project's quality report); null when never.
   */
  qualityAsOf: z.number().int().nullable(),
});
export type TeamMetrics = z.infer<typeof TeamMetrics>;

/** One page of the raw per-task rows behind the team figures (payroll), oldest first. */
export const TeamRowsQuery = z
  .object({
    from: z.coerce.number().int().nonnegative(),
    to: z.coerce.number().int().positive(),
    batch: z.string().min(1).max(200).optional(),
    /** The `next` of the previous page. */
    after: z
      .string()
      .max(300)
      .regex(/^\d+:\d+:.+$/, 'after must be the next cursor of the previous page')
      .optional(),
    limit: z.coerce.number().int().min(1).max(20_000).default(5_000),
  })
  .strict()
  .refine((q) => q.from < q.to, { message: 'from must be before to', path: ['from'] });
export type TeamRowsQuery = z.infer<typeof TeamRowsQuery>;

export const TeamOutcomeRowSchema = z.object({
  userId: z.string(),
  name: z.string(),
  taskId: z.string(),
  projectId: z.string(),
  batch: z.string().nullable(),
  kind: z.enum(['submitted', 'skipped']),
  at: z.number().int(),
  activeMs: z.number().int().nonnegative(),
  wallMs: z.number().int().nonnegative(),
});

export const TeamRowsPage = z.object({
  rows: z.array(TeamOutcomeRowSchema),
  /** Cursor of the next page, null on the last. */
  next: z.string().nullable(),
});
export type TeamRowsPage = z.infer<typeof TeamRowsPage>;
