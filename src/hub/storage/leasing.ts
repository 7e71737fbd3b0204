import { z } from 'zod';
import { Task } from '../../shared/model';
import type { LeasedTask } from '../../shared/sync';
import type { Dialect, SqlExecutor } from './driver';
import { appendFeed, type NewFeedEvent } from './feed';
import { chunks, HOUR_MS, placeholders, valuesRows } from './sql-util';

const ProjectRow = z.object({ lease_hours: z.coerce.number(), overlap: z.coerce.number() });
const TaskState = z.object({ id: z.string(), lease_epoch: z.coerce.number(), done_count: z.coerce.number(), done: z.coerce.number() });
const LeaseState = z.object({
  task_id: z.string(),
  epoch: z.coerce.number(),
  user_id: z.string(),
  state: z.string(),
  expires_at: z.coerce.number(),
});
const TaskRow = z.object({ id: z.string(), data: z.string(), predictions: z.string(), meta: z.string(), project_id: z.string() });

export interface ClaimRequest {
  userId: string;
  deviceId: string;
  projectId: string;
  count: number;
}

/**
 * Candidate tasks: open, not full (by the `full_until` hint), and not live-leased, submitted or
 * skipped by this user (a hashed NOT IN, cheap whatever the planner's estimates). On PostgreSQL
 * the rows are locked with SKIP LOCKED so concurrent hub processes take different tasks. The
 * hint may be stale-low (a renewed lease), never stale-high, and the recheck below is
 * authoritative: it reads leases in a fresh statement, which a READ COMMITTED subquery would not.
 */
const candidateSql = (dialect: Dialect): string => `
  SELECT t.id FROM tasks t
  WHERE t.project_id = ? AND t.done = 0 AND t.full_until <= ?
    AND t.id NOT IN (SELECT l.task_id FROM leases l WHERE l.user_id = ? AND l.project_id = ?
                     AND (l.state IN ('submitted', 'skipped') OR (l.state = 'active' AND l.expires_at > ?)))
  ORDER BY t.seq
  LIMIT ?${dialect === 'postgres' ? ' FOR UPDATE OF t SKIP LOCKED' : ''}`;

/** Sets `full_until` for groups of tasks sharing a value (usually one or two statements). */
const setHints = async (tx: SqlExecutor, hints: Map<string, number>, bumpEpoch: boolean): Promise<{ id: string; epoch: number }[]> => {
  const byValue = new Map<number, string[]>();
  for (const [id, v] of hints) byValue.set(v, [...(byValue.get(v) ?? []), id]);
  const out: { id: string; epoch: number }[] = [];
  for (const [v, ids] of byValue) {
    for (const part of chunks(ids, 500)) {
      const rows = await tx.all(
        `UPDATE tasks SET full_until = ?${bumpEpoch ? ', lease_epoch = lease_epoch + 1' : ''} WHERE id IN ${placeholders(part.length)} RETURNING id, lease_epoch`,
        [v, ...part],
      );
      out.push(...rows.map((r) => ({ id: String(r.id), epoch: Number(r.lease_epoch) })));
    }
  }
  return out;
};

export const claimTasks = async (tx: SqlExecutor, dialect: Dialect, req: ClaimRequest, now: number): Promise<LeasedTask[]> => {
  const project = ProjectRow.parse(await tx.get('SELECT lease_hours, overlap FROM projects WHERE id = ?', [req.projectId]));
  const expiresAt = now + Math.round(project.lease_hours * HOUR_MS);
  const granted: { taskId: string; epoch: number }[] = [];
  const feed: NewFeedEvent[] = [];

  // A few rounds: a locked or no-longer-eligible candidate is dropped (its hint repaired) and
  // the next ones looked at.
  for (let round = 0; round < 8 && granted.length < req.count; round++) {
    const want = req.count - granted.length;
    const ids = (await tx.all(candidateSql(dialect), [req.projectId, now, req.userId, req.projectId, now, want])).map((r) => String(r.id));
    if (ids.length === 0) break;
    const { eligible, repair } = await recheck(tx, ids, req, project.overlap, now, expiresAt, feed);
    await setHints(tx, repair, false);
    const bumped = await setHints(tx, eligible, true);
    const order = new Map(ids.map((id, i) => [id, i]));
    bumped.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
    for (const part of chunks(bumped, 500)) {
      const params: unknown[] = [];
      for (const { id: taskId, epoch } of part) {
        granted.push({ taskId, epoch });
        params.push(taskId, epoch, req.projectId, req.userId, req.deviceId, 'active', now, expiresAt, now);
        feed.push({ userId: req.userId, kind: 'lease.granted', projectId: req.projectId, data: { taskId, epoch, deviceId: req.deviceId, expiresAt } });
      }
      await tx.run(
        `INSERT INTO leases (task_id, epoch, project_id, user_id, device_id, state, granted_at, expires_at, updated_at) VALUES ${valuesRows(part.length, 9)}`,
        params,
      );
    }
  }
  await appendFeed(tx, feed, now);
  return loadLeasedTasks(tx, granted, req.deviceId, expiresAt);
};

/**
 * Fresh read of the locked candidates. Returns the eligible ones with the `full_until` each
 * will have once leased (the earliest live expiry when the grant fills it, else 0), the hints
 * of full candidates to repair, and marks leases that ran out as expired (telling their holders
 * through the feed).
 */
