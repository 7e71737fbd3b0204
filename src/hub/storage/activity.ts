import {
  canonicalJson,
  genesisHead,
  verifyChain,
  type ActivityChainEvent,
  type ChainHead,
  type ChainLink,
} from '../../shared/metrics';
import { TaskData } from '../../shared/model';
import { taskTitle } from '../../shared/model/task-title';
import type { ActivityFlag, ActivityFlagsQuery, ActivityPushResponse } from '../../shared/sync';
import type { SqlDriver, SqlExecutor } from './driver';
import { StorageRefusal } from './errors';
import { LABEL_LIMITS } from './migrations';
import { refreshRollupFirstAt } from './review-rollup';
import { inList, jsonRows, listParam, rowsParams } from './sql-util';

/** Device and hub clocks differ: a submission this close outside its lease is not flagged. */
export const LEASE_SKEW_MS = 10 * 60_000;

type Link = ChainLink<ActivityChainEvent>;
type Flag = {
  seq: number;
  kind: ActivityFlag['kind'];
  projectId: string | null;
  taskId: string | null;
  detail: string;
};

/** The rollup's bucket (activity_quarters): every time zone's midnight is on a quarter hour. */
export const QUARTER_MS = 900_000;

const num = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);

/**
 * Stores a workbench's activity links after the head the hub holds (issue 13.3), in one
 * transaction. Links the hub already holds are compared and skipped (a retried request); a link
 * that does not continue the chain (an event edited, removed, reordered or inserted, or history
 * rewritten) is refused with everything after it, and flagged. Task events are checked for
 * plausibility: a submission's active time must not exceed its wall time, and it must fall
 * inside a lease its user held on the task. Every failure becomes a flag the project's lead sees.
 */
export const recordActivity = async (
  db: SqlDriver,
  req: { userId: string; chainId: string; links: readonly Link[] },
  now: number,
): Promise<ActivityPushResponse> =>
  db.transaction(async (tx) => {
    const row = await tx.get('SELECT user_id, head_seq, head_hash FROM activity_chains WHERE chain_id = ?', [
      req.chainId,
    ]);
    if (row && String(row.user_id) !== req.userId)
      throw new StorageRefusal('FORBIDDEN', `activity chain ${req.chainId} belongs to another user`);
    const held: ChainHead = row
      ? { seq: Number(row.head_seq), hash: String(row.head_hash) }
      : genesisHead(req.chainId);
    const flags: Flag[] = [];
    let broken: ActivityPushResponse['broken'] = null;

    // A retry resends links the hub holds: they must be the very same.
    const old = req.links.filter((l) => l.seq <= held.seq);
    if (old.length > 0) {
      const stored = new Map(
        (
          await tx.all('SELECT seq, hash FROM activity_links WHERE chain_id = ? AND seq >= ? AND seq <= ?', [
            req.chainId,
            Math.min(...old.map((l) => l.seq)),
            held.seq,
          ])
        ).map((r) => [Number(r.seq), String(r.hash)]),
      );
      const changed = old.find((l) => stored.has(l.seq) && stored.get(l.seq) !== l.hash);
      if (changed) {
        broken = {
          seq: changed.seq,
          reason: 'rewritten',
          message: `seq ${changed.seq} differs from the link the hub already holds`,
        };
        flags.push({
          seq: changed.seq,
          kind: 'chain',
          projectId: null,
          taskId: null,
          detail: broken.message,
        });
      }
    }

    let good: Link[] = [];
    let head = held;
    const first = req.links.find((l) => l.seq > held.seq);
    if (!row && !broken && first && first.seq !== 1)
      // A chain this hub has never seen (a new hub): not a break, the client sends from the start.
      return {
        head,
        broken: {
          seq: first.seq,
          reason: 'seq',
          message: 'this hub holds nothing of the chain: send from seq 1',
        },
        flagged: 0,
      };
    if (!broken) {
      const fresh = req.links.filter((l) => l.seq > held.seq);
      const verdict = verifyChain(fresh, held);
      good = verdict.ok ? fresh : fresh.slice(0, verdict.index);
      head = verdict.head;
      if (!verdict.ok) {
        broken = { seq: verdict.seq, reason: verdict.reason, message: verdict.message };
        flags.push({
          seq: verdict.seq,
          kind: 'chain',
          projectId: null,
          taskId: null,
          detail: verdict.message,
        });
      }
    }

    if (good.length > 0) {
      await storeLinks(tx, req, good, flags, now);
      await tx.run(
        `INSERT INTO activity_chains (chain_id, user_id, head_seq, head_hash, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (chain_id) DO UPDATE SET head_seq = excluded.head_seq, head_hash = excluded.head_hash,
           updated_at = excluded.updated_at`,
        [req.chainId, req.userId, head.seq, head.hash, now],
      );
    }
    for (const f of flags)
      await tx.run(
        `INSERT INTO activity_flags (chain_id, seq, kind, user_id, project_id, task_id, detail, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (chain_id, seq, kind) DO NOTHING`,
        [req.chainId, f.seq, f.kind, req.userId, f.projectId, f.taskId, f.detail, now],
      );
    return { head, broken, flagged: flags.length };
  });

