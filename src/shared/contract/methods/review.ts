import { z } from 'zod';
import { Annotation, Project, ProjectKind, Task } from '../../model';
import {
  BatchProgress,
  BatchName,
  ReviewComment,
  RejectReasonText,
  TaskVersion,
  Verdict,
  verdictSubject,
} from '../../sync/review';
import { Role } from '../../sync/roles';

/**
 * QA review in the workbench (issue 11): a reviewer leases review items from the hub with
 * everything needed to judge them offline, gives verdicts that wait in the outbox like
 * submissions, and the annotator sees a rejected task come back with the reviewer's comments.
 */

const SubmissionRef = z.object({ submissionId: z.string().min(1).max(100) }).strict();

/** A local review item's verdict state: none yet, or the verdict the reviewer gave here. */
export const ReviewItemStatus = z.enum(['pending', 'accepted', 'fixed', 'rejected']);
export type ReviewItemStatus = z.infer<typeof ReviewItemStatus>;

/**
 * Where a verdict given here is, read from the outbox and the hub's answer: `waiting` (in the
 * outbox), `delivered` (applied by the hub), `flagged` (kept by the hub but not applied: the
 * annotator had replaced the version, or another verdict came first), `refused` (the hub
 * refused it; `refusal` says why and which field).
 */
export const VerdictDelivery = z.enum(['waiting', 'delivered', 'flagged', 'refused']);
export type VerdictDelivery = z.infer<typeof VerdictDelivery>;

export const VerdictRefusal = z.object({
  reason: z.string(),
  field: z.string().nullable(),
  message: z.string().nullable(),
});

/** One row of the review queue. */
export const ReviewItemSummary = z.object({
  submissionId: z.string(),
  taskId: z.string(),
  projectId: z.string(),
  projectName: z.string(),
  kind: ProjectKind,
  batch: z.string(),
  title: z.string(),
  annotatorId: z.string(),
  annotatorName: z.string(),
  /** Hub time the version under review was submitted. */
  submittedAt: z.number().int(),
  /** The annotator's active time on this version, ms. */
  activeMs: z.number().int().nonnegative(),
  /** 1-based: this version's place among the task's versions (2+ = a resubmission or after a fix). */
  version: z.number().int().positive(),
  status: ReviewItemStatus,
  /** When the verdict was given here (local clock); null while pending. */
  decidedAt: z.number().int().nullable(),
  /** Null while pending. */
  delivery: VerdictDelivery.nullable(),
  /** Hub time the review lease ends; a verdict after it is refused unless leased again. */
  leaseExpiresAt: z.number().int(),
  /** Every image the item shows is in the local cache (it can be reviewed offline). */
  assetsReady: z.boolean(),
  /** A verdict in progress is saved (`review.saveDraft`). */
  hasDraft: z.boolean(),
});
export type ReviewItemSummary = z.infer<typeof ReviewItemSummary>;

/** One stored version of a task's annotation (a submission, or a reviewer's fix): the hub's, parsed. */
export const ReviewVersion = TaskVersion.extend({ annotation: Annotation });
export type ReviewVersion = z.infer<typeof ReviewVersion>;

/** A verdict as both roles see it: from the hub, or given here and maybe not yet delivered. */
export const VerdictView = Verdict.extend({
  reason: z.string().nullable(),
  note: z.string().nullable(),
  /** A fix: the version it stored. */
  fixVersionId: z.string().nullable(),
  /** Kept by the hub but not applied (see `VerdictDelivery`). */
  flag: Verdict.shape.flag.unwrap().nullable(),
  /** Verdicts the hub already holds are `delivered` (or `flagged`). */
  delivery: VerdictDelivery,
  refusal: VerdictRefusal.nullable(),
});
export type VerdictView = z.infer<typeof VerdictView>;

