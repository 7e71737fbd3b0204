import { z } from 'zod';
import { LEASE_RENEW_AFTER_MS, type LeasedTask } from '../../shared/sync';
import type { Dialect, SqlExecutor } from './driver';
import { StorageRefusal } from './errors';
import { appendFeed, type NewFeedEvent } from './feed';
import { goldCandidates, goldDue, mixIn } from './gold-leasing';
import { HOUR_MS, inList, insertRows, jsonRows, listParam, rowsParams } from './sql-util';

const ProjectRow = z.object({
  lease_hours: z.coerce.number(),
  overlap: z.coerce.number(),
  gold_rate: z.coerce.number(),
});
const LeaseState = z.object({
  task_id: z.string(),
  epoch: z.coerce.number(),
  user_id: z.string(),
  state: z.string(),
  expires_at: z.coerce.number(),
});
const CandidateRow = z.object({
  id: z.string(),
  lease_epoch: z.coerce.number(),
  done_count: z.coerce.number(),
  done: z.coerce.number(),
  data: z.string(),
  predictions: z.string(),
  meta: z.string(),
});
type CandidateRow = z.infer<typeof CandidateRow>;

export interface ClaimRequest {
  userId: string;
  deviceId: string;
  projectId: string;
  count: number;
  /** The client's id for this request: a retry with the same id gets the same leases back. */
  requestId?: string;
}

/**
 * Candidate tasks: open, not full (by the `full_until` hint), and not live-leased, submitted or
 * skipped by this user (a hashed NOT IN, cheap whatever the planner's estimates). On PostgreSQL
 * the rows are locked with SKIP LOCKED so concurrent hub processes take different tasks; a row
 * locked FOR UPDATE is returned as its newest committed version, so its epoch and counts (and
 * its content, for the answer) are current. The `full_until` hint may be stale-low (a renewed
 * lease), never stale-high, and the lease recheck below is authoritative: it reads leases in a
 * fresh statement, which a READ COMMITTED subquery would not.
 */
const candidateSql = (dialect: Dialect, skipLocked: boolean): string => `
  SELECT t.id, t.lease_epoch, t.done_count, t.done, t.data, t.predictions, t.meta FROM tasks t
  WHERE t.project_id = ? AND t.done = 0 AND t.full_until <= ? AND t.gold = 0
    AND t.id NOT IN (SELECT l.task_id FROM leases l WHERE l.user_id = ? AND l.project_id = ?
                     AND (l.state IN ('submitted', 'skipped') OR (l.state = 'active' AND l.expires_at > ?)))
  ORDER BY t.seq
  LIMIT ?${dialect === 'postgres' ? ` FOR UPDATE OF t${skipLocked ? ' SKIP LOCKED' : ''}` : ''}`;

/** Sets each task's `full_until` (and bumps its epoch when leasing it) in one statement. */
export const setHints = async (
  tx: SqlExecutor,
  hints: Map<string, number>,
  bumpEpoch: boolean,
): Promise<Map<string, number>> => {
  const out = new Map<string, number>();
  if (hints.size === 0) return out;
  const rows = await tx.all(
    `UPDATE tasks SET full_until = v.c1${bumpEpoch ? ', lease_epoch = tasks.lease_epoch + 1' : ''}
     FROM (${jsonRows(tx.dialect, ['text', 'int'])}) AS v WHERE tasks.id = v.c0 AND ${inList(tx.dialect, 'tasks.id')}
     RETURNING tasks.id, tasks.lease_epoch`,
    // The ids as a list too, so tasks are reached through the primary key (see leaseTasks).
    [...rowsParams(tx.dialect, ['text', 'int'], [...hints]), listParam(tx.dialect, [...hints.keys()])],
  );
  for (const r of rows) out.set(String(r.id), Number(r.lease_epoch));
  return out;
};

/** A lease row's columns, in insert order; a rework lease (reviewing.ts) has no request id. */
export const LEASE_COLS = [
  ['task_id', 'text'],
  ['epoch', 'int'],
  ['project_id', 'text'],
  ['user_id', 'text'],
  ['device_id', 'text'],
  ['state', 'text'],
  ['granted_at', 'int'],
  ['expires_at', 'int'],
  ['updated_at', 'int'],
  ['request_id', 'text'],
] as const;

interface Grant {
  projectId: string;
  userId: string;
  deviceId: string;
  now: number;
  expiresAt: number;
  requestId: string | null;
}

