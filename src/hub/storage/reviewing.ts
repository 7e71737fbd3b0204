import { z } from 'zod';
import { ReviewStatus, type RejectReason, type VerdictKind } from '../../shared/sync';
import type { Dialect, SqlExecutor } from './driver';
import { appendFeed, type NewFeedEvent } from './feed';
import { LEASE_COLS, setHints } from './leasing';
import { settleLotsOf } from './quality-lots';
import { addReviewItems, type NewSubmission } from './review-items';
import { refreshReviewRollup, type RollupKey } from './review-rollup';
import { HOUR_MS, inList, insertRows, jsonRows, listParam, rowsParams } from './sql-util';
import type { MutationHead, Outcome, VerdictHead } from './types';

/**
 * The review side of a push, inside its transaction: verdicts are checked and applied in
 * memory in seq order (like the other mutations), review items are made for the batch's new
 * submissions by each project's policy, and everything is written in a few statements.
 */

const ItemRow = z.object({
  submission_id: z.string(),
  task_id: z.string(),
  project_id: z.string(),
  author_id: z.string(),
  status: ReviewStatus,
  reviewer_id: z.string().nullable(),
  epoch: z.coerce.number(),
  reject_reasons: z.string(),
  lease_hours: z.coerce.number(),
  device_id: z.string().nullable(),
});
interface Item {
  submissionId: string;
  taskId: string;
  projectId: string;
  authorId: string;
  status: ReviewStatus;
  reviewerId: string | null;
  epoch: number;
  reasons: string[];
  leaseHours: number;
  /** The device the reviewed work came from: a rework lease goes back to it. */
  deviceId: string;
  verdictId?: string;
  dirty: boolean;
}

/** A result as a comment target sees it. */
interface Target {
  type: string;
  points: number;
}
const Results = z.object({
  results: z.array(
    z.looseObject({ type: z.string(), id: z.string(), points: z.array(z.unknown()).optional() }),
  ),
});

const KIND_STATUS: Record<VerdictKind, 'accepted' | 'fixed' | 'rejected'> = {
  'review.accept': 'accepted',
  'review.fix': 'fixed',
  'review.reject': 'rejected',
};

const VERDICT_COLS = [
  ['id', 'text'],
  ['submission_id', 'text'],
  ['task_id', 'text'],
  ['project_id', 'text'],
  ['reviewer_id', 'text'],
  ['kind', 'text'],
  ['reason', 'text'],
  ['note', 'text'],
  ['comments', 'doc'],
  ['annotation', 'doc'],
  ['active_ms', 'int'],
  ['flag', 'text'],
  ['created_at', 'int'],
] as const;

const REWORK_LEASE_COLS = LEASE_COLS.filter(([name]) => name !== 'request_id');

const rejected = (reason: RejectReason, field: string, message: string): Outcome => ({
  status: 'rejected',
  reason,
  field,
  message,
});

export class ReviewPush {
  private readonly items = new Map<string, Item>();
  private readonly targets = new Map<string, Map<string, Target>>();
  /** Verdict rows; a fix's annotation column holds its mutation index until the texts arrive. */
  private readonly verdicts: { row: unknown[]; fixAt?: number }[] = [];
  private readonly rejects: { item: Item; verdictId: string; v: VerdictHead }[] = [];
  /** The (task, author) pairs of the applied verdicts: their review rollup rows change. */
  private readonly rolled: RollupKey[] = [];
  private readonly feed: NewFeedEvent[] = [];

  constructor(
    private readonly tx: SqlExecutor,
    private readonly dialect: Dialect,
    private readonly userId: string,
    private readonly now: number,
    /** True when the user reviews, leads or administers the project. */
    private readonly mayReview: (projectId: string) => boolean,
    /** A rejected submission stops counting toward its task's completions. */
    private readonly uncount: (taskId: string) => void,
  ) {}

