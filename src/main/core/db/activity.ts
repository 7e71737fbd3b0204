import {
  appendLink,
  canonicalJson,
  genesisHead,
  type ActiveInterval,
  type ActivityChainEvent,
  type ChainHead,
  type ChainLink,
  type PresenceBatch,
  type TaskActivity,
} from '../../../shared/metrics';
import type { ActivityKind } from '../../../shared/model';
import type { Db } from './open';

export const ACTIVITY_SQL = {
  head: 'SELECT seq, hash FROM activity_chain ORDER BY seq DESC LIMIT 1',
  chainId: "SELECT value FROM activity_meta WHERE key = 'chain_id'",
  insert: `INSERT INTO activity_chain (seq, at, kind, task_id, event, prev_hash, hash)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
  insertActive: 'INSERT INTO active_time (from_at, ms, task_id) VALUES (?, ?, ?)',
  activeSince: 'SELECT coalesce(sum(ms), 0) AS ms FROM active_time WHERE from_at >= ?',
  taskActive: 'SELECT coalesce(sum(ms), 0) AS ms, min(from_at) AS first FROM active_time WHERE task_id = ?',
  taskFirstLink: 'SELECT at FROM activity_chain WHERE task_id = ? ORDER BY seq LIMIT 1',
  taskActiveSince: `SELECT coalesce(sum(ms), 0) AS ms, min(from_at) AS first FROM active_time
                    WHERE task_id = ? AND from_at >= ?`,
  linksAfter: 'SELECT seq, prev_hash, hash, event FROM activity_chain WHERE seq > ? ORDER BY seq LIMIT ?',
  outcomesSince: `SELECT event FROM activity_chain
                  WHERE kind IN ('task.submitted', 'task.skipped') AND at >= ? ORDER BY at`,
  activeIntervalsSince: 'SELECT from_at, ms, task_id FROM active_time WHERE from_at >= ? ORDER BY from_at',
  getMeta: 'SELECT value FROM activity_meta WHERE key = ?',
  setMeta: `INSERT INTO activity_meta (key, value) VALUES (?, ?)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
} as const;

/** A task's active and wall time, as the log records them. */
export type TaskTimes = { activeMs: number; wallMs: number };

/**
 * The workbench's activity log (issue 13): a hash chain of presence batches and task events, and
 * the active-time stretches derived from them. Every write runs inside the transaction of the
 * change it records; the chain head is read from the table, so a rolled-back write leaves no gap.
 */
