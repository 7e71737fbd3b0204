import { z } from 'zod';
import { Task } from '../model';
import { DeviceId } from './lease';

/**
 * QA review (protocol 1.1): a project's review policy makes review items on the hub as
 * submissions arrive; reviewers lease them like tasks and send verdicts through the same push.
 */

/** A batch name: the unit a lead hands over and a reviewer audits. */
export const BatchName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[^\s/][^/]*$/, 'a batch name may not start with a space or contain "/"');
export const DEFAULT_BATCH = 'default';

/**
 * Which submissions get reviewed: none, all, or a seeded random `percent` of the tasks (the
 * draw is per task, so the same seed picks the same tasks on every hub and every resubmission
 * of a picked task is reviewed again). A rejected task's resubmission is always reviewed.
 */
export const ReviewPolicy = z.union([
  z.literal('none'),
  z.literal('all'),
  z.object({
    percent: z.number().min(0).max(100),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
  }),
]);
export type ReviewPolicy = z.infer<typeof ReviewPolicy>;

export const RejectReasonText = z.string().min(1).max(200);
/** The reasons a reviewer picks from when rejecting (empty: free text only). */
export const RejectReasonList = z.array(RejectReasonText).max(50);

export const UpdateReviewPolicyRequest = z.object({
  reviewPolicy: ReviewPolicy,
  rejectReasons: RejectReasonList.optional(),
});
export type UpdateReviewPolicyRequest = z.infer<typeof UpdateReviewPolicyRequest>;

/**
 * Where a comment is pinned: the whole task, a region (box, polygon, polyline, keypoint set,
 * image class) or a span by its result id, or one keypoint of a keypoint set by its index.
 */
export const CommentTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('task') }),
  z.object({ kind: z.literal('region'), resultId: z.string().min(1).max(64) }),
  z.object({ kind: z.literal('span'), resultId: z.string().min(1).max(64) }),
  z.object({
    kind: z.literal('keypoint'),
    resultId: z.string().min(1).max(64),
    index: z.number().int().nonnegative(),
  }),
]);
export type CommentTarget = z.infer<typeof CommentTarget>;

export const ReviewComment = z.object({ target: CommentTarget, text: z.string().min(1).max(2000) });
export type ReviewComment = z.infer<typeof ReviewComment>;

/** What every verdict names, on the wire and in the workbench contract alike. */
export const verdictSubject = {
  /** The submission under review (its id is the mutation id that submitted it). */
  submissionId: z.string().min(1).max(100),
  comments: z.array(ReviewComment).max(200).default([]),
};

const verdictBase = {
  ...verdictSubject,
  /** Milliseconds the reviewer spent on it (the workbench core's activity recorder). */
  activeMs: z.number().int().nonnegative().default(0),
  /** From the reviewer's first active moment on it to the verdict, ms (absent from older workbenches). */
  wallMs: z.number().int().nonnegative().optional(),
};
export const AcceptPayload = z.object(verdictBase);
export const RejectPayload = z.object({
  ...verdictBase,
  /** One of the project's reject reasons (any text when the project lists none). */
  reason: RejectReasonText,
  note: z.string().max(2000).optional(),
});
/** `annotation` is checked against the shared Annotation like a submit's. */
export const fixPayloadOf = <A extends z.ZodType>(annotation: A) =>
  z.object({ ...verdictBase, annotation, note: z.string().max(2000).optional() });

export const VERDICT_KINDS = ['review.accept', 'review.fix', 'review.reject'] as const;
export type VerdictKind = (typeof VERDICT_KINDS)[number];
export const isVerdictKind = (kind: string): kind is VerdictKind =>
  (VERDICT_KINDS as readonly string[]).includes(kind);

export const ReviewLeaseRequest = z.object({
  projectId: z.string().min(1),
  /** Only items of this batch (default: any). */
  batch: BatchName.optional(),
  deviceId: DeviceId,
  count: z.number().int().min(1).max(1000),
  /** As for task leases: a retry with the same id gets the same live review leases back. */
  requestId: z.string().min(1).max(100).optional(),
});
export type ReviewLeaseRequest = z.infer<typeof ReviewLeaseRequest>;

export const VerdictStatus = z.enum(['accepted', 'fixed', 'rejected']);
/** A review item's state: waiting, decided, or superseded by a newer version before a verdict. */
export const ReviewStatus = z.enum(['pending', 'accepted', 'fixed', 'rejected', 'superseded']);
export type ReviewStatus = z.infer<typeof ReviewStatus>;

/** One stored version of a task's annotation: a submission, or a reviewer's fix. */
export const TaskVersion = z.object({
  id: z.string(),
  source: z.enum(['submission', 'fix']),
  userId: z.string(),
  userName: z.string(),
  at: z.number().int(),
  activeMs: z.number().int().nonnegative(),
  /** A late submission kept beside the counted one (submissions only). */
  conflict: z.boolean(),
  /** Replaced by a newer version of the same author (resubmission, or rejected and reworked). */
  superseded: z.boolean(),
  annotation: z.unknown(),
});
export type TaskVersion = z.infer<typeof TaskVersion>;

export const Verdict = z.object({
  id: z.string(),
  submissionId: z.string(),
  kind: VerdictStatus,
  reviewerId: z.string(),
  reviewerName: z.string(),
  at: z.number().int(),
  activeMs: z.number().int().nonnegative(),
  reason: z.string().optional(),
  note: z.string().optional(),
  comments: z.array(ReviewComment),
  /** A fix: the id of the version it stored. */
  fixVersionId: z.string().optional(),
  /**
   * Kept but not applied: `stale` — the annotator had replaced the version since; `conflict` —
   * another verdict had decided the item first.
   */
  flag: z.enum(['stale', 'conflict']).optional(),
});
export type Verdict = z.infer<typeof Verdict>;

/** A review item leased to one reviewer: everything needed to judge it offline. */
export const LeasedReview = z.object({
  submissionId: z.string(),
  taskId: z.string(),
  projectId: z.string(),
  batch: z.string(),
  /** Fencing token of the review lease; verdicts name it as their `leaseEpoch`. */
  epoch: z.number().int().positive(),
  deviceId: DeviceId,
  expiresAt: z.number().int(),
  task: Task,
  /** The version under review. */
  submission: TaskVersion,
  /** Every earlier version of the task and every verdict on it, oldest first. */
  versions: z.array(TaskVersion),
  verdicts: z.array(Verdict),
});
export type LeasedReview = z.infer<typeof LeasedReview>;

export const ReviewLeaseResponse = z.object({ reviews: z.array(LeasedReview), serverTime: z.number().int() });
export type ReviewLeaseResponse = z.infer<typeof ReviewLeaseResponse>;

export const TaskHistory = z.object({
  taskId: z.string(),
  projectId: z.string(),
  batch: z.string(),
  /** Newest state of review: the last item's status, or undefined if never sampled. */
  reviewStatus: ReviewStatus.optional(),
  versions: z.array(TaskVersion),
  verdicts: z.array(Verdict),
});
export type TaskHistory = z.infer<typeof TaskHistory>;

export const BatchProgress = z.object({
  batch: z.string(),
  tasks: z.number().int(),
  done: z.number().int(),
  /** Review items waiting for a verdict (leased or not). */
  pending: z.number().int(),
  accepted: z.number().int(),
  fixed: z.number().int(),
  /** Reject verdicts applied (every round of rework counts). */
  rejected: z.number().int(),
  /** Tasks rejected and not yet resubmitted. */
  inRework: z.number().int(),
});
export type BatchProgress = z.infer<typeof BatchProgress>;