  /** Reads (and on PostgreSQL locks) the review items the batch's verdicts name. */
  async load(muts: readonly MutationHead[]): Promise<void> {
    const heads = muts.flatMap((m) => (m.verdict ? [m.verdict] : []));
    if (heads.length === 0) return;
    const ids = [...new Set(heads.map((v) => v.submissionId))].sort();
    const rows = await this.tx.all(
      `SELECT r.submission_id, r.task_id, r.project_id, r.author_id, r.status, r.reviewer_id, r.epoch,
              p.reject_reasons, p.lease_hours, l.device_id
       FROM reviews r JOIN projects p ON p.id = r.project_id JOIN submissions s
         ON s.task_id = r.task_id AND s.id = r.submission_id AND s.user_id = r.author_id
       LEFT JOIN leases l ON l.task_id = s.task_id AND l.epoch = s.lease_epoch
       WHERE ${inList(this.dialect, 'r.submission_id')} ORDER BY r.submission_id${this.dialect === 'postgres' ? ' FOR UPDATE OF r' : ''}`,
      [listParam(this.dialect, ids)],
    );
    for (const raw of rows) {
      const r = ItemRow.parse(raw);
      this.items.set(r.submission_id, {
        submissionId: r.submission_id,
        taskId: r.task_id,
        projectId: r.project_id,
        authorId: r.author_id,
        status: r.status,
        reviewerId: r.reviewer_id,
        epoch: r.epoch,
        reasons: z.array(z.string()).parse(JSON.parse(r.reject_reasons)),
        leaseHours: r.lease_hours,
        deviceId: r.device_id ?? 'unknown',
        dirty: false,
      });
    }
    // The results of submissions that comments are pinned into, to check each pin.
    const pinned = [
      ...new Set(
        heads.filter((v) => v.comments.some((c) => c.target.kind !== 'task')).map((v) => v.submissionId),
      ),
    ].filter((id) => this.items.has(id));
    if (pinned.length === 0) return;
    // By task first: submissions are indexed by task, not by id (ids are unique per client only).
    const tasks = [...new Set(pinned.map((id) => this.items.get(id)!.taskId))];
    for (const r of await this.tx.all(
      `SELECT id, user_id, annotation FROM submissions
       WHERE ${inList(this.dialect, 'task_id')} AND ${inList(this.dialect, 'id')}`,
      [listParam(this.dialect, tasks), listParam(this.dialect, pinned)],
    )) {
      // Submission ids are unique per client only (migration 7): the item's author's is the one.
      if (this.items.get(String(r.id))?.authorId !== String(r.user_id)) continue;
      const parsed = Results.parse(JSON.parse(String(r.annotation)));
      this.targets.set(
        String(r.id),
        new Map(parsed.results.map((x) => [x.id, { type: x.type, points: x.points?.length ?? 0 }])),
      );
    }
  }

  /** Checks and applies one verdict (in seq order, after the earlier ones of the batch). */
  apply(m: MutationHead & { kind: VerdictKind; verdict: VerdictHead }): Outcome {
    const v = m.verdict;
    const it = this.items.get(v.submissionId);
    if (!it || it.taskId !== m.taskId)
      return rejected(
        'UNKNOWN_SUBMISSION',
        'payload.submissionId',
        `no submission ${v.submissionId} of task ${m.taskId} was put up for review`,
      );
    if (!this.mayReview(it.projectId))
      return rejected(
        'FORBIDDEN',
        'payload.submissionId',
        `you do not review project ${it.projectId}, which submission ${v.submissionId} belongs to`,
      );
    if (it.authorId === this.userId)
      return rejected('OWN_WORK', 'payload.submissionId', 'nobody reviews their own work');
    if (m.leaseEpoch > it.epoch || (m.leaseEpoch === it.epoch && it.reviewerId !== this.userId))
      return rejected(
        'NO_LEASE',
        'leaseEpoch',
        `you hold no review lease ${m.leaseEpoch} on submission ${v.submissionId}`,
      );
    if (m.kind === 'review.reject' && it.reasons.length > 0 && !it.reasons.includes(v.reason ?? ''))
      return rejected(
        'UNKNOWN_REASON',
        'payload.reason',
        `"${v.reason ?? ''}" is not one of the project's reject reasons (${it.reasons.join('; ')})`,
      );
    for (const [i, c] of v.comments.entries()) {
      if (c.target.kind === 'task') continue;
      const found = this.targets.get(it.submissionId)?.get(c.target.resultId);
      const fits =
        found !== undefined &&
        (c.target.kind === 'span'
          ? found.type === 'span'
          : c.target.kind === 'keypoint'
            ? found.type === 'keypoints'
            : found.type !== 'span');
      if (!fits)
        return rejected(
          'UNKNOWN_TARGET',
          `payload.comments.${i}.target.resultId`,
          `submission ${it.submissionId} has no ${c.target.kind === 'keypoint' ? 'keypoint set' : c.target.kind} "${c.target.resultId}"`,
        );
      if (c.target.kind === 'keypoint' && c.target.index >= found.points)
        return rejected(
          'UNKNOWN_TARGET',
          `payload.comments.${i}.target.index`,
          `keypoint set "${c.target.resultId}" has ${found.points} points, no point ${c.target.index}`,
        );
    }
    // Kept whatever happens; applied only to the version still under review, by its lease holder.
    const flag =
      it.status === 'superseded'
        ? 'stale'
        : it.status !== 'pending' || m.leaseEpoch < it.epoch
          ? 'conflict'
          : undefined;
    const status = KIND_STATUS[m.kind];
    this.verdicts.push({
      row: [
        m.mutationId,
        it.submissionId,
        it.taskId,
        it.projectId,
        this.userId,
        status,
        v.reason ?? null,
        v.note ?? null,
        JSON.stringify(v.comments),
        null,
        v.activeMs,
        flag ?? null,
        this.now,
      ],
      ...(m.kind === 'review.fix' ? { fixAt: m.at } : {}),
    });
    if (flag === undefined) {
      this.rolled.push({ taskId: it.taskId, userId: it.authorId });
      it.status = status;
      it.verdictId = m.mutationId;
      it.dirty = true;
      if (status === 'rejected') {
        this.rejects.push({ item: it, verdictId: m.mutationId, v });
        this.uncount(it.taskId);
      }
    }
    return { status: 'applied', conflict: flag !== undefined };
  }