/**
 * Leases the eligible tasks (their new `full_until` hints given): bumps each task's epoch, sets
 * its hint and inserts its lease row. On PostgreSQL that is one statement — the lease rows are
 * made from the UPDATE's RETURNING, so 1,000 leases cost one round trip and bind only the hints.
 * The ids are also given as a list so the join reaches tasks through the primary key; joined on
 * the unnest alone, the planner hashed a scan of every task in the table.
 */
const leaseTasks = async (
  tx: SqlExecutor,
  eligible: Map<string, number>,
  g: Grant,
): Promise<Map<string, number>> => {
  if (eligible.size === 0) return new Map();
  if (tx.dialect === 'sqlite') {
    const bumped = await setHints(tx, eligible, true);
    const rows = [...bumped].map(([id, epoch]) => [
      id,
      epoch,
      g.projectId,
      g.userId,
      g.deviceId,
      'active',
      g.now,
      g.expiresAt,
      g.now,
      g.requestId,
    ]);
    await insertRows(tx, 'leases', LEASE_COLS, rows);
    return bumped;
  }
  const rows = await tx.all(
    `WITH u AS (
       UPDATE tasks SET full_until = v.c1, lease_epoch = tasks.lease_epoch + 1
       FROM (${jsonRows(tx.dialect, ['text', 'int'])}) AS v WHERE tasks.id = v.c0 AND ${inList(tx.dialect, 'tasks.id')} RETURNING tasks.id, tasks.lease_epoch),
     l AS (
       INSERT INTO leases (${LEASE_COLS.map(([n]) => n).join(', ')})
       SELECT u.id, u.lease_epoch, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), 'active', CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT) FROM u)
     SELECT id, lease_epoch FROM u`,
    [
      ...rowsParams(tx.dialect, ['text', 'int'], [...eligible]),
      listParam(tx.dialect, [...eligible.keys()]),
      g.projectId,
      g.userId,
      g.deviceId,
      g.now,
      g.expiresAt,
      g.now,
      g.requestId,
    ],
  );
  return new Map(rows.map((r) => [String(r.id), Number(r.lease_epoch)]));
};

export const claimTasks = async (
  tx: SqlExecutor,
  dialect: Dialect,
  req: ClaimRequest,
  now: number,
): Promise<LeasedTask[]> => {
  if (req.requestId !== undefined) {
    // Two retries of one request racing on two hub processes must not both claim.
    if (dialect === 'postgres')
      await tx.get('SELECT pg_advisory_xact_lock(hashtext(?)) AS x', [
        `lease:${req.userId}:${req.requestId}`,
      ]);
    const earlier = await leasesOfRequest(tx, req.userId, req.requestId, now);
    if (earlier) return earlier;
  }
  const projectRow = await tx.get('SELECT lease_hours, overlap, gold_rate FROM projects WHERE id = ?', [
    req.projectId,
  ]);
  // A hub admin may lease from any project id, so this is the first place an unknown one shows.
  if (!projectRow) throw new StorageRefusal('NOT_FOUND', `no project ${req.projectId}`);
  const project = ProjectRow.parse(projectRow);
  const expiresAt = now + Math.round(project.lease_hours * HOUR_MS);
  const granted: { row: CandidateRow; epoch: number }[] = [];
  const feed: NewFeedEvent[] = [];
  const grant: Grant = {
    projectId: req.projectId,
    userId: req.userId,
    deviceId: req.deviceId,
    now,
    expiresAt,
    requestId: req.requestId ?? null,
  };

  // A few rounds: a no-longer-eligible candidate is dropped (its hint repaired) and the next
  // ones looked at. On PostgreSQL, rows another claim holds are skipped first; if that leaves
  // the request short, the next round waits for them (in seq order) instead, since with overlap
  // > 1, or a claim that leases fewer than it locked, they may still have room for this user.
  // Gold tasks due in this claim (gold-leasing.ts) leave room among the ordinary ones.
  const due = await goldDue(tx, req, project.gold_rate);
  const ordinary = req.count - due;
  let skipLocked = true;
  for (let round = 0; round < 8 && granted.length < ordinary; round++) {
    const want = ordinary - granted.length;
    const rows = (
      await tx.all(candidateSql(dialect, skipLocked), [
        req.projectId,
        now,
        req.userId,
        req.projectId,
        now,
        want,
      ])
    ).map((r) => CandidateRow.parse(r));
    if (rows.length < want && skipLocked && dialect === 'postgres') {
      skipLocked = false;
      if (rows.length === 0) continue;
    } else if (rows.length === 0) break;
    const { eligible, repair } = await recheck(tx, rows, req, project.overlap, now, expiresAt, feed);
    await setHints(tx, repair, false);
    const bumped = await leaseTasks(tx, eligible, grant);
    for (const row of rows) {
      const epoch = bumped.get(row.id);
      if (epoch === undefined) continue;
      granted.push({ row, epoch });
      feed.push({
        userId: req.userId,
        kind: 'lease.granted',
        projectId: req.projectId,
        data: { taskId: row.id, epoch, deviceId: req.deviceId, expiresAt },
      });
    }
  }
  // No gold when the ordinary pool ran dry: a lease of gold alone would give it away.
  const gold: typeof granted = [];
  if (due > 0 && (ordinary === 0 || granted.length > 0)) {
    const rows = await goldCandidates(tx, req, due);
    const bumped = await leaseTasks(tx, new Map(rows.map((r) => [r.id, 0])), grant);
    for (const row of rows) {
      const epoch = bumped.get(row.id);
      if (epoch === undefined) continue;
      gold.push({ row, epoch });
      feed.push({
        userId: req.userId,
        kind: 'lease.granted',
        projectId: req.projectId,
        data: { taskId: row.id, epoch, deviceId: req.deviceId, expiresAt },
      });
    }
  }
  await appendFeed(tx, feed, now);
  return mixIn(granted, gold, (g) => g.row.id, req.userId).map(({ row, epoch }) =>
    leasedTask(row, req.projectId, epoch, req.deviceId, expiresAt),
  );
};