/** A verdict being composed, saved as the reviewer goes so a crash or a restart loses nothing. */
export const VerdictDraft = z.object({
  /** A fix in progress (the edited annotation). */
  annotation: Annotation.optional(),
  comments: z.array(ReviewComment).max(200).default([]),
  reason: RejectReasonText.optional(),
  note: z.string().max(2000).optional(),
});
export type VerdictDraft = z.infer<typeof VerdictDraft>;

/** Everything the review screen needs for one item. */
export const ReviewView = z.object({
  item: ReviewItemSummary,
  task: Task,
  project: Project,
  /** The reasons to pick from when rejecting (empty: free text). */
  rejectReasons: z.array(z.string()),
  /** The version under review. */
  submission: ReviewVersion,
  /** The version before it (the annotator's previous one, or a fix), for the diff; null for a first version. */
  previous: ReviewVersion.nullable(),
  /** Every version of the task, oldest first (the one under review included). */
  versions: z.array(ReviewVersion),
  /** Every verdict on the task, oldest first, this reviewer's own included. */
  verdicts: z.array(VerdictView),
  draft: VerdictDraft.nullable(),
});
export type ReviewView = z.infer<typeof ReviewView>;

export const ReviewFilter = z
  .object({
    projectId: z.string().optional(),
    batch: z.string().optional(),
    annotatorId: z.string().optional(),
    status: z.array(ReviewItemStatus).optional(),
    /** Submitted at or after / before (hub time, ms). */
    from: z.number().int().optional(),
    to: z.number().int().optional(),
    limit: z.number().int().min(1).max(1000).default(100),
    offset: z.number().int().min(0).default(0),
  })
  .strict();
export type ReviewFilter = z.input<typeof ReviewFilter>;

/** Counts of the local review items of one project and batch (filters other than project/batch ignored). */
export const ReviewBatchCounts = z.object({
  projectId: z.string(),
  batch: z.string(),
  pending: z.number().int(),
  accepted: z.number().int(),
  fixed: z.number().int(),
  rejected: z.number().int(),
  /** Verdicts still in the outbox. */
  waiting: z.number().int(),
  refused: z.number().int(),
});
export type ReviewBatchCounts = z.infer<typeof ReviewBatchCounts>;

const verdictCommon = verdictSubject;

export const VerdictGiven = z.object({
  verdictId: z.string(),
  at: z.number().int(),
  /** The next pending item of the same project and batch, to open at once; null when none. */
  nextSubmissionId: z.string().nullable(),
});
export type VerdictGiven = z.infer<typeof VerdictGiven>;

/** One rejection the annotator must see: the reviewer's reason, note and pinned comments. */
export const ReviewFeedback = z.object({
  verdictId: z.string(),
  /** The rejected version (a submission of this annotator). */
  submissionId: z.string(),
  reviewerId: z.string(),
  reviewerName: z.string().nullable(),
  at: z.number().int(),
  reason: z.string(),
  note: z.string().nullable(),
  comments: z.array(ReviewComment),
});
export type ReviewFeedback = z.infer<typeof ReviewFeedback>;

export const ReviewRoles = z.object({
  signedIn: z.boolean(),
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  /** Per project; `projectName` null when the project is not known here yet. */
  memberships: z.array(z.object({ projectId: z.string(), projectName: z.string().nullable(), role: Role })),
  /** Projects the person may lease tasks of / review / see batch progress of. */
  annotates: z.array(z.string()),
  reviews: z.array(z.string()),
  leads: z.array(z.string()),
  /** Read from the hub just now, or the last answer kept here (offline). */
  source: z.enum(['hub', 'cached']),
  fetchedAt: z.number().int().nullable(),
});
export type ReviewRoles = z.infer<typeof ReviewRoles>;