/** The rollup the team figures read (hub migration 12): one more outcome in its quarter hour. */
const addToQuarter = (
  tx: SqlExecutor,
  userId: string,
  task: { projectId: string; batch: string },
  submitted: boolean,
  at: number,
  activeMs: number,
  data: Record<string, unknown>,
): Promise<number> =>
  tx.run(
    `INSERT INTO activity_quarters (project_id, q, user_id, batch, submitted, skipped, active_ms, regions, spans)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (project_id, q, user_id, batch) DO UPDATE SET
       submitted = activity_quarters.submitted + excluded.submitted,
       skipped = activity_quarters.skipped + excluded.skipped,
       active_ms = activity_quarters.active_ms + excluded.active_ms,
       regions = activity_quarters.regions + excluded.regions,
       spans = activity_quarters.spans + excluded.spans`,
    [
      task.projectId,
      Math.floor(at / QUARTER_MS),
      userId,
      task.batch,
      submitted ? 1 : 0,
      submitted ? 0 : 1,
      activeMs,
      submitted ? num(data.regions) : 0,
      submitted ? num(data.spans) : 0,
    ],
  );

/**
 * A submitted task event's per-label counts as the rollup counts them (LABEL_LIMITS, the same
 * rule as `labelEntries` in migrations.ts): nothing unless `labels` is an object of at most 500
 * entries; of those, labels of 1–100 characters with a whole count from 1 to 10⁶.
 */
export const countedLabels = (data: Record<string, unknown>): [string, number][] => {
  const labels = data.labels;
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) return [];
  const entries = Object.entries(labels);
  if (entries.length > LABEL_LIMITS.entries) return [];
  return entries.filter(
    (e): e is [string, number] =>
      [...e[0]].length >= 1 &&
      [...e[0]].length <= LABEL_LIMITS.nameChars &&
      typeof e[1] === 'number' &&
      Number.isInteger(e[1]) &&
      e[1] >= 1 &&
      e[1] <= LABEL_LIMITS.count,
  );
};

const LABEL_COLS = ['text', 'int', 'text', 'text', 'text', 'int'] as const;

/** Adds a push's per-label counts to activity_label_quarters (hub migration 13), one statement. */
const addLabelsToQuarters = async (tx: SqlExecutor, sums: Map<string, unknown[]>): Promise<void> => {
  if (sums.size === 0) return;
  await tx.run(
    `INSERT INTO activity_label_quarters (project_id, q, user_id, batch, label, n)
     SELECT c0, c1, c2, c3, c4, c5 FROM (${jsonRows(tx.dialect, LABEL_COLS)}) v WHERE 1 = 1
     ON CONFLICT (project_id, q, user_id, batch, label) DO UPDATE SET n = activity_label_quarters.n + excluded.n`,
    rowsParams(tx.dialect, LABEL_COLS, [...sums.values()]),
  );
};