/**
 * A stored task as the lease answer carries it. The row's JSON was written by the hub from a
 * zod-validated Task at import, so it is read back as is rather than re-validated per lease.
 */
const leasedTask = (
  row: CandidateRow,
  projectId: string,
  epoch: number,
  deviceId: string,
  expiresAt: number,
): LeasedTask => ({
  taskId: row.id,
  projectId,
  epoch,
  deviceId,
  expiresAt,
  task: {
    id: row.id,
    projectId,
    data: JSON.parse(row.data) as LeasedTask['task']['data'],
    predictions: JSON.parse(row.predictions) as LeasedTask['task']['predictions'],
    meta: JSON.parse(row.meta) as LeasedTask['task']['meta'],
  },
});

const RequestLeaseRow = CandidateRow.extend({
  project_id: z.string(),
  epoch: z.coerce.number(),
  device_id: z.string(),
  expires_at: z.coerce.number(),
});

/**
 * The leases an earlier request with this id granted, if it granted any: those still live are
 * the answer again (its first answer may have been lost); ended ones are left out.
 */
const leasesOfRequest = async (
  tx: SqlExecutor,
  userId: string,
  requestId: string,
  now: number,
): Promise<LeasedTask[] | undefined> => {
  const rows = await tx.all(
    `SELECT t.id, t.lease_epoch, t.done_count, t.done, t.data, t.predictions, t.meta, l.project_id, l.epoch, l.device_id, l.expires_at, l.state
     FROM leases l JOIN tasks t ON t.id = l.task_id WHERE l.user_id = ? AND l.request_id = ? ORDER BY l.granted_at, t.seq`,
    [userId, requestId],
  );
  if (rows.length === 0) return undefined;
  return rows
    .filter((r) => r.state === 'active' && Number(r.expires_at) > now)
    .map((raw) => {
      const r = RequestLeaseRow.parse(raw);
      return leasedTask(r, r.project_id, r.epoch, r.device_id, r.expires_at);
    });
};

/**
 * The live leases of a user on one device, with their tasks: what a workbench that lost a lease
 * answer for good (issue 16.6) needs to take those tasks back into its queue.
 */
export const heldLeases = async (
  tx: SqlExecutor,
  userId: string,
  deviceId: string,
  now: number,
): Promise<LeasedTask[]> =>
  (
    await tx.all(
      `SELECT t.id, t.lease_epoch, t.done_count, t.done, t.data, t.predictions, t.meta, l.project_id, l.epoch, l.device_id, l.expires_at
       FROM leases l JOIN tasks t ON t.id = l.task_id
       WHERE l.user_id = ? AND l.device_id = ? AND l.state = 'active' AND l.expires_at > ? ORDER BY l.granted_at, t.seq`,
      [userId, deviceId, now],
    )
  ).map((raw) => {
    const r = RequestLeaseRow.parse(raw);
    return leasedTask(r, r.project_id, r.epoch, r.device_id, r.expires_at);
  });

