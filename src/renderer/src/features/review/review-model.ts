import type { ReviewItemStatus, ReviewView, TaskView, VerdictDelivery } from '../../../../shared/contract';
import type { Annotation } from '../../../../shared/model';
import type { CommentTarget } from '../../../../shared/sync/review';
import type { EditorSelection } from '../../editor/review-marks';

/**
 * Framework-free pieces of the review screens: the editor's view of an item, what a selection
 * makes a comment point at, and the words for statuses.
 */

/** The task as the editors take it: the version under review, shown as submitted. */
export const reviewTaskView = (v: ReviewView): TaskView => ({
  task: v.task,
  project: v.project,
  status: 'submitted',
  draft: null,
  submitted: v.submission.annotation,
  leaseExpiresAt: v.item.leaseExpiresAt,
  // Review items are the hub's; the delivery of the verdict is shown by the review screen itself.
  delivery: { fromHub: true, waiting: null, answer: null },
});

export const commentTarget = (sel: EditorSelection | null): CommentTarget =>
  sel === null
    ? { kind: 'task' }
    : sel.keypoint !== undefined
      ? { kind: 'keypoint', resultId: sel.resultId, index: sel.keypoint }
      : { kind: sel.kind, resultId: sel.resultId };

export const statusWords: Record<ReviewItemStatus, string> = {
  pending: 'Waiting for a verdict',
  accepted: 'Accepted',
  fixed: 'Fixed & accepted',
  rejected: 'Rejected',
};

/** Where a verdict given here is, in a few words (read from the outbox record, never assumed). */
export const deliveryWords: Record<VerdictDelivery, string> = {
  waiting: 'Waiting to send',
  delivered: 'Delivered',
  flagged: 'Kept by the hub, not applied',
  refused: 'Refused by the hub',
};

/** The annotation a fix starts from: a saved fix in progress, else the version under review. */
export const fixStart = (v: ReviewView): Annotation => v.draft?.annotation ?? v.submission.annotation;

/** "v2 · resubmission" style label of the version under review. */
export const versionLabel = (v: ReviewView): string => {
  const n = v.item.version;
  if (n === 1) return 'Version 1';
  return v.previous?.source === 'fix' ? `Version ${n} · after a fix` : `Version ${n} · resubmitted`;
};
