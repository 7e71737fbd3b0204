import type { SqlExecutor } from './driver';
import { inList, jsonRows, listParam, rowsParams } from './sql-util';

/**
 * The per-task review rollup the team figures read (hub migration 13, `review_rollup`): for
 * each task and author with an applied verdict (flag null) on any of their submissions of it,
 * the time of their first submitted task event on it (`first_at`, from the activity chain), the
 * kind of the earliest applied verdict on their earliest submission (version 1, by received_at
 * then id; null when that version has none) and how many applied verdicts rejected their work.
 * Kept in the transactions that write what it is computed from: verdicts and submissions (a
 * push), task events (an activity push). Each refresh recomputes a row from its task's few
 * rows, so it always equals REVIEW_ROLLUP_BACKFILL (migrations.ts) over the same data.
 */

/** Recomputed columns of one rollup row, for the row's task `k.c0` and author `k.c1`. */
const ROW = `(SELECT MIN(a.at) FROM activity_links a WHERE a.project_id = t.project_id AND a.task_id = k.c0
                 AND a.user_id = k.c1 AND a.kind = 'task.submitted'),
             (SELECT fv.kind FROM submissions s
                LEFT JOIN verdicts fv ON fv.project_id = t.project_id AND fv.submission_id = s.id
                                     AND fv.task_id = s.task_id AND fv.flag IS NULL
               WHERE s.task_id = k.c0 AND s.user_id = k.c1
               ORDER BY s.received_at, s.id, fv.created_at, fv.id LIMIT 1),
             (SELECT COUNT(*) FROM verdicts v JOIN submissions s ON s.id = v.submission_id AND s.task_id = v.task_id
               WHERE v.task_id = k.c0 AND v.project_id = t.project_id AND s.user_id = k.c1
                 AND v.flag IS NULL AND v.kind = 'rejected')`;

export interface RollupKey {
  taskId: string;
  userId: string;
}

/**
 * Recomputes the rollup rows of these (task, author) pairs. `existing`: only pairs that already
 * have a row (a new submission may change nothing else: a pair without an applied verdict has
 * no row); otherwise the pairs are those of applied verdicts just written, and get a row.
 */
export const refreshReviewRollup = async (
  tx: SqlExecutor,
  keys: readonly RollupKey[],
  existing = false,
): Promise<void> => {
  const unique = [...new Map(keys.map((k) => [`${k.taskId}\u0000${k.userId}`, k])).values()];
  if (unique.length === 0) return;
  await tx.run(
    `INSERT INTO review_rollup (task_id, user_id, project_id, batch, first_at, first_kind, rejects)
     SELECT k.c0, k.c1, t.project_id, t.batch, ${ROW}
       FROM (${jsonRows(tx.dialect, ['text', 'text'])}) k JOIN tasks t ON t.id = k.c0
      WHERE ${existing ? 'EXISTS (SELECT 1 FROM review_rollup r WHERE r.task_id = k.c0 AND r.user_id = k.c1)' : '1 = 1'}
     ON CONFLICT (task_id, user_id) DO UPDATE SET first_at = excluded.first_at,
       first_kind = excluded.first_kind, rejects = excluded.rejects`,
    rowsParams(
      tx.dialect,
      ['text', 'text'],
      unique.map((k) => [k.taskId, k.userId]),
    ),
  );
};

/** A user's new submitted task events: the first submission's time of their rows, again. */
export const refreshRollupFirstAt = async (
  tx: SqlExecutor,
  userId: string,
  taskIds: readonly string[],
): Promise<void> => {
  if (taskIds.length === 0) return;
  await tx.run(
    `UPDATE review_rollup SET first_at = (SELECT MIN(a.at) FROM activity_links a
        WHERE a.project_id = review_rollup.project_id AND a.task_id = review_rollup.task_id
          AND a.user_id = review_rollup.user_id AND a.kind = 'task.submitted')
      WHERE user_id = ? AND ${inList(tx.dialect, 'task_id')}`,
    [userId, listParam(tx.dialect, [...new Set(taskIds)])],
  );
};
