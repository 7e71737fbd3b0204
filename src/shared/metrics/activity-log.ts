/**
 * What one link of the activity chain holds (issue 13.2–13.3), shared by the workbench that
 * writes it and the hub that verifies it. Two kinds of event:
 * - `presence`: a batch of presence signals as the main process stamped them (its wall clock and
 *   its one monotonic clock per app run), from which active time is derived again;
 * - `task`: a task change (claimed, draft saved, submitted, skipped…) with the task's active and
 *   wall time at that moment, written in the same transaction as the change.
 */

import { z } from 'zod';
import { ActivityKind } from '../model/activity';
import { PresenceKind } from './active-time';

/** One presence signal as the recorder stamped it (short keys: there are many). */
export const StampedSignal = z
  .object({
    k: PresenceKind,
    /** Wall clock of the recorder, ms epoch. */
    at: z.number().int(),
    /** The recorder's monotonic clock, ms. */
    mono: z.number().finite(),
    /** The workbench window it came from. */
    w: z.string().max(100),
    /** For `task`: the task now open there (null: none). */
    t: z.string().max(200).nullable().optional(),
  })
  .strict();
export type StampedSignal = z.infer<typeof StampedSignal>;

export const PresenceBatch = z
  .object({
    type: z.literal('presence'),
    /** The app run whose monotonic clock `mono` reads. */
    session: z.string().max(100),
    signals: z.array(StampedSignal).min(1).max(2_000),
  })
  .strict();
export type PresenceBatch = z.infer<typeof PresenceBatch>;

export const TaskActivity = z
  .object({
    type: z.literal('task'),
    kind: ActivityKind,
    taskId: z.string().min(1).max(200),
    at: z.number().int(),
    /** The task's active time so far, ms (over every session). */
    activeMs: z.number().int().nonnegative(),
    /** From the task's first activity on this device to this event, ms. */
    wallMs: z.number().int().nonnegative(),
    data: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type TaskActivity = z.infer<typeof TaskActivity>;

export const ActivityChainEvent = z.discriminatedUnion('type', [PresenceBatch, TaskActivity]);
export type ActivityChainEvent = z.infer<typeof ActivityChainEvent>;

/** Signal kinds the renderer may report (sleep and wake come from the OS, in the main process). */
export const ReportedSignalKind = z.enum(['input', 'focus', 'blur', 'visible', 'hidden', 'task', 'closed']);

/** One signal as the renderer reports it: what, and how long before the report it happened. */
export const ReportedSignal = z
  .object({
    kind: ReportedSignalKind,
    taskId: z.string().min(1).max(200).nullable().optional(),
    /** Ms between the signal and the report, by the page's clock; the recorder stamps the rest. */
    ago: z.number().int().min(0).max(10_000).default(0),
  })
  .strict();
export type ReportedSignal = z.infer<typeof ReportedSignal>;
