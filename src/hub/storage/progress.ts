import type { BatchProgress, ProjectProgress } from '../../shared/sync';
import type { SqlExecutor } from './driver';

const count = (r: unknown): number => Number((r as { n?: unknown } | undefined)?.n ?? 0);

/** A project's counts for its lead: tasks, leases, submissions, conflicts, skips, per user and per batch. */
export const projectProgress = async (
  db: SqlExecutor,
  projectId: string,
  now: number,
): Promise<ProjectProgress> => {
  const one = async (sql: string, params: unknown[]): Promise<number> => count(await db.get(sql, params));
  const tasks = await one('SELECT COUNT(*) AS n FROM tasks WHERE project_id = ?', [projectId]);
  const done = await one('SELECT COUNT(*) AS n FROM tasks WHERE project_id = ? AND done = 1', [projectId]);
  const activeLeases = await one(
    "SELECT COUNT(*) AS n FROM leases WHERE project_id = ? AND state = 'active' AND expires_at > ?",
    [projectId, now],
  );
  const submissions = await one(
    'SELECT COUNT(*) AS n FROM submissions WHERE project_id = ? AND superseded = 0 AND conflict = 0',
    [projectId],
  );
  const conflicts = await one('SELECT COUNT(*) AS n FROM submissions WHERE project_id = ? AND conflict = 1', [
    projectId,
  ]);
  const skips = await one("SELECT COUNT(*) AS n FROM leases WHERE project_id = ? AND state = 'skipped'", [
    projectId,
  ]);
  const perUser = (
    await db.all(
      `SELECT u.id, u.name,
           (SELECT COUNT(*) FROM submissions s WHERE s.project_id = ? AND s.user_id = u.id AND s.superseded = 0 AND s.conflict = 0) AS submitted,
           (SELECT COUNT(*) FROM leases l WHERE l.project_id = ? AND l.user_id = u.id AND l.state = 'active' AND l.expires_at > ?) AS active
         FROM users u WHERE EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.project_id = ?)
         ORDER BY u.name`,
      [projectId, projectId, now, projectId],
    )
  ).map((r) => ({
    userId: String(r.id),
    name: String(r.name),
    submitted: Number(r.submitted),
    activeLeases: Number(r.active),
  }));
  return {
    projectId,
    tasks,
    done,
    activeLeases,
    submissions,
    conflicts,
    skips,
    perUser,
    batches: await batchProgress(db, projectId),
  };
};

/** Tasks and review states per batch (a lead's view of what is handed over and audited). */
const batchProgress = async (db: SqlExecutor, projectId: string): Promise<BatchProgress[]> => {
  const out = new Map<string, BatchProgress>();
  const of = (batch: string): BatchProgress => {
    let b = out.get(batch);
    if (!b) {
      b = { batch, tasks: 0, done: 0, pending: 0, accepted: 0, fixed: 0, rejected: 0, inRework: 0 };
      out.set(batch, b);
    }
    return b;
  };
  for (const r of await db.all(
    'SELECT batch, COUNT(*) AS n, SUM(done) AS d FROM tasks WHERE project_id = ? GROUP BY batch',
    [projectId],
  )) {
    const b = of(String(r.batch));
    b.tasks = Number(r.n);
    b.done = Number(r.d ?? 0);
  }
  for (const r of await db.all(
    'SELECT batch, status, reworked, COUNT(*) AS n FROM reviews WHERE project_id = ? GROUP BY batch, status, reworked',
    [projectId],
  )) {
    const b = of(String(r.batch));
    const n = Number(r.n);
    if (r.status === 'pending') b.pending += n;
    else if (r.status === 'accepted') b.accepted += n;
    else if (r.status === 'fixed') b.fixed += n;
    else if (r.status === 'rejected') {
      b.rejected += n;
      if (Number(r.reworked) === 0) b.inRework += n;
    }
  }
  return [...out.values()].sort((a, b) => (a.batch < b.batch ? -1 : a.batch > b.batch ? 1 : 0));
};