export const TaskHistoryView = z.object({
  taskId: z.string(),
  projectId: z.string(),
  batch: z.string().nullable(),
  versions: z.array(ReviewVersion),
  verdicts: z.array(VerdictView),
  /** `hub`: the hub's timeline just now (plus verdicts not yet delivered); `local`: what is kept here (offline). */
  source: z.enum(['hub', 'local']),
});
export type TaskHistoryView = z.infer<typeof TaskHistoryView>;

export const reviewMethods = {
  /** The signed-in person's roles: the workbench offers annotating, reviewing or both. */
  'review.roles': { input: z.object({}).strict(), output: ReviewRoles },
  /**
   * Leases up to `count` review items of a project (one batch, or any) with their task, every
   * version and verdict, and queues their images for the cache: a whole batch works offline.
   */
  'review.lease': {
    input: z
      .object({
        projectId: z.string().min(1),
        batch: BatchName.optional(),
        count: z.number().int().min(1).max(1000).default(50),
      })
      .strict(),
    output: z.object({ leased: z.number().int(), projectId: z.string(), batch: z.string().nullable() }),
  },
  /** The local review queue, filtered, with counts per project and batch and the annotators seen. */
  'review.list': {
    input: ReviewFilter,
    output: z.object({
      items: z.array(ReviewItemSummary),
      total: z.number().int(),
      batches: z.array(ReviewBatchCounts),
      annotators: z.array(z.object({ id: z.string(), name: z.string() })),
    }),
  },
  'review.open': { input: SubmissionRef, output: ReviewView },
  /** The next pending item (of the project and batch if given) after `after` in queue order; null when none. */
  'review.next': {
    input: z
      .object({
        projectId: z.string().optional(),
        batch: z.string().optional(),
        after: z.string().optional(),
      })
      .strict(),
    output: ReviewView.nullable(),
  },
  /** Saves the verdict being composed (comments, reason, a fix in progress). */
  'review.saveDraft': {
    input: z.object({ submissionId: z.string().min(1).max(100), draft: VerdictDraft }).strict(),
    output: z.object({ savedAt: z.number().int() }),
  },
  'review.accept': { input: z.object(verdictCommon).strict(), output: VerdictGiven },
  /** Fix & accept: the edited annotation is stored as a new version; the annotator's is kept. */
  'review.fix': {
    input: z
      .object({ ...verdictCommon, annotation: Annotation, note: z.string().max(2000).optional() })
      .strict(),
    output: VerdictGiven,
  },
  /** Reject with a reason (one of the project's, or free text when it lists none) and comments. */
  'review.reject': {
    input: z
      .object({ ...verdictCommon, reason: RejectReasonText, note: z.string().max(2000).optional() })
      .strict(),
    output: VerdictGiven,
  },
  /** Every version and verdict of a task (both roles): from the hub when online, else what is kept here. */
  'review.history': {
    input: z.object({ taskId: z.string().min(1), projectId: z.string().min(1).optional() }).strict(),
    output: TaskHistoryView,
  },
  /** Progress per batch for a lead (the hub's progress route; needs the hub). */
  'review.progress': {
    input: z.object({ projectId: z.string().min(1) }).strict(),
    output: z.object({
      projectId: z.string(),
      batches: z.array(BatchProgress),
      /** When the hub answered (local clock). */
      fetchedAt: z.number().int(),
    }),
  },
  /** The annotator's side: the rejections of a task, newest first (empty when none). */
  'tasks.reviewFeedback': {
    input: z.object({ taskId: z.string().min(1) }).strict(),
    output: z.object({
      taskId: z.string(),
      /** The task is back for rework (rejected and not yet resubmitted). */
      inRework: z.boolean(),
      feedback: z.array(ReviewFeedback),
    }),
  },
} as const;

export const reviewEvents = {
  /** Review items or verdicts changed here (leased, decided, answered by the hub). */
  'review.changed': z.object({ at: z.number().int() }),
  /** A task came back for rework with the reviewer's comments. */
  'review.rework': z.object({ taskId: z.string(), verdictId: z.string() }),
} as const;
