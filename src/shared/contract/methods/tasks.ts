import { z } from 'zod';
import { Annotation, Task, TaskStatus, Project, Draft, ProjectKind, DeliveryRecord } from '../../model';

const TaskId = z.object({ taskId: z.string().min(1) }).strict();

/** One row of the queue list. */
export const TaskSummary = z.object({
  id: z.string(),
  projectId: z.string(),
  kind: ProjectKind,
  title: z.string(),
  status: TaskStatus,
  updatedAt: z.number().int(),
  submittedAt: z.number().int().nullable(),
  /** Lease expiry from the hub (ms epoch); null for local tasks. */
  leaseExpiresAt: z.number().int().nullable(),
  hasDraft: z.boolean(),
  /** What the records say about its way to the hub (`describeDelivery` words it). */
  delivery: DeliveryRecord,
});
export type TaskSummary = z.infer<typeof TaskSummary>;

/** Everything the task screen needs to open a task. */
export const TaskView = z.object({
  task: Task,
  project: Project,
  status: TaskStatus,
  draft: Draft.nullable(),
  /** The last submitted annotation, for reopening finished work. */
  submitted: Annotation.nullable(),
  leaseExpiresAt: z.number().int().nullable(),
  delivery: DeliveryRecord,
});
export type TaskView = z.infer<typeof TaskView>;

export const TaskFilter = z
  .object({
    projectId: z.string().optional(),
    status: z.array(TaskStatus).optional(),
    search: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(1000).default(100),
    offset: z.number().int().min(0).default(0),
  })
  .strict();

export const QueueCounts = z.object({
  queued: z.number().int(),
  inProgress: z.number().int(),
  submitted: z.number().int(),
  skipped: z.number().int(),
  submittedToday: z.number().int(),
  skippedToday: z.number().int(),
  /** Active labeling time today, ms. */
  activeMsToday: z.number().int(),
});
export type QueueCounts = z.infer<typeof QueueCounts>;

export const taskMethods = {
  'projects.list': { input: z.object({}).strict(), output: z.array(Project) },
  'tasks.list': {
    input: TaskFilter,
    output: z.object({ items: z.array(TaskSummary), total: z.number().int() }),
  },
  /**
   * Take the next queued task (or resume the one in progress) and open it; null when none is left.
   * `taskId`: the task the screen already shows from its prepared copy: claimed (or resumed) if it
   * is still open, else the next one as usual.
   */
  'tasks.claimNext': {
    input: z.object({ projectId: z.string().optional(), taskId: z.string().min(1).optional() }).strict(),
    output: TaskView.nullable(),
  },
  'tasks.open': { input: TaskId, output: TaskView },
  'tasks.saveDraft': {
    input: z.object({ taskId: z.string().min(1), annotation: Annotation }).strict(),
    output: z.object({ savedAt: z.number().int() }),
  },
  'tasks.submit': {
    input: z.object({ taskId: z.string().min(1), annotation: Annotation }).strict(),
    output: z.object({ submissionId: z.string(), submittedAt: z.number().int() }),
  },
  'tasks.skip': {
    input: z.object({ taskId: z.string().min(1), reason: z.string().max(500).optional() }).strict(),
    output: z.object({ skippedAt: z.number().int() }),
  },
  /** Open a submitted or skipped task again for editing; it returns to in_progress. */
  'tasks.reopen': { input: TaskId, output: TaskView },
  /** Recently finished tasks, newest first, for moving back through history. */
  'tasks.history': {
    input: z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(),
    output: z.array(TaskSummary),
  },
  'queue.counts': { input: z.object({}).strict(), output: QueueCounts },
} as const;

export const taskEvents = {
  'queue.changed': z.object({ counts: QueueCounts }),
  'task.saved': z.object({ taskId: z.string(), savedAt: z.number().int() }),
} as const;