const recheck = async (
  tx: SqlExecutor,
  ids: string[],
  { userId, projectId }: ClaimRequest,
  overlap: number,
  now: number,
  expiresAt: number,
  feed: NewFeedEvent[],
): Promise<{ eligible: Map<string, number>; repair: Map<string, number> }> => {
  const tasks = (await tx.all(`SELECT id, lease_epoch, done_count, done FROM tasks WHERE id IN ${placeholders(ids.length)}`, ids)).map((r) => TaskState.parse(r));
  const leases = (
    await tx.all(
      `SELECT task_id, epoch, user_id, state, expires_at FROM leases WHERE task_id IN ${placeholders(ids.length)} AND state IN ('active', 'submitted', 'skipped')`,
      ids,
    )
  ).map((r) => LeaseState.parse(r));
  const byTask = new Map<string, z.infer<typeof LeaseState>[]>();
  for (const l of leases) byTask.set(l.task_id, [...(byTask.get(l.task_id) ?? []), l]);

  const eligible = new Map<string, number>();
  const repair = new Map<string, number>();
  const expired: z.infer<typeof LeaseState>[] = [];
  for (const t of tasks) {
    const ls = byTask.get(t.id) ?? [];
    const live = ls.filter((l) => l.state === 'active' && l.expires_at > now);
    const mine = ls.some((l) => l.user_id === userId && (l.state !== 'active' || l.expires_at > now));
    const earliest = Math.min(...live.map((l) => l.expires_at));
    if (t.done) continue;
    if (live.length + t.done_count >= overlap) {
      repair.set(t.id, earliest);
      continue;
    }
    if (mine) continue;
    eligible.set(t.id, live.length + 1 + t.done_count >= overlap ? Math.min(earliest, expiresAt) : 0);
    expired.push(...ls.filter((l) => l.state === 'active' && l.expires_at <= now));
  }
  for (const l of expired) {
    await tx.run("UPDATE leases SET state = 'expired', updated_at = ? WHERE task_id = ? AND epoch = ? AND state = 'active'", [now, l.task_id, l.epoch]);
    feed.push({ userId: l.user_id, kind: 'lease.revoked', projectId, data: { taskId: l.task_id, epoch: l.epoch, reason: 'expired' } });
  }
  return { eligible, repair };
};

const loadLeasedTasks = async (
  tx: SqlExecutor,
  granted: readonly { taskId: string; epoch: number }[],
  deviceId: string,
  expiresAt: number,
): Promise<LeasedTask[]> => {
  const rows = new Map<string, z.infer<typeof TaskRow>>();
  for (const part of chunks(granted, 500)) {
    const ids = part.map((g) => g.taskId);
    for (const r of await tx.all(`SELECT id, project_id, data, predictions, meta FROM tasks WHERE id IN ${placeholders(ids.length)}`, ids)) {
      const row = TaskRow.parse(r);
      rows.set(row.id, row);
    }
  }
  return granted.map((g) => {
    const r = rows.get(g.taskId);
    if (!r) throw new Error(`leased task ${g.taskId} vanished`);
    const task = Task.parse({ id: r.id, projectId: r.project_id, data: JSON.parse(r.data), predictions: JSON.parse(r.predictions), meta: JSON.parse(r.meta) });
    return { taskId: g.taskId, projectId: r.project_id, epoch: g.epoch, deviceId, expiresAt, task };
  });
};

/**
 * On each sync: the user's leases that ran out are marked expired (and reported through the
 * feed), the live ones are renewed for their project's lease window.
 */
export const expireAndRenew = async (tx: SqlExecutor, userId: string, deviceId: string | undefined, now: number): Promise<void> => {
  const stale = (
    await tx.all("SELECT task_id, epoch, project_id FROM leases WHERE user_id = ? AND state = 'active' AND expires_at <= ?", [userId, now])
  ).map((r) => ({ taskId: String(r.task_id), epoch: Number(r.epoch), projectId: String(r.project_id) }));
  const feed: NewFeedEvent[] = [];
  for (const l of stale) {
    const changed = await tx.run("UPDATE leases SET state = 'expired', updated_at = ? WHERE task_id = ? AND epoch = ? AND state = 'active' AND expires_at <= ?", [
      now,
      l.taskId,
      l.epoch,
      now,
    ]);
    if (changed > 0) feed.push({ userId, kind: 'lease.revoked', projectId: l.projectId, data: { taskId: l.taskId, epoch: l.epoch, reason: 'expired' } });
  }
  await appendFeed(tx, feed, now);
  const device = deviceId === undefined ? '' : ' AND device_id = ?';
  // Leases touched within the last minute are fresh enough: renewing them again on every push
  // of a busy client would rewrite thousands of rows for nothing.
  const staleBefore = now - RENEW_AFTER_MS;
  await tx.run(
    `UPDATE leases SET updated_at = ?, expires_at = ? + (SELECT CAST(p.lease_hours * ${HOUR_MS} AS BIGINT) FROM projects p WHERE p.id = leases.project_id)
     WHERE user_id = ? AND state = 'active' AND expires_at > ? AND updated_at < ?${device}`,
    deviceId === undefined ? [now, now, userId, now, staleBefore] : [now, now, userId, now, staleBefore, deviceId],
  );
};

/** A live lease is renewed by a sync at most this often. */
export const RENEW_AFTER_MS = 60_000;