const storeLinks = async (
  tx: SqlExecutor,
  req: { userId: string; chainId: string },
  links: readonly Link[],
  flags: Flag[],
  now: number,
): Promise<void> => {
  const taskIds = [...new Set(links.flatMap((l) => (l.event.type === 'task' ? [l.event.taskId] : [])))];
  const tasks = new Map<string, { projectId: string; batch: string }>();
  if (taskIds.length > 0)
    for (const r of await tx.all(
      `SELECT id, project_id, batch FROM tasks WHERE ${inList(tx.dialect, 'id')}`,
      [listParam(tx.dialect, taskIds)],
    ))
      tasks.set(String(r.id), { projectId: String(r.project_id), batch: String(r.batch) });

  const labelSums = new Map<string, unknown[]>();
  const submittedTasks: string[] = [];
  for (const l of links) {
    const e = l.event;
    const task = e.type === 'task' ? tasks.get(e.taskId) : undefined;
    const at = e.type === 'task' ? e.at : e.signals[e.signals.length - 1]!.at;
    await tx.run(
      `INSERT INTO activity_links (chain_id, seq, hash, user_id, kind, task_id, project_id, batch, at,
         active_ms, wall_ms, regions, spans, event, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        req.chainId,
        l.seq,
        l.hash,
        req.userId,
        e.type === 'task' ? e.kind : 'presence',
        e.type === 'task' ? e.taskId : null,
        task?.projectId ?? null,
        task?.batch ?? null,
        at,
        e.type === 'task' ? e.activeMs : 0,
        e.type === 'task' ? e.wallMs : 0,
        e.type === 'task' ? num(e.data.regions) : 0,
        e.type === 'task' ? num(e.data.spans) : 0,
        canonicalJson(e),
        now,
      ],
    );
    if (e.type === 'task' && task && (e.kind === 'task.submitted' || e.kind === 'task.skipped'))
      await addToQuarter(tx, req.userId, task, e.kind === 'task.submitted', e.at, e.activeMs, e.data);
    if (e.type === 'task' && task && e.kind === 'task.submitted') {
      submittedTasks.push(e.taskId);
      const q = Math.floor(e.at / QUARTER_MS);
      for (const [label, n] of countedLabels(e.data)) {
        const key = JSON.stringify([task.projectId, q, task.batch, label]);
        const row = labelSums.get(key);
        if (row) row[5] = Number(row[5]) + n;
        else labelSums.set(key, [task.projectId, q, req.userId, task.batch, label, n]);
      }
    }
    // Events counted by the editors' old timers (before the recorder) are kept, not judged.
    if (e.type !== 'task' || e.kind !== 'task.submitted' || e.data.legacy === true) continue;
    const base = { seq: l.seq, projectId: task?.projectId ?? null, taskId: e.taskId };
    if (e.activeMs > e.wallMs)
      flags.push({
        ...base,
        kind: 'active-over-wall',
        detail: `active ${Math.round(e.activeMs / 1000)} s exceeds wall ${Math.round(e.wallMs / 1000)} s`,
      });
    if (task) {
      const lease = await tx.get(
        'SELECT 1 AS ok FROM leases WHERE task_id = ? AND user_id = ? AND granted_at <= ? AND expires_at >= ? LIMIT 1',
        [e.taskId, req.userId, e.at + LEASE_SKEW_MS, e.at - LEASE_SKEW_MS],
      );
      if (!lease)
        flags.push({
          ...base,
          kind: 'outside-lease',
          detail: `submitted at ${new Date(e.at).toISOString()}, outside every lease of this user on the task`,
        });
    }
  }
  await addLabelsToQuarters(tx, labelSums);
  await refreshRollupFirstAt(tx, req.userId, submittedTasks);
};

/** A flagged task's title from its stored data (`taskTitle`); its id when the data does not parse. */
const titleOf = (taskId: string, data: unknown): string => {
  try {
    const parsed = TaskData.safeParse(JSON.parse(String(data)));
    return parsed.success ? taskTitle(parsed.data) : taskId;
  } catch {
    return taskId;
  }
};

/**
 * A project's flags, newest first: those on its tasks and chain breaks of its members, raised
 * in the range when one is given, each with its task's title.
 */
export const activityFlags = async (
  db: SqlExecutor,
  projectId: string,
  range: ActivityFlagsQuery = {},
  limit = 1000,
): Promise<ActivityFlag[]> =>
  (
    await db.all(
      `SELECT f.chain_id, f.seq, f.kind, f.user_id, u.name, f.project_id, f.task_id, t.data AS task_data, f.detail, f.at
         FROM activity_flags f JOIN users u ON u.id = f.user_id LEFT JOIN tasks t ON t.id = f.task_id
        WHERE (f.project_id = ?
           OR (f.project_id IS NULL AND f.user_id IN (SELECT user_id FROM memberships WHERE project_id = ?)))${
             range.from !== undefined ? ' AND f.at >= ?' : ''
           }${range.to !== undefined ? ' AND f.at < ?' : ''}
        ORDER BY f.at DESC, f.seq DESC LIMIT ?`,
      [
        projectId,
        projectId,
        ...(range.from !== undefined ? [range.from] : []),
        ...(range.to !== undefined ? [range.to] : []),
        limit,
      ],
    )
  ).map((r) => ({
    chainId: String(r.chain_id),
    seq: Number(r.seq),
    kind: String(r.kind) as ActivityFlag['kind'],
    userId: String(r.user_id),
    userName: String(r.name),
    projectId: r.project_id === null ? null : String(r.project_id),
    taskId: r.task_id === null ? null : String(r.task_id),
    taskTitle:
      r.task_id === null ? null : r.task_data === null ? null : titleOf(String(r.task_id), r.task_data),
    detail: String(r.detail),
    at: Number(r.at),
  }));
