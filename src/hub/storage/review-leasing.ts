import { z } from 'zod';
import {
  ReviewComment,
  ReviewStatus,
  VerdictStatus,
  type LeasedReview,
  type ReviewLeaseRequest,
  type TaskHistory,
  type TaskVersion,
  type Verdict,
} from '../../shared/sync';
import type { Dialect, SqlExecutor } from './driver';
import { HOUR_MS, inList, listParam } from './sql-util';

/**
 * Review leases: a pending review item is leased to one reviewer at a time (its row holds the
 * lease), never to the author of the work, with what judging it offline needs — the task, the
 * version under review, every other version and every verdict so far.
 */

const activeMsOf = (annotation: unknown): number => {
  const ms = (annotation as { activeMs?: unknown } | null)?.activeMs;
  return typeof ms === 'number' && Number.isSafeInteger(ms) && ms >= 0 ? ms : 0;
};

const SubmissionRow = z.object({
  id: z.string(),
  task_id: z.string(),
  user_id: z.string(),
  name: z.string(),
  received_at: z.coerce.number(),
  conflict: z.coerce.number(),
  superseded: z.coerce.number(),
  annotation: z.string(),
});
const VerdictRow = z.object({
  id: z.string(),
  submission_id: z.string(),
  task_id: z.string(),
  reviewer_id: z.string(),
  name: z.string(),
  kind: VerdictStatus,
  reason: z.string().nullable(),
  note: z.string().nullable(),
  comments: z.string(),
  annotation: z.string().nullable(),
  active_ms: z.coerce.number(),
  flag: z.enum(['stale', 'conflict']).nullable(),
  created_at: z.coerce.number(),
});

export interface Timeline {
  versions: TaskVersion[];
  verdicts: Verdict[];
}

/** Every version (submissions and fixes) and every verdict of the tasks, oldest first. */
export const loadTimelines = async (
  db: SqlExecutor,
  dialect: Dialect,
  taskIds: readonly string[],
): Promise<Map<string, Timeline>> => {
  const out = new Map<string, Timeline>(taskIds.map((id) => [id, { versions: [], verdicts: [] }]));
  if (taskIds.length === 0) return out;
  const ids = [listParam(dialect, [...new Set(taskIds)])];
  const subs = await db.all(
    `SELECT s.id, s.task_id, s.user_id, u.name, s.received_at, s.conflict, s.superseded, s.annotation
     FROM submissions s JOIN users u ON u.id = s.user_id WHERE ${inList(dialect, 's.task_id')}`,
    ids,
  );
  for (const raw of subs) {
    const r = SubmissionRow.parse(raw);
    const annotation = JSON.parse(r.annotation) as unknown;
    out.get(r.task_id)?.versions.push({
      id: r.id,
      source: 'submission',
      userId: r.user_id,
      userName: r.name,
      at: r.received_at,
      activeMs: activeMsOf(annotation),
      conflict: r.conflict === 1,
      superseded: r.superseded === 1,
      annotation,
    });
  }
  const verdicts = await db.all(
    `SELECT v.id, v.submission_id, v.task_id, v.reviewer_id, u.name, v.kind, v.reason, v.note, v.comments,
            v.annotation, v.active_ms, v.flag, v.created_at
     FROM verdicts v JOIN users u ON u.id = v.reviewer_id WHERE ${inList(dialect, 'v.task_id')}`,
    ids,
  );
  for (const raw of verdicts) {
    const r = VerdictRow.parse(raw);
    const t = out.get(r.task_id);
    if (!t) continue;
    const verdict: Verdict = {
      id: r.id,
      submissionId: r.submission_id,
      kind: r.kind,
      reviewerId: r.reviewer_id,
      reviewerName: r.name,
      at: r.created_at,
      activeMs: r.active_ms,
      comments: z.array(ReviewComment).parse(JSON.parse(r.comments)),
    };
    if (r.reason !== null) verdict.reason = r.reason;
    if (r.note !== null) verdict.note = r.note;
    if (r.flag !== null) verdict.flag = r.flag;
    if (r.annotation !== null) {
      // A fix is a version of its own (the annotator's stays as it was).
      verdict.fixVersionId = r.id;
      const annotation = JSON.parse(r.annotation) as unknown;
      t.versions.push({
        id: r.id,
        source: 'fix',
        userId: r.reviewer_id,
        userName: r.name,
        at: r.created_at,
        activeMs: activeMsOf(annotation),
        conflict: false,
        superseded: r.flag !== null,
        annotation,
      });
    }
    t.verdicts.push(verdict);
  }
  const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  // Within one millisecond: a superseded version came before the one that replaced it, and a
  // submission before a fix of it.
  const rank = (v: TaskVersion): number => (v.superseded ? 0 : 1) + (v.source === 'fix' ? 2 : 0);
  for (const t of out.values()) {
    t.versions.sort((a, b) => a.at - b.at || rank(a) - rank(b) || byId(a, b));
    // …and a verdict on an earlier version before one on a later version.
    const place = new Map(t.versions.map((v, i) => [v.id, i]));
    const of = (v: Verdict): number => place.get(v.submissionId) ?? 0;
    t.verdicts.sort((a, b) => a.at - b.at || of(a) - of(b) || byId(a, b));
  }
  return out;
};

