import type { ReviewBatchCounts, ReviewItemSummary, VerdictView } from '../../../shared/contract';
import type { Annotation, Project, Task } from '../../../shared/model';
import type { ReviewComment, TaskVersion, Verdict } from '../../../shared/sync';
import type { Db } from '../db/open';
import { projectOfRow } from '../queue/repo';
import { parseRow } from '../db/rows';
import {
  FeedbackRow,
  OwnSubmissionRow,
  ReviewItemRow,
  ReviewProjectRow,
  ReviewTaskRow,
  VerdictRow,
  VersionRow,
} from './rows';

/** A review item as a lease answer brings it, parsed and converted to the local clock. */
export type NewReviewItem = {
  submissionId: string;
  taskId: string;
  projectId: string;
  batch: string;
  title: string;
  task: Task;
  epoch: number;
  expiresAtLocal: number;
  submission: TaskVersion & { annotation: Annotation };
  versions: (TaskVersion & { annotation: Annotation })[];
  verdicts: Verdict[];
};

export type ReviewProject = Project & { rejectReasons: string[] };

export type ListQuery = {
  projectId?: string | undefined;
  batch?: string | undefined;
  annotatorId?: string | undefined;
  status?: readonly string[] | undefined;
  from?: number | undefined;
  to?: number | undefined;
  limit: number;
  offset: number;
};

export type ReviewVersionView = {
  id: string;
  source: 'submission' | 'fix';
  userId: string;
  userName: string;
  at: number;
  activeMs: number;
  conflict: boolean;
  superseded: boolean;
  annotation: Annotation;
};

const ITEM_COLS = `i.seq, i.submission_id, i.task_id, i.project_id, p.name AS project_name, p.kind, i.batch, i.title,
  i.image_sha256, i.epoch, i.lease_expires_at, i.author_id, i.author_name, i.submitted_at, i.active_ms, i.version,
  i.status, i.verdict_id, i.decided_at, (i.draft IS NOT NULL) AS has_draft, v.delivery,
  (i.image_sha256 IS NULL OR EXISTS (SELECT 1 FROM assets a WHERE a.sha256 = i.image_sha256)) AS assets_ready`;
const ITEM_FROM = `FROM review_items i JOIN review_projects p ON p.id = i.project_id
  LEFT JOIN review_verdicts v ON v.id = i.verdict_id`;

const toSummary = (r: ReviewItemRow): ReviewItemSummary => ({
  submissionId: r.submission_id,
  taskId: r.task_id,
  projectId: r.project_id,
  projectName: r.project_name,
  kind: r.kind,
  batch: r.batch,
  title: r.title,
  annotatorId: r.author_id,
  annotatorName: r.author_name,
  submittedAt: r.submitted_at,
  activeMs: r.active_ms,
  version: r.version,
  status: r.status,
  decidedAt: r.decided_at,
  delivery: r.delivery,
  leaseExpiresAt: r.lease_expires_at,
  assetsReady: r.assets_ready === 1,
  hasDraft: r.has_draft === 1,
});

const toVerdict = (raw: unknown): VerdictView => {
  const r = parseRow(VerdictRow, 'review_verdicts', raw);
  return {
    id: r.id,
    submissionId: r.submission_id,
    kind: r.kind,
    reviewerId: r.reviewer_id,
    reviewerName: r.reviewer_name,
    at: r.at,
    activeMs: r.active_ms,
    reason: r.reason,
    note: r.note,
    comments: r.comments,
    fixVersionId: r.fix_version_id,
    flag: r.flag,
    delivery: r.delivery,
    refusal:
      r.refusal_reason === null
        ? null
        : { reason: r.refusal_reason, field: r.refusal_field, message: r.refusal_message },
  };
};

export type NewVerdict = {
  id: string;
  submissionId: string;
  taskId: string;
  kind: 'accepted' | 'fixed' | 'rejected';
  reviewerId: string;
  reviewerName: string;
  at: number;
  activeMs: number;
  reason: string | null;
  note: string | null;
  comments: ReviewComment[];
  fixVersionId: string | null;
};

/**
 * The review tables' SQL (migration 8), bound parameters only. `ReviewService` is its one
 * caller for writes (the sync engine's review side writes through the service too).
 */
