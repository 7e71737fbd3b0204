import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { SqlExecutor } from './driver';

/**
 * Gold tasks in leases (issue 12.3). A gold task is an ordinary task row (tasks.gold = 1): same
 * id form, data, assets and lease as any other, so nothing on the wire tells it apart. The
 * claim's scan skips gold rows; these helpers say how many a claim should carry so that, over
 * all of a user's leases in the project, about `gold_rate` of them are gold, pick ones the user
 * has never been handed, and shuffle them in among the ordinary tasks.
 */

const GoldRow = z.object({
  id: z.string(),
  lease_epoch: z.coerce.number(),
  done_count: z.coerce.number(),
  done: z.coerce.number(),
  data: z.string(),
  predictions: z.string(),
  meta: z.string(),
});

/** Gold tasks a claim may add: floor(rate × leases after it) minus the gold already handed out. */
export const goldDue = async (
  tx: SqlExecutor,
  req: { userId: string; projectId: string; count: number },
  rate: number,
): Promise<number> => {
  if (!(rate > 0)) return 0;
  const r = await tx.get(
    `SELECT COUNT(*) AS n, SUM(t.gold) AS g FROM leases l JOIN tasks t ON t.id = l.task_id
     WHERE l.user_id = ? AND l.project_id = ?`,
    [req.userId, req.projectId],
  );
  const total = Number(r?.n ?? 0);
  const gold = Number(r?.g ?? 0);
  return Math.max(0, Math.min(req.count, Math.floor((total + req.count) * rate + 1e-9) - gold));
};

/** Gold tasks of the project this user was never leased, up to `limit`, in seq order. */
export const goldCandidates = async (
  tx: SqlExecutor,
  req: { userId: string; projectId: string },
  limit: number,
): Promise<z.infer<typeof GoldRow>[]> => {
  if (limit <= 0) return [];
  return (
    await tx.all(
      `SELECT t.id, t.lease_epoch, t.done_count, t.done, t.data, t.predictions, t.meta FROM tasks t
       WHERE t.project_id = ? AND t.gold = 1
         AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.task_id = t.id AND l.user_id = ?)
       ORDER BY t.seq LIMIT ?${tx.dialect === 'postgres' ? ' FOR UPDATE OF t' : ''}`,
      [req.projectId, req.userId, limit],
    )
  ).map((r) => GoldRow.parse(r));
};

/**
 * Places each gold item among the ordinary ones at a position drawn from a hash of the user and
 * the task (stable, not guessable from the order of the answer).
 */
export const mixIn = <T>(
  ordinary: readonly T[],
  gold: readonly T[],
  keyOf: (t: T) => string,
  userId: string,
): T[] => {
  const out = [...ordinary];
  for (const g of gold) {
    const h = createHash('sha256')
      .update(`${userId}:${keyOf(g)}`)
      .digest()
      .readUInt32BE(0);
    out.splice(h % (out.length + 1), 0, g);
  }
  return out;
};