const LeasedRow = z.object({
  submission_id: z.string(),
  task_id: z.string(),
  project_id: z.string(),
  batch: z.string(),
  epoch: z.coerce.number(),
  device_id: z.string(),
  expires_at: z.coerce.number(),
  status: ReviewStatus,
  data: z.string(),
  predictions: z.string(),
  meta: z.string(),
});

/** The leased items with their content, in the order of `ids`; ended leases left out. */
const withContent = async (
  tx: SqlExecutor,
  dialect: Dialect,
  ids: readonly string[],
  userId: string,
  now: number,
): Promise<LeasedReview[]> => {
  if (ids.length === 0) return [];
  const rows = (
    await tx.all(
      `SELECT r.submission_id, r.task_id, r.project_id, r.batch, r.epoch, r.device_id, r.expires_at, r.status,
              t.data, t.predictions, t.meta
       FROM reviews r JOIN tasks t ON t.id = r.task_id
       WHERE ${inList(dialect, 'r.submission_id')} AND r.reviewer_id = ?`,
      [listParam(dialect, ids), userId],
    )
  )
    .map((r) => LeasedRow.parse(r))
    .filter((r) => r.status === 'pending' && r.expires_at > now);
  const timelines = await loadTimelines(
    tx,
    dialect,
    rows.map((r) => r.task_id),
  );
  const byId = new Map(rows.map((r) => [r.submission_id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    const t = r && timelines.get(r.task_id);
    const submission = t?.versions.find((v) => v.id === id);
    if (!r || !t || !submission) return [];
    return [
      {
        submissionId: id,
        taskId: r.task_id,
        projectId: r.project_id,
        batch: r.batch,
        epoch: r.epoch,
        deviceId: r.device_id,
        expiresAt: r.expires_at,
        // Stored from a validated Task at import; read back as is (as task leases do).
        task: {
          id: r.task_id,
          projectId: r.project_id,
          data: JSON.parse(r.data) as LeasedReview['task']['data'],
          predictions: JSON.parse(r.predictions) as LeasedReview['task']['predictions'],
          meta: JSON.parse(r.meta) as LeasedReview['task']['meta'],
        },
        submission,
        versions: t.versions.filter((v) => v.id !== id),
        verdicts: t.verdicts,
      },
    ];
  });
};

/**
 * Claims review items in arrival order. On PostgreSQL the candidate rows are locked with SKIP
 * LOCKED, and a row locked FOR UPDATE is rechecked against its newest committed version, so two
 * claimers never take one item; on SQLite the transaction holds the write lock.
 */
export const claimReviews = async (
  tx: SqlExecutor,
  dialect: Dialect,
  req: ReviewLeaseRequest & { userId: string },
  now: number,
): Promise<LeasedReview[]> => {
  if (req.requestId !== undefined) {
    if (dialect === 'postgres')
      await tx.get('SELECT pg_advisory_xact_lock(hashtext(?)) AS x', [
        `review:${req.userId}:${req.requestId}`,
      ]);
    const earlier = await tx.all(
      'SELECT submission_id FROM reviews WHERE reviewer_id = ? AND request_id = ? ORDER BY created_at, pos',
      [req.userId, req.requestId],
    );
    if (earlier.length > 0)
      return withContent(
        tx,
        dialect,
        earlier.map((r) => String(r.submission_id)),
        req.userId,
        now,
      );
  }
  const project = await tx.get('SELECT lease_hours FROM projects WHERE id = ?', [req.projectId]);
  if (!project) return [];
  const expiresAt = now + Math.round(Number(project.lease_hours) * HOUR_MS);
  const batch = req.batch === undefined ? '' : ' AND batch = ?';
  const candidates = await tx.all(
    `SELECT submission_id FROM reviews
     WHERE project_id = ? AND status = 'pending' AND author_id <> ?${batch} AND (reviewer_id IS NULL OR expires_at <= ?)
     ORDER BY created_at, pos LIMIT ?${dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : ''}`,
    [req.projectId, req.userId, ...(req.batch === undefined ? [] : [req.batch]), now, req.count],
  );
  const ids = candidates.map((r) => String(r.submission_id));
  if (ids.length === 0) return [];
  // The free-item condition again: a row another claim took in between (it is rechecked after
  // the row lock) is left alone rather than leased twice.
  const taken = new Set(
    (
      await tx.all(
        `UPDATE reviews SET reviewer_id = ?, epoch = epoch + 1, device_id = ?, request_id = ?, expires_at = ?
         WHERE ${inList(dialect, 'submission_id')} AND status = 'pending' AND (reviewer_id IS NULL OR expires_at <= ?)
         RETURNING submission_id`,
        [req.userId, req.deviceId, req.requestId ?? null, expiresAt, listParam(dialect, ids), now],
      )
    ).map((r) => String(r.submission_id)),
  );
  return withContent(
    tx,
    dialect,
    ids.filter((id) => taken.has(id)),
    req.userId,
    now,
  );
};

/** A reviewer's sync renews their live review leases (at most once a minute, as task leases). */
export const renewReviewLeases = async (tx: SqlExecutor, userId: string, now: number): Promise<void> => {
  const window = `(SELECT CAST(p.lease_hours * ${HOUR_MS} AS BIGINT) FROM projects p WHERE p.id = reviews.project_id)`;
  await tx.run(
    `UPDATE reviews SET expires_at = ? + ${window}
     WHERE reviewer_id = ? AND status = 'pending' AND expires_at > ? AND expires_at < ? + ${window} - 60000`,
    [now, userId, now, now],
  );
};

/** A task's whole timeline; undefined for an unknown task. */
export const taskHistory = async (
  db: SqlExecutor,
  dialect: Dialect,
  taskId: string,
): Promise<TaskHistory | undefined> => {
  const task = await db.get('SELECT id, project_id, batch FROM tasks WHERE id = ?', [taskId]);
  if (!task) return undefined;
  const last = await db.get(
    // Within one millisecond, an item reworked or superseded is older than the one after it.
    `SELECT status FROM reviews WHERE task_id = ?
     ORDER BY created_at DESC, reworked, CASE WHEN status = 'superseded' THEN 1 ELSE 0 END, pos DESC LIMIT 1`,
    [taskId],
  );
  const t = (await loadTimelines(db, dialect, [taskId])).get(taskId) ?? { versions: [], verdicts: [] };
  return {
    taskId,
    projectId: String(task.project_id),
    batch: String(task.batch),
    ...(last ? { reviewStatus: ReviewStatus.parse(last.status) } : {}),
    versions: t.versions,
    verdicts: t.verdicts,
  };
};