export class ReviewStore {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      upsertProject: db.prepare(
        `INSERT INTO review_projects (id, name, kind, label_config, lease_hours, overlap, reject_reasons, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, label_config = excluded.label_config,
           lease_hours = excluded.lease_hours, overlap = excluded.overlap, reject_reasons = excluded.reject_reasons,
           updated_at = excluded.updated_at`,
      ),
      project: db.prepare<[string]>('SELECT * FROM review_projects WHERE id = ?'),
      upsertItem: db.prepare(
        `INSERT INTO review_items (submission_id, task_id, project_id, batch, title, task, image_sha256, image_mime, epoch,
           lease_expires_at, author_id, author_name, submitted_at, active_ms, version, status, leased_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)
         ON CONFLICT (submission_id) DO UPDATE SET epoch = excluded.epoch, lease_expires_at = excluded.lease_expires_at,
           task = excluded.task, title = excluded.title, batch = excluded.batch`,
      ),
      upsertVersion: db.prepare(
        `INSERT INTO review_versions (id, task_id, source, user_id, user_name, at, active_ms, conflict, superseded, annotation)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET superseded = excluded.superseded, conflict = excluded.conflict`,
      ),
      // A verdict the hub sent: ours (given here) becomes delivered or flagged with it.
      upsertHubVerdict: db.prepare(
        `INSERT INTO review_verdicts (id, submission_id, task_id, kind, reviewer_id, reviewer_name, at, active_ms, reason,
           note, comments, fix_version_id, flag, delivery)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET flag = excluded.flag, delivery = excluded.delivery,
           fix_version_id = excluded.fix_version_id, reviewer_name = excluded.reviewer_name`,
      ),
      insertLocalVerdict: db.prepare(
        `INSERT INTO review_verdicts (id, submission_id, task_id, kind, reviewer_id, reviewer_name, at, active_ms, reason,
           note, comments, fix_version_id, flag, delivery)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 'waiting')`,
      ),
      answer: db.prepare(
        `UPDATE review_verdicts SET delivery = ?, flag = ?, refusal_reason = ?, refusal_field = ?, refusal_message = ?
         WHERE id = ?`,
      ),
      item: db.prepare<[string]>(`SELECT ${ITEM_COLS} ${ITEM_FROM} WHERE i.submission_id = ?`),
      itemTask: db.prepare<[string]>('SELECT task FROM review_items WHERE submission_id = ?'),
      itemDraft: db.prepare<[string], { draft: string | null }>(
        'SELECT draft FROM review_items WHERE submission_id = ?',
      ),
      queueDepth: db.prepare<[string, number], { pending: number; images_waiting: number }>(
        `SELECT count(*) AS pending, coalesce(sum(CASE WHEN i.image_sha256 IS NOT NULL AND NOT EXISTS
           (SELECT 1 FROM assets a WHERE a.sha256 = i.image_sha256) THEN 1 ELSE 0 END), 0) AS images_waiting
         FROM review_items i WHERE i.project_id = ? AND i.status = 'pending' AND i.lease_expires_at > ?`,
      ),
      knownProject: db.prepare<[string], { id: string }>('SELECT id FROM review_projects WHERE id = ?'),
      itemLeasedAt: db.prepare<[string], { leased_at: number }>(
        'SELECT leased_at FROM review_items WHERE submission_id = ?',
      ),
      decide: db.prepare(
        `UPDATE review_items SET status = ?, verdict_id = ?, decided_at = ?, draft = NULL
         WHERE submission_id = ? AND status = 'pending'`,
      ),
      saveDraft: db.prepare(
        "UPDATE review_items SET draft = ? WHERE submission_id = ? AND status = 'pending'",
      ),
      endLease: db.prepare(
        'UPDATE review_items SET lease_expires_at = min(lease_expires_at, ?) WHERE submission_id = ? AND epoch <= ?',
      ),
      // As the hub does on each pull: live review leases still awaiting a verdict there run
      // for the project's lease window from now (see renewReviewLeases on the hub).
      renewLeases: db.prepare<[number, number]>(
        `UPDATE review_items SET lease_expires_at = max(lease_expires_at, ? + CAST(
           (SELECT p.lease_hours FROM review_projects p WHERE p.id = review_items.project_id) * 3600000 AS INTEGER))
         WHERE lease_expires_at > ? AND (status = 'pending'
           OR verdict_id IN (SELECT id FROM review_verdicts WHERE delivery = 'waiting'))`,
      ),
      versions: db.prepare<[string]>('SELECT * FROM review_versions WHERE task_id = ? ORDER BY at, id'),
      verdicts: db.prepare<[string]>('SELECT * FROM review_verdicts WHERE task_id = ? ORDER BY at, id'),
      nextPending: db.prepare(
        `SELECT i.submission_id FROM review_items i
         WHERE i.status = 'pending' AND (? IS NULL OR i.project_id = ?) AND (? IS NULL OR i.batch = ?) AND i.seq > ?
         ORDER BY i.seq LIMIT 1`,
      ),
      seqOf: db.prepare<[string], { seq: number }>('SELECT seq FROM review_items WHERE submission_id = ?'),
      images: db.prepare<[], { sha256: string; mime: string }>(
        `SELECT DISTINCT image_sha256 AS sha256, image_mime AS mime FROM review_items
         WHERE image_sha256 IS NOT NULL AND image_mime IS NOT NULL AND (status = 'pending' OR verdict_id IN
           (SELECT id FROM review_verdicts WHERE delivery = 'waiting')) ORDER BY seq`,
      ),
      addFeedback: db.prepare(
        `INSERT INTO review_feedback (verdict_id, task_id, submission_id, reviewer_id, at, reason, note, comments)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (verdict_id) DO NOTHING`,
      ),
      feedback: db.prepare<[string]>(
        'SELECT * FROM review_feedback WHERE task_id = ? ORDER BY at DESC, verdict_id',
      ),
      projectName: db.prepare<[string, string], { name: string }>(
        `SELECT name FROM review_projects WHERE id = ? UNION ALL SELECT name FROM projects WHERE id = ? LIMIT 1`,
      ),
      projectOfTask: db.prepare<[string, string], { project_id: string }>(
        `SELECT project_id FROM review_items WHERE task_id = ?
         UNION ALL SELECT project_id FROM tasks WHERE id = ? AND hub_lease_epoch IS NOT NULL LIMIT 1`,
      ),
      batchOfTask: db.prepare<[string], { batch: string }>(
        'SELECT batch FROM review_items WHERE task_id = ? ORDER BY seq DESC LIMIT 1',
      ),
      userName: db.prepare<[string, string], { name: string }>(
        `SELECT user_name AS name FROM review_versions WHERE user_id = ?
         UNION ALL SELECT reviewer_name FROM review_verdicts WHERE reviewer_id = ? LIMIT 1`,
      ),
      ownSubmissions: db.prepare<[string]>(
        'SELECT id, annotation, submitted_at FROM submissions WHERE task_id = ? ORDER BY seq',
      ),
      meta: db.prepare<[string], { value: string }>('SELECT value FROM review_meta WHERE key = ?'),
      setMeta: db.prepare<[string, string]>(
        'INSERT INTO review_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
    };
  }

  upsertProject(p: ReviewProject, at: number): void {
    this.s.upsertProject.run(
      p.id,
      p.name,
      p.kind,
      JSON.stringify(p.labelConfig),
      p.leaseHours,
      p.overlap,
      JSON.stringify(p.rejectReasons),
      at,
    );
  }

  project(id: string): ReviewProject | null {
    const raw = this.s.project.get(id);
    if (raw === undefined) return null;
    const r = parseRow(ReviewProjectRow, 'review_projects', raw);
    return { ...projectOfRow(r), rejectReasons: r.reject_reasons };
  }

  /** Adds (or renews) leased items with their versions and verdicts; call in a transaction. */
  addItems(items: readonly NewReviewItem[], at: number): void {
    for (const it of items) {
      const image = it.task.data.kind === 'image' ? it.task.data.image : null;
      this.s.upsertItem.run(
        it.submissionId,
        it.taskId,
        it.projectId,
        it.batch,
        it.title,
        JSON.stringify(it.task),
        image?.sha256 ?? null,
        image?.mime ?? null,
        it.epoch,
        Math.trunc(it.expiresAtLocal),
        it.submission.userId,
        it.submission.userName,
        it.submission.at,
        it.submission.activeMs,
        it.versions.length + 1,
        at,
      );
      for (const v of [...it.versions, it.submission]) this.upsertVersion(it.taskId, v);
      for (const v of it.verdicts) this.upsertHubVerdict(it.taskId, v);
    }
  }

  upsertVersion(taskId: string, v: TaskVersion & { annotation: Annotation }): void {
    this.s.upsertVersion.run(
      v.id,
      taskId,
      v.source,
      v.userId,
      v.userName,
      v.at,
      v.activeMs,
      v.conflict ? 1 : 0,
      v.superseded ? 1 : 0,
      JSON.stringify(v.annotation),
    );
  }

  upsertHubVerdict(taskId: string, v: Verdict): void {
    this.s.upsertHubVerdict.run(
      v.id,
      v.submissionId,
      taskId,
      v.kind,
      v.reviewerId,
      v.reviewerName,
      v.at,
      v.activeMs,
      v.reason ?? null,
      v.note ?? null,
      JSON.stringify(v.comments),
      v.fixVersionId ?? null,
      v.flag ?? null,
      v.flag ? 'flagged' : 'delivered',
    );
  }

  /** Records a verdict given here and decides its item; false when the item was not pending. */
  decide(v: NewVerdict): boolean {
    const changed = this.s.decide.run(v.kind, v.id, v.at, v.submissionId).changes;
    if (changed === 0) return false;
    this.s.insertLocalVerdict.run(
      v.id,
      v.submissionId,
      v.taskId,
      v.kind,
      v.reviewerId,
      v.reviewerName,
      v.at,
      v.activeMs,
      v.reason,
      v.note,
      JSON.stringify(v.comments),
      v.fixVersionId,
    );
    return true;
  }

  /** The hub answered a verdict given here. */
  answer(
    verdictId: string,
    a:
      | { delivery: 'delivered' }
      | { delivery: 'flagged' }
      | { delivery: 'refused'; reason: string; field: string | null; message: string | null },
  ): void {
    if (a.delivery === 'refused') this.s.answer.run('refused', null, a.reason, a.field, a.message, verdictId);
    else
      this.s.answer.run(
        a.delivery,
        a.delivery === 'flagged' ? 'conflict' : null,
        null,
        null,
        null,
        verdictId,
      );
  }

  item(submissionId: string): ReviewItemSummary | null {
    const raw = this.s.item.get(submissionId);
    return raw === undefined ? null : toSummary(parseRow(ReviewItemRow, 'review_items', raw));
  }

  itemTask(submissionId: string): Task | null {
    const raw = this.s.itemTask.get(submissionId);
    return raw === undefined ? null : parseRow(ReviewTaskRow, 'review_items', raw).task;
  }

  /** A project's items awaiting a verdict under a live lease, and how many of them wait for their image. */
  queueDepth(projectId: string, now: number): { pending: number; imagesWaiting: number } {
    const r = this.s.queueDepth.get(projectId, Math.trunc(now));
    return { pending: r?.pending ?? 0, imagesWaiting: r?.images_waiting ?? 0 };
  }

  /** Whether review items of the project were ever leased here. */
  knowsProject(projectId: string): boolean {
    return this.s.knownProject.get(projectId) !== undefined;
  }

  /** When the item was first leased to this workbench (local clock): its review time counts from there. */
  leasedAt(submissionId: string): number | null {
    return this.s.itemLeasedAt.get(submissionId)?.leased_at ?? null;
  }

  draftText(submissionId: string): string | null {
    return this.s.itemDraft.get(submissionId)?.draft ?? null;
  }

  saveDraft(submissionId: string, json: string): boolean {
    return this.s.saveDraft.run(json, submissionId).changes > 0;
  }

  /** The hub ended a review lease (the version was replaced): shown as expired from `at`. */
  endLease(submissionId: string, epoch: number, at: number): void {
    this.s.endLease.run(Math.trunc(at), submissionId, epoch);
  }

  /** A pull renewed the hub's live review leases: ours, on the local clock `localNow`. */
  renewLeases(localNow: number): number {
    const at = Math.trunc(localNow);
    return this.s.renewLeases.run(at, at).changes;
  }

  versions(taskId: string): ReviewVersionView[] {
    return this.s.versions.all(taskId).map((raw) => {
      const r = parseRow(VersionRow, 'review_versions', raw);
      return {
        id: r.id,
        source: r.source,
        userId: r.user_id,
        userName: r.user_name,
        at: r.at,
        activeMs: r.active_ms,
        conflict: r.conflict === 1,
        superseded: r.superseded === 1,
        annotation: r.annotation,
      };
    });
  }

  verdicts(taskId: string): VerdictView[] {
    return this.s.verdicts.all(taskId).map(toVerdict);
  }

  /** The first pending item after `afterSeq` (0: from the start) of the project and batch. */
  nextPending(projectId: string | null, batch: string | null, afterSeq: number): string | null {
    const r = this.s.nextPending.get(projectId, projectId, batch, batch, afterSeq) as
      { submission_id: string } | undefined;
    return r?.submission_id ?? null;
  }

  seqOf(submissionId: string): number | null {
    return this.s.seqOf.get(submissionId)?.seq ?? null;
  }

  /** Images of items still to judge or whose verdict is unsent: the asset cache keeps them. */
  images(): { sha256: string; mime: string }[] {
    return this.s.images.all();
  }

  list(q: ListQuery): { items: ReviewItemSummary[]; total: number } {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (clause: string, ...values: unknown[]): void => {
      where.push(clause);
      args.push(...values);
    };
    if (q.projectId !== undefined) add('i.project_id = ?', q.projectId);
    if (q.batch !== undefined) add('i.batch = ?', q.batch);
    if (q.annotatorId !== undefined) add('i.author_id = ?', q.annotatorId);
    if (q.status && q.status.length > 0)
      add(`i.status IN (${q.status.map(() => '?').join(', ')})`, ...q.status);
    if (q.from !== undefined) add('i.submitted_at >= ?', q.from);
    if (q.to !== undefined) add('i.submitted_at < ?', q.to);
    const w = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const rows = this.db
      .prepare(`SELECT ${ITEM_COLS} ${ITEM_FROM} ${w} ORDER BY i.seq LIMIT ? OFFSET ?`)
      .all(...args, q.limit, q.offset);
    const total = (
      this.db.prepare(`SELECT count(*) AS n FROM review_items i ${w}`).get(...args) as { n: number }
    ).n;
    return { items: rows.map((r) => toSummary(parseRow(ReviewItemRow, 'review_items', r))), total };
  }

  /** Counts per project and batch (of the project when given). */
  batchCounts(projectId: string | undefined): ReviewBatchCounts[] {
    const rows = this.db
      .prepare(
        `SELECT i.project_id AS projectId, i.batch,
           sum(i.status = 'pending') AS pending, sum(i.status = 'accepted') AS accepted,
           sum(i.status = 'fixed') AS fixed, sum(i.status = 'rejected') AS rejected,
           sum(coalesce(v.delivery = 'waiting', 0)) AS waiting, sum(coalesce(v.delivery = 'refused', 0)) AS refused
         FROM review_items i LEFT JOIN review_verdicts v ON v.id = i.verdict_id
         ${projectId !== undefined ? 'WHERE i.project_id = ?' : ''}
         GROUP BY i.project_id, i.batch ORDER BY i.project_id, i.batch`,
      )
      .all(...(projectId !== undefined ? [projectId] : []));
    return rows as ReviewBatchCounts[];
  }

  annotators(projectId: string | undefined): { id: string; name: string }[] {
    return this.db
      .prepare(
        `SELECT author_id AS id, max(author_name) AS name FROM review_items
         ${projectId !== undefined ? 'WHERE project_id = ?' : ''} GROUP BY author_id ORDER BY name`,
      )
      .all(...(projectId !== undefined ? [projectId] : [])) as { id: string; name: string }[];
  }

  addFeedback(f: {
    verdictId: string;
    taskId: string;
    submissionId: string;
    reviewerId: string;
    at: number;
    reason: string;
    note: string | null;
    comments: ReviewComment[];
  }): boolean {
    return (
      this.s.addFeedback.run(
        f.verdictId,
        f.taskId,
        f.submissionId,
        f.reviewerId,
        Math.trunc(f.at),
        f.reason,
        f.note,
        JSON.stringify(f.comments),
      ).changes > 0
    );
  }

  feedback(taskId: string) {
    return this.s.feedback.all(taskId).map((raw) => parseRow(FeedbackRow, 'review_feedback', raw));
  }

  projectName(projectId: string): string | null {
    return this.s.projectName.get(projectId, projectId)?.name ?? null;
  }

  projectOfTask(taskId: string): string | null {
    return this.s.projectOfTask.get(taskId, taskId)?.project_id ?? null;
  }

  batchOfTask(taskId: string): string | null {
    return this.s.batchOfTask.get(taskId)?.batch ?? null;
  }

  /** A name seen here for a hub user (an annotator or reviewer of a stored version or verdict). */
  userName(userId: string): string | null {
    return this.s.userName.get(userId, userId)?.name ?? null;
  }

  /** The annotator's own submissions of a task here (the queue's table, read only). */
  ownSubmissions(taskId: string, me: { userId: string; userName: string }): ReviewVersionView[] {
    return this.s.ownSubmissions.all(taskId).map((raw) => {
      const r = parseRow(OwnSubmissionRow, 'submissions', raw);
      return {
        id: r.id,
        source: 'submission' as const,
        userId: me.userId,
        userName: me.userName,
        at: r.submitted_at,
        activeMs: r.annotation.activeMs,
        conflict: false,
        superseded: false,
        annotation: r.annotation,
      };
    });
  }

  meta(key: string): string | null {
    return this.s.meta.get(key)?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.s.setMeta.run(key, value);
  }
}
