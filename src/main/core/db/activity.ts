import type { ActivityKind } from '../../../shared/model';
import type { Db } from './open';

export const ACTIVITY_SQL = {
  activeSince: 'SELECT coalesce(sum(active_ms), 0) AS ms FROM activity_events WHERE at >= ?',
} as const;

/** Append-only activity log, written inside the transaction of the change it records. */
export class ActivityLog {
  private readonly insert;
  private readonly activeSince;

  constructor(private readonly db: Db) {
    this.insert = db.prepare<[ActivityKind, string, number, number, string]>(
      'INSERT INTO activity_events (kind, task_id, at, active_ms, data) VALUES (?, ?, ?, ?, ?)',
    );
    this.activeSince = db.prepare<[number], { ms: number }>(ACTIVITY_SQL.activeSince);
  }

  append(kind: ActivityKind, taskId: string, at: number, activeMs = 0, data: Record<string, unknown> = {}): void {
    if (!this.db.inTransaction) throw new Error('ActivityLog.append must run inside a transaction');
    this.insert.run(kind, taskId, at, Math.max(0, Math.trunc(activeMs)), JSON.stringify(data));
  }

  /** Active labeling time recorded at or after `since` (ms epoch). */
  activeMsSince(since: number): number {
    return this.activeSince.get(since)?.ms ?? 0;
  }
}
