import {
  AppError,
  VerdictDraft,
  type TaskHistoryView,
  type ReviewView,
  type VerdictGiven,
  type VerdictView,
} from '../../../shared/contract';
import type { Clock } from '../../../shared/clock';
import type { Annotation } from '../../../shared/model';
import type { FeedEvent, ReviewComment, TaskHistory, TaskVersion, VerdictKind } from '../../../shared/sync';
import type { QueueService } from '../queue/service';
import { checkAnnotation } from '../queue/validate';
import {
  ReviewStore,
  type ListQuery,
  type NewReviewItem,
  type ReviewProject,
  type ReviewVersionView,
} from './store';

export type Identity = { userId: string; userName: string };

type VerdictInput = {
  submissionId: string;
  comments: ReviewComment[];
  reason?: string | undefined;
  note?: string | undefined;
  annotation?: Annotation | undefined;
};

const STATUS_OF: Record<VerdictKind, 'accepted' | 'fixed' | 'rejected'> = {
  'review.accept': 'accepted',
  'review.fix': 'fixed',
  'review.reject': 'rejected',
};

/**
 * Checks each comment's pin against the version under review, as the hub will: a region or a
 * keypoint set by result id, a span by its id, a keypoint by its index in the set.
 */
export const checkCommentTargets = (annotation: Annotation, comments: readonly ReviewComment[]): void => {
  const byId = new Map(annotation.results.map((r) => [r.id, r]));
  comments.forEach((c, i) => {
    if (c.target.kind === 'task') return;
    const found = byId.get(c.target.resultId);
    const fits =
      found !== undefined &&
      (c.target.kind === 'span'
        ? found.type === 'span'
        : c.target.kind === 'keypoint'
          ? found.type === 'keypoints'
          : found.type !== 'span');
    const what = c.target.kind === 'keypoint' ? 'keypoint set' : c.target.kind;
    if (!fits)
      throw new AppError(
        'INVALID_INPUT',
        `the submission under review has no ${what} "${c.target.resultId}"`,
        `comments.${i}.target.resultId`,
      );
    if (c.target.kind === 'keypoint' && found.type === 'keypoints' && c.target.index >= found.points.length)
      throw new AppError(
        'INVALID_INPUT',
        `keypoint set "${c.target.resultId}" has ${found.points.length} points, no point ${c.target.index}`,
        `comments.${i}.target.index`,
      );
  });
};

/**
 * The one writer of the review tables. Verdicts are checked here (the item is leased and pending,
 * not the reviewer's own work, the reason is the project's, every comment's pin exists, a fix's
 * spans fit the text) and then written in one transaction with their outbox row: all or nothing.
 */