/**
 * Fresh read of the leases of the locked candidates. Returns the eligible ones with the
 * `full_until` each will have once leased (the earliest live expiry when the grant fills it,
 * else 0), the hints of full candidates to repair, and marks leases that ran out as expired
 * (telling their holders through the feed).
 */
const recheck = async (
  tx: SqlExecutor,
  tasks: readonly CandidateRow[],
  { userId, projectId }: ClaimRequest,
  overlap: number,
  now: number,
  expiresAt: number,
  feed: NewFeedEvent[],
): Promise<{ eligible: Map<string, number>; repair: Map<string, number> }> => {
  const leases = (
    await tx.all(
      `SELECT task_id, epoch, user_id, state, expires_at FROM leases WHERE ${inList(tx.dialect, 'task_id')} AND state IN ('active', 'submitted', 'skipped')`,
      [
        listParam(
          tx.dialect,
          tasks.map((t) => t.id),
        ),
      ],
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
      // No live lease means completions alone fill it (overlap lowered): never free again.
      repair.set(t.id, Number.isFinite(earliest) ? earliest : Number.MAX_SAFE_INTEGER);
      continue;
    }
    if (mine) continue;
    eligible.set(t.id, live.length + 1 + t.done_count >= overlap ? Math.min(earliest, expiresAt) : 0);
    expired.push(...ls.filter((l) => l.state === 'active' && l.expires_at <= now));
  }
  for (const l of expired) {
    await tx.run(
      "UPDATE leases SET state = 'expired', updated_at = ? WHERE task_id = ? AND epoch = ? AND state = 'active'",
      [now, l.task_id, l.epoch],
    );
    feed.push({
      userId: l.user_id,
      kind: 'lease.revoked',
      projectId,
      data: { taskId: l.task_id, epoch: l.epoch, reason: 'expired' },
    });
  }
  return { eligible, repair };
};

/**
 * On each sync: the user's leases that ran out are marked expired (and reported through the
 * feed), the live ones are renewed for their project's lease window.
 */
export const expireAndRenew = async (
  tx: SqlExecutor,
  userId: string,
  deviceId: string | undefined,
  now: number,
): Promise<void> => {
  const stale = (
    await tx.all(
      "SELECT task_id, epoch, project_id FROM leases WHERE user_id = ? AND state = 'active' AND expires_at <= ?",
      [userId, now],
    )
  ).map((r) => ({ taskId: String(r.task_id), epoch: Number(r.epoch), projectId: String(r.project_id) }));
  const feed: NewFeedEvent[] = [];
  for (const l of stale) {
    const changed = await tx.run(
      "UPDATE leases SET state = 'expired', updated_at = ? WHERE task_id = ? AND epoch = ? AND state = 'active' AND expires_at <= ?",
      [now, l.taskId, l.epoch, now],
    );
    if (changed > 0)
      feed.push({
        userId,
        kind: 'lease.revoked',
        projectId: l.projectId,
        data: { taskId: l.taskId, epoch: l.epoch, reason: 'expired' },
      });
  }
  await appendFeed(tx, feed, now);
  const device = deviceId === undefined ? '' : ' AND device_id = ?';
  // Leases touched within the last minute are fresh enough: renewing them again on every push
  // of a busy client would rewrite thousands of rows for nothing.
  const staleBefore = now - RENEW_AFTER_MS;
  await tx.run(
    `UPDATE leases SET updated_at = ?, expires_at = ? + (SELECT CAST(p.lease_hours * ${HOUR_MS} AS BIGINT) FROM projects p WHERE p.id = leases.project_id)
     WHERE user_id = ? AND state = 'active' AND expires_at > ? AND updated_at < ?${device}`,
    deviceId === undefined
      ? [now, now, userId, now, staleBefore]
      : [now, now, userId, now, staleBefore, deviceId],
  );
};

/** A live lease is renewed by a sync at most this often (shared: the CLI's minimum lease uses it). */
const RENEW_AFTER_MS = LEASE_RENEW_AFTER_MS;
