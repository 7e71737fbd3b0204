import { z } from 'zod';

export const ActivityKind = z.enum([
  'task.claimed',
  'task.opened',
  'task.draftSaved',
  'task.submitted',
  'task.skipped',
  'task.reopened',
  'task.released',
  /** The person accepted the hub's refusal of their work (issue 16.2). */
  'task.refusalDiscarded',
]);
export type ActivityKind = z.infer<typeof ActivityKind>;

/** An append-only record of what the annotator did, for throughput metrics and audit. */
export const ActivityEvent = z.object({
  id: z.number().int().positive(),
  kind: ActivityKind,
  taskId: z.string().min(1),
  /** Milliseconds since the Unix epoch, local clock (metrics only, never ordering for sync). */
  at: z.number().int(),
  data: z.record(z.string(), z.unknown()).default({}),
});
export type ActivityEvent = z.infer<typeof ActivityEvent>;