export class ReviewService {
  readonly store: ReviewStore;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly queue: QueueService,
    private readonly clock: Clock,
    /** The signed-in person (null: signed out). */
    private readonly identity: () => Identity | null,
  ) {
    this.store = new ReviewStore(queue.db);
  }

  /** Hears of every change to review items or verdicts (the workbench emits `review.changed`). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    for (const l of this.listeners) l();
  }

  private now(): number {
    return Math.trunc(this.clock());
  }

  /** Stores a review lease answer: the project, then its items with versions and verdicts. */
  addLeased(project: ReviewProject, items: readonly NewReviewItem[]): void {
    const at = this.now();
    this.queue.transaction(() => {
      this.store.upsertProject(project, at);
      this.store.addItems(items, at);
    });
    if (items.length > 0) this.changed();
  }

  list(q: ListQuery) {
    const { items, total } = this.store.list(q);
    return {
      items,
      total,
      batches: this.store.batchCounts(q.projectId),
      annotators: this.store.annotators(q.projectId),
    };
  }

  private mustItem(submissionId: string) {
    const item = this.store.item(submissionId);
    if (!item)
      throw new AppError(
        'NOT_FOUND',
        `no review item for submission "${submissionId}" here (lease it from the hub first)`,
        'submissionId',
      );
    return item;
  }

  open(submissionId: string): ReviewView {
    const item = this.mustItem(submissionId);
    const task = this.store.itemTask(submissionId);
    const project = this.store.project(item.projectId);
    if (!task || !project)
      throw new AppError('INTERNAL', `review item ${submissionId} lost its task or project`, 'submissionId');
    const versions = this.store.versions(item.taskId);
    const idx = versions.findIndex((v) => v.id === submissionId);
    const submission = versions[idx];
    if (!submission)
      throw new AppError('INTERNAL', `review item ${submissionId} has no stored version`, 'submissionId');
    const draftText = this.store.draftText(submissionId);
    const { rejectReasons, ...plain } = project;
    return {
      item,
      task,
      project: plain,
      rejectReasons,
      submission,
      previous: idx > 0 ? versions[idx - 1]! : null,
      versions,
      verdicts: this.store.verdicts(item.taskId),
      draft: draftText === null ? null : VerdictDraft.parse(JSON.parse(draftText)),
    };
  }

  /** The next pending item after `after` (or the first), of the project and batch if given. */
  nextId(projectId?: string, batch?: string, after?: string): string | null {
    const seq = after !== undefined ? (this.store.seqOf(after) ?? 0) : 0;
    return this.store.nextPending(projectId ?? null, batch ?? null, seq);
  }

  next(projectId?: string, batch?: string, after?: string): ReviewView | null {
    const id = this.nextId(projectId, batch, after);
    return id === null ? null : this.open(id);
  }

  saveDraft(submissionId: string, draft: VerdictDraft): { savedAt: number } {
    const item = this.mustItem(submissionId);
    if (item.status !== 'pending')
      throw new AppError(
        'CONFLICT',
        `submission ${submissionId} is already ${item.status} here`,
        'submissionId',
      );
    const at = this.now();
    this.queue.transaction(() => this.store.saveDraft(submissionId, JSON.stringify(draft)));
    return { savedAt: at };
  }

  /** Accept, fix or reject: checked in full, then written with its outbox row in one transaction. */
  decide(kind: VerdictKind, input: VerdictInput): VerdictGiven {
    const me = this.identity();
    if (!me) throw new AppError('UNAUTHORIZED', 'sign in to a hub to review');
    const view = this.open(input.submissionId);
    const { item } = view;
    if (item.annotatorId === me.userId)
      throw new AppError('FORBIDDEN', 'nobody reviews their own work', 'submissionId');
    if (item.status !== 'pending')
      throw new AppError(
        'CONFLICT',
        `submission ${input.submissionId} is already ${item.status} here`,
        'submissionId',
      );
    if (kind === 'review.reject') {
      const reason = input.reason ?? '';
      if (view.rejectReasons.length > 0 && !view.rejectReasons.includes(reason))
        throw new AppError(
          'INVALID_INPUT',
          `"${reason}" is not one of the project's reject reasons (${view.rejectReasons.join('; ')})`,
          'reason',
        );
    }
    checkCommentTargets(view.submission.annotation, input.comments);
    if (kind === 'review.fix') {
      if (!input.annotation) throw new AppError('INVALID_INPUT', 'a fix needs its annotation', 'annotation');
      if (input.annotation.results.some((r) => r.type === 'span')) {
        try {
          checkAnnotation(view.task.data, input.annotation);
        } catch (e) {
          if (e instanceof AppError) throw new AppError(e.code, e.message, `annotation.${e.path ?? ''}`);
          throw e;
        }
      }
    }
    const at = this.now();
    const leasedAt = this.store.leasedAt(input.submissionId) ?? at;
    const verdictId = this.queue.writeWithOutbox((append) => {
      // The reviewer's time is the activity recorder's (the review screen reports presence on
      // the task like the task screen does), counted since the item was leased here; read
      // inside the write, after the recorder's pending stretches went to the log.
      const { activeMs, wallMs } = this.queue.taskTimesSince(item.taskId, leasedAt, at);
      const payload: Record<string, unknown> = {
        submissionId: input.submissionId,
        comments: input.comments,
        activeMs,
        wallMs,
        ...(input.reason !== undefined && kind === 'review.reject' ? { reason: input.reason } : {}),
        ...(input.note !== undefined && kind !== 'review.accept' ? { note: input.note } : {}),
        ...(kind === 'review.fix' ? { annotation: input.annotation } : {}),
      };
      const row = append(kind, item.taskId, payload, at);
      const fixVersionId = kind === 'review.fix' ? `fix:${row.mutationId}` : null;
      const decided = this.store.decide({
        id: row.mutationId,
        submissionId: input.submissionId,
        taskId: item.taskId,
        kind: STATUS_OF[kind],
        reviewerId: me.userId,
        reviewerName: me.userName,
        at,
        activeMs,
        reason: kind === 'review.reject' ? (input.reason ?? null) : null,
        note: kind === 'review.accept' ? null : (input.note ?? null),
        comments: input.comments,
        fixVersionId,
      });
      // Checked above; a concurrent verdict in between rolls this one back whole.
      if (!decided)
        throw new AppError(
          'CONFLICT',
          `submission ${input.submissionId} was decided meanwhile`,
          'submissionId',
        );
      if (fixVersionId && input.annotation)
        this.store.upsertVersion(item.taskId, {
          id: fixVersionId,
          source: 'fix',
          userId: me.userId,
          userName: me.userName,
          at,
          activeMs,
          conflict: false,
          superseded: false,
          annotation: input.annotation,
        });
      return row.mutationId;
    });
    this.changed();
    return {
      verdictId,
      at,
      nextSubmissionId: this.nextId(item.projectId, item.batch, input.submissionId),
    };
  }

  /** The hub answered a verdict given here (inside push's transaction). */
  answered(
    verdictId: string,
    a:
      | { delivery: 'delivered' | 'flagged' }
      | { delivery: 'refused'; reason: string; field: string | null; message: string | null },
  ): void {
    this.store.answer(verdictId, a);
  }

  /**
   * Review events of the change feed, inside pull's transaction: a rejection of this person's
   * work comes back as a rework lease with the comments; a review lease the hub ended (the
   * version was replaced) shows as expired; live review leases are renewed as the hub renewed
   * them for this pull. Returns the rejected task ids.
   */
  applyFeed(events: readonly FeedEvent[], serverTime: number, localNow: number): string[] {
    const skew = serverTime - localNow;
    const reworked: string[] = [];
    for (const e of events) {
      if (e.kind === 'review.rejected') {
        const added = this.store.addFeedback({
          verdictId: e.verdictId,
          taskId: e.taskId,
          submissionId: e.submissionId,
          reviewerId: e.reviewerId,
          at: e.at - skew,
          reason: e.reason,
          note: e.note ?? null,
          comments: e.comments,
        });
        if (this.queue.hub.rework(e.taskId, e.epoch, e.expiresAt - skew, localNow) && added)
          reworked.push(e.taskId);
      } else if (e.kind === 'review.revoked') {
        this.store.endLease(e.submissionId, e.epoch, localNow);
      }
    }
    // Every pull renews the live review leases on the hub (each page's is the same).
    this.store.renewLeases(localNow);
    return reworked;
  }

  /** The annotator's side: the rejections of a task, newest first. */
  feedback(taskId: string) {
    const rows = this.store.feedback(taskId);
    const status = this.queue.hub.taskStatus(taskId);
    return {
      taskId,
      inRework: rows.length > 0 && (status === 'queued' || status === 'in_progress'),
      feedback: rows.map((r) => ({
        verdictId: r.verdict_id,
        submissionId: r.submission_id,
        reviewerId: r.reviewer_id,
        reviewerName: this.store.userName(r.reviewer_id),
        at: r.at,
        reason: r.reason,
        note: r.note,
        comments: r.comments,
      })),
    };
  }

  projectName(projectId: string): string | null {
    return this.store.projectName(projectId);
  }

  /** The hub project of a task known here (reviewed, or leased to annotate); null when unknown. */
  projectOfTask(taskId: string): string | null {
    return this.store.projectOfTask(taskId);
  }

  /** The hub's timeline, plus verdicts given here that it has not applied (waiting or refused). */
  mergeHubHistory(h: TaskHistory, parseVersion: (v: TaskVersion) => ReviewVersionView): TaskHistoryView {
    const hub: VerdictView[] = h.verdicts.map((v) => ({
      id: v.id,
      submissionId: v.submissionId,
      kind: v.kind,
      reviewerId: v.reviewerId,
      reviewerName: v.reviewerName,
      at: v.at,
      activeMs: v.activeMs,
      reason: v.reason ?? null,
      note: v.note ?? null,
      comments: v.comments,
      fixVersionId: v.fixVersionId ?? null,
      flag: v.flag ?? null,
      delivery: v.flag ? 'flagged' : 'delivered',
      refusal: null,
    }));
    const known = new Set(hub.map((v) => v.id));
    const local = this.store
      .verdicts(h.taskId)
      .filter((v) => !known.has(v.id) && (v.delivery === 'waiting' || v.delivery === 'refused'));
    return {
      taskId: h.taskId,
      projectId: h.projectId,
      batch: h.batch,
      versions: h.versions.map(parseVersion),
      verdicts: [...hub, ...local].sort((a, b) => a.at - b.at),
      source: 'hub',
    };
  }

  /**
   * What is kept here (offline): a reviewed task's versions and verdicts as last leased, or for
   * the annotator's own task their submissions here and the rejections they received.
   */
  localHistory(taskId: string, projectId: string | null): TaskHistoryView {
    let versions = this.store.versions(taskId);
    const verdicts = this.store.verdicts(taskId);
    const me = this.identity();
    if (versions.length === 0 && me) versions = this.store.ownSubmissions(taskId, me);
    const seen = new Set(verdicts.map((v) => v.id));
    for (const f of this.store.feedback(taskId)) {
      if (seen.has(f.verdict_id)) continue;
      verdicts.push({
        id: f.verdict_id,
        submissionId: f.submission_id,
        kind: 'rejected',
        reviewerId: f.reviewer_id,
        reviewerName: this.store.userName(f.reviewer_id) ?? f.reviewer_id,
        at: f.at,
        activeMs: 0,
        reason: f.reason,
        note: f.note,
        comments: f.comments,
        fixVersionId: null,
        flag: null,
        delivery: 'delivered',
        refusal: null,
      });
    }
    if (projectId === null && versions.length === 0 && verdicts.length === 0)
      throw new AppError('NOT_FOUND', `no task "${taskId}" here`, 'taskId');
    return {
      taskId,
      projectId: projectId ?? '',
      batch: this.store.batchOfTask(taskId),
      versions,
      verdicts: verdicts.sort((a, b) => a.at - b.at),
      source: 'local',
    };
  }
}
