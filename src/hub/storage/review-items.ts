import { createHash } from 'node:crypto';
import { ReviewPolicy } from '../../shared/sync';
import type { Dialect, SqlExecutor } from './driver';
import type { NewFeedEvent } from './feed';
import { inList, insertRows, listParam } from './sql-util';

/** Review items: which new submissions a project's policy puts up for review. */

/** The fraction of [0, 1) a task draws under a seed: the same on every hub, for every version. */
export const reviewDraw = (seed: number, taskId: string): number =>
  createHash('sha256').update(`${seed}:${taskId}`).digest().readUInt32BE(0) / 2 ** 32;

export const isSampled = (policy: ReviewPolicy, taskId: string): boolean =>
  policy === 'all'
    ? true
    : policy === 'none'
      ? false
      : reviewDraw(policy.seed, taskId) < policy.percent / 100;

export const parsePolicy = (text: string): ReviewPolicy => ReviewPolicy.parse(JSON.parse(text));

export interface NewSubmission {
  id: string;
  taskId: string;
  projectId: string;
  userId: string;
}

const ITEM_COLS = [
  ['submission_id', 'text'],
  ['task_id', 'text'],
  ['project_id', 'text'],
  ['batch', 'text'],
  ['author_id', 'text'],
  ['status', 'text'],
  ['created_at', 'int'],
  ['pos', 'int'],
] as const;

/**
 * Review items for the batch's new submissions (those standing at the end of it): made when
 * the project's policy picks the task or the task is being reworked after a rejection. An
 * item still pending for an older version of the same author is superseded (its reviewer,
 * if they hold it, is told).
 */
export const addReviewItems = async (
  tx: SqlExecutor,
  dialect: Dialect,
  subs: readonly NewSubmission[],
  now: number,
): Promise<NewFeedEvent[]> => {
  const feed: NewFeedEvent[] = [];
  if (subs.length === 0) return feed;
  const taskIds = [...new Set(subs.map((s) => s.taskId))];
  const ids = listParam(dialect, taskIds);
  const meta = new Map<string, { batch: string; policy: ReviewPolicy }>();
  const policies = new Map<string, ReviewPolicy>();
  for (const r of await tx.all(
    // Gold tasks are scored against their answers, not reviewed.
    `SELECT t.id, t.batch, p.review_policy FROM tasks t JOIN projects p ON p.id = t.project_id WHERE t.gold = 0 AND ${inList(dialect, 't.id')}`,
    [ids],
  )) {
    const text = String(r.review_policy);
    let policy = policies.get(text);
    if (!policy) policies.set(text, (policy = parsePolicy(text)));
    meta.set(String(r.id), { batch: String(r.batch), policy });
  }
  const open = await tx.all(
    `SELECT submission_id, task_id, author_id, status, reviewer_id, epoch, expires_at, project_id FROM reviews
     WHERE ${inList(dialect, 'task_id')} AND (status = 'pending' OR (status = 'rejected' AND reworked = 0))`,
    [ids],
  );
  const rework = new Set<string>();
  const superseded: string[] = [];
  const reworked: string[] = [];
  const authors = new Set(subs.map((s) => `${s.taskId}\u0000${s.userId}`));
  for (const r of open) {
    if (!authors.has(`${String(r.task_id)}\u0000${String(r.author_id)}`)) continue;
    if (r.status === 'rejected') {
      rework.add(String(r.task_id));
      reworked.push(String(r.submission_id));
      continue;
    }
    superseded.push(String(r.submission_id));
    if (r.reviewer_id !== null && Number(r.expires_at) > now)
      feed.push({
        userId: String(r.reviewer_id),
        kind: 'review.revoked',
        projectId: String(r.project_id),
        data: {
          taskId: String(r.task_id),
          submissionId: String(r.submission_id),
          epoch: Number(r.epoch),
          reason: 'superseded',
        },
      });
  }
  await setStatus(tx, dialect, superseded, "status = 'superseded'");
  await setStatus(tx, dialect, reworked, 'reworked = 1');
  // Submission ids are unique per client only (migration 7); an id another author's item
  // already has gets no item rather than failing the push.
  const itemIds = new Set(
    (
      await tx.all(`SELECT submission_id FROM reviews WHERE ${inList(dialect, 'submission_id')}`, [
        listParam(
          dialect,
          subs.map((s) => s.id),
        ),
      ])
    ).map((r) => String(r.submission_id)),
  );
  const rows = subs.flatMap((s) => {
    if (itemIds.has(s.id)) return [];
    const m = meta.get(s.taskId);
    if (!m || !(rework.has(s.taskId) || isSampled(m.policy, s.taskId))) return [];
    return [[s.id, s.taskId, s.projectId, m.batch, s.userId, 'pending', now]];
  });
  rows.forEach((r, i) => r.push(i));
  await insertRows(tx, 'reviews', ITEM_COLS, rows);
  return feed;
};

const setStatus = async (
  tx: SqlExecutor,
  dialect: Dialect,
  ids: readonly string[],
  set: string,
): Promise<void> => {
  if (ids.length === 0) return;
  await tx.run(`UPDATE reviews SET ${set} WHERE ${inList(dialect, 'submission_id')}`, [
    listParam(dialect, ids),
  ]);
};