export class ActivityLog {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      head: db.prepare<[], { seq: number; hash: string }>(ACTIVITY_SQL.head),
      chainId: db.prepare<[], { value: string }>(ACTIVITY_SQL.chainId),
      insert: db.prepare<[number, number, string, string | null, string, string, string]>(
        ACTIVITY_SQL.insert,
      ),
      insertActive: db.prepare<[number, number, string | null]>(ACTIVITY_SQL.insertActive),
      activeSince: db.prepare<[number], { ms: number }>(ACTIVITY_SQL.activeSince),
      taskActive: db.prepare<[string], { ms: number; first: number | null }>(ACTIVITY_SQL.taskActive),
      taskFirstLink: db.prepare<[string], { at: number }>(ACTIVITY_SQL.taskFirstLink),
      taskActiveSince: db.prepare<[string, number], { ms: number; first: number | null }>(
        ACTIVITY_SQL.taskActiveSince,
      ),
      linksAfter: db.prepare<
        [number, number],
        { seq: number; prev_hash: string; hash: string; event: string }
      >(ACTIVITY_SQL.linksAfter),
      outcomesSince: db.prepare<[number], { event: string }>(ACTIVITY_SQL.outcomesSince),
      activeIntervalsSince: db.prepare<[number], { from_at: number; ms: number; task_id: string | null }>(
        ACTIVITY_SQL.activeIntervalsSince,
      ),
      getMeta: db.prepare<[string], { value: string }>(ACTIVITY_SQL.getMeta),
      setMeta: db.prepare<[string, string]>(ACTIVITY_SQL.setMeta),
    };
  }

  private mustWrite(what: string): void {
    if (!this.db.inTransaction) throw new Error(`ActivityLog.${what} must run inside a transaction`);
  }

  /** The chain's id (one per workspace): its genesis hash names it. */
  chainId(): string {
    const row = this.s.chainId.get();
    if (!row) throw new Error('activity_meta has no chain_id (schema below v9?)');
    return row.value;
  }

  head(): ChainHead {
    return this.s.head.get() ?? genesisHead(this.chainId());
  }

  private appendEvent(event: ActivityChainEvent, at: number, kind: string, taskId: string | null): void {
    const { link } = appendLink(this.head(), event);
    this.s.insert.run(link.seq, at, kind, taskId, canonicalJson(event), link.prevHash, link.hash);
  }

  /** Counted active-time stretches (from the recorder), stored as they are. */
  addActive(stretches: readonly ActiveInterval[]): void {
    if (stretches.length === 0) return;
    this.mustWrite('addActive');
    for (const s of stretches)
      if (s.ms > 0) this.s.insertActive.run(Math.trunc(s.from), Math.round(s.ms), s.taskId);
  }

  /** A batch of stamped presence signals, as one link. */
  appendPresence(batch: PresenceBatch): void {
    this.mustWrite('appendPresence');
    this.appendEvent(batch, batch.signals[batch.signals.length - 1]!.at, 'presence', null);
  }

  /** The active time counted for a task and its wall time up to `at` (from its first trace here). */
  taskTimes(taskId: string, at: number): TaskTimes {
    const a = this.s.taskActive.get(taskId) ?? { ms: 0, first: null };
    const firstLink = this.s.taskFirstLink.get(taskId)?.at;
    const first = Math.min(a.first ?? at, firstLink ?? at, at);
    return { activeMs: a.ms, wallMs: at - first };
  }

  /**
   * A task's active time counted from `since` on, and the wall time from its first counted
   * stretch to `at` (a reviewer's time on one review item: since it was leased here).
   */
  taskTimesSince(taskId: string, since: number, at: number): TaskTimes {
    const a = this.s.taskActiveSince.get(taskId, since) ?? { ms: 0, first: null };
    return { activeMs: Math.round(a.ms), wallMs: a.first === null ? 0 : Math.max(0, at - a.first) };
  }

  /** A task event with the task's active and wall time; returns those times. */
  append(kind: ActivityKind, taskId: string, at: number, data: Record<string, unknown> = {}): TaskTimes {
    this.mustWrite('append');
    const times = this.taskTimes(taskId, at);
    const event: TaskActivity = { type: 'task', kind, taskId, at, ...times, data };
    this.appendEvent(event, at, kind, taskId);
    return times;
  }

  /** Active time counted with its start at or after `since` (ms epoch). */
  activeMsSince(since: number): number {
    return this.s.activeSince.get(since)?.ms ?? 0;
  }

  activeSince(since: number): ActiveInterval[] {
    return this.s.activeIntervalsSince
      .all(since)
      .map((r) => ({ from: r.from_at, ms: r.ms, taskId: r.task_id }));
  }

  /** Submitted and skipped task events at or after `since`, oldest first. */
  outcomesSince(since: number): TaskActivity[] {
    return this.s.outcomesSince.all(since).map((r) => JSON.parse(r.event) as TaskActivity);
  }

  /** Links after `seq`, for the hub. */
  linksAfter(seq: number, limit: number): ChainLink<ActivityChainEvent>[] {
    return this.s.linksAfter.all(seq, limit).map((r) => ({
      seq: r.seq,
      prevHash: r.prev_hash,
      hash: r.hash,
      event: JSON.parse(r.event) as ActivityChainEvent,
    }));
  }

  meta(key: string): string | null {
    return this.s.getMeta.get(key)?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.mustWrite('setMeta');
    this.s.setMeta.run(key, value);
  }
}
