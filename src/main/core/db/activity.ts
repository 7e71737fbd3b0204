import type { ActivityKind } from '../../../shared/model';
import type { Db } from './open';

export const ACTIVITY_SQL = {
  activeSince: 'SELECT coalesce(sum(active_ms), 0) AS ms FROM activity_events WHERE at >= ?',
  // The key is (at, n): n numbers the events of one millisecond, found by a key-prefix search.
  insert: `INSERT INTO activity_events (at, n, kind, task_id, active_ms, data)
         VALUES (?, coalesce((SELECT max(n) FROM activity_events WHERE at = ?), 0) + 1, ?, ?, ?, ?)`,
} as const;

/** Append-only activity log, written inside the transaction of the change it records. */
export class ActivityLog {
  private readonly insert;
  private readonly activeSince;

  constructor(private readonly db: Db) {
    this.insert = db.prepare<[number, number, ActivityKind, string, number, string]>(ACTIVITY_SQL.insert);
    this.activeSince = db.prepare<[number], { ms: number }>(ACTIVITY_SQL.activeSince);
  }

  append(
    kind: ActivityKind,
    taskId: string,
    at: number,
    activeMs = 0,
    data: Record<string, unknown> = {},
  ): void {
    if (!this.db.inTransaction) throw new Error('ActivityLog.append must run inside a transaction');
    this.insert.run(at, at, kind, taskId, Math.max(0, Math.trunc(activeMs)), JSON.stringify(data));
  }

  /** Active labeling time recorded at or after `since` (ms epoch). */
  activeMsSince(since: number): number {
    return this.activeSince.get(since)?.ms ?? 0;
  }
}