  /** Review items for the batch's new submissions (see addReviewItems). */
  async addItems(subs: readonly NewSubmission[]): Promise<void> {
    this.feed.push(...(await addReviewItems(this.tx, this.dialect, subs, this.now)));
  }

  /** Writes the decided items, the verdicts (fixes with their checked annotation), the rework. */
  async write(texts: readonly (string | undefined)[]): Promise<void> {
    const decided = [...this.items.values()].filter((i) => i.dirty);
    if (decided.length > 0) {
      const rows = decided.map((i) => [i.submissionId, i.status, i.verdictId ?? null, this.now]);
      if (this.tx.runEach)
        await this.tx.runEach(
          'UPDATE reviews SET status = ?, verdict_id = ?, decided_at = ? WHERE submission_id = ?',
          rows.map(([id, ...rest]) => [...rest, id]),
        );
      else
        await this.tx.run(
          `UPDATE reviews SET status = v.c1, verdict_id = v.c2, decided_at = v.c3
           FROM (${jsonRows(this.dialect, ['text', 'text', 'text', 'int'])}) AS v
           WHERE reviews.submission_id = v.c0 AND ${inList(this.dialect, 'reviews.submission_id')}`,
          [
            ...rowsParams(this.dialect, ['text', 'text', 'text', 'int'], rows),
            listParam(
              this.dialect,
              decided.map((i) => i.submissionId),
            ),
          ],
        );
    }
    await this.rework();
    if (this.verdicts.length > 0)
      await insertRows(
        this.tx,
        'verdicts',
        VERDICT_COLS,
        this.verdicts.map(({ row, fixAt }) => {
          if (fixAt === undefined) return row;
          const text = texts[fixAt];
          if (text === undefined) throw new Error(`push: no annotation text for fix ${String(row[0])}`);
          const out = [...row];
          out[9] = text;
          return out;
        }),
      );
    await refreshReviewRollup(this.tx, this.rolled);
    // A verdict on a lot's sampled item may decide the lot (after the verdicts are written:
    // a fix is a defect only when its annotation differs).
    await settleLotsOf(
      this.tx,
      decided.map((i) => i.submissionId),
      this.now,
    );
    await appendFeed(this.tx, this.feed, this.now);
  }

  /**
   * A rejected submission stops standing, and its task is leased back to its author on the
   * device it came from: a fresh epoch, the project's lease window, `lease.granted` and
   * `review.rejected` (with the reason and comments) in the author's feed.
   */
  private async rework(): Promise<void> {
    if (this.rejects.length === 0) return;
    await this.tx.run(
      `UPDATE submissions SET superseded = 1
       WHERE (id, user_id) IN (${jsonRows(this.dialect, ['text', 'text'])}) AND ${inList(this.dialect, 'id')}
         AND ${inList(this.dialect, 'task_id')}`,
      [
        ...rowsParams(
          this.dialect,
          ['text', 'text'],
          this.rejects.map((r) => [r.item.submissionId, r.item.authorId]),
        ),
        listParam(
          this.dialect,
          this.rejects.map((r) => r.item.submissionId),
        ),
        listParam(
          this.dialect,
          this.rejects.map((r) => r.item.taskId),
        ),
      ],
    );
    // One statement per round for the tasks' new epochs (a task rejected twice in one batch,
    // two authors' work on an overlap task, takes a second round), one for the leases.
    const leaseRows: unknown[][] = [];
    let todo = this.rejects;
    while (todo.length > 0) {
      const round = new Map<string, (typeof todo)[number]>();
      const later: typeof todo = [];
      for (const r of todo) {
        if (round.has(r.item.taskId)) later.push(r);
        else round.set(r.item.taskId, r);
      }
      const expiry = (r: (typeof todo)[number]): number => this.now + Math.round(r.item.leaseHours * HOUR_MS);
      const epochs = await setHints(
        this.tx,
        new Map([...round].map(([taskId, r]) => [taskId, expiry(r)])),
        true,
      );
      for (const [taskId, { item, verdictId, v }] of round) {
        const epoch = epochs.get(taskId);
        if (epoch === undefined) throw new Error(`rework: task ${taskId} is gone`);
        const expiresAt = this.now + Math.round(item.leaseHours * HOUR_MS);
        leaseRows.push([
          taskId,
          epoch,
          item.projectId,
          item.authorId,
          item.deviceId,
          'active',
          this.now,
          expiresAt,
          this.now,
        ]);
        const lease = { taskId, epoch, deviceId: item.deviceId, expiresAt };
        this.feed.push(
          { userId: item.authorId, kind: 'lease.granted', projectId: item.projectId, data: lease },
          {
            userId: item.authorId,
            kind: 'review.rejected',
            projectId: item.projectId,
            data: {
              taskId,
              submissionId: item.submissionId,
              verdictId,
              reviewerId: this.userId,
              epoch,
              expiresAt,
              reason: v.reason ?? '',
              ...(v.note !== undefined ? { note: v.note } : {}),
              comments: v.comments,
            },
          },
        );
      }
      todo = later;
    }
    await insertRows(this.tx, 'leases', REWORK_LEASE_COLS, leaseRows);
  }
}
