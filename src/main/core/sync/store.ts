import { z } from 'zod';
import type { SyncConflict } from '../../../shared/contract/methods/sync';
import type { Db } from '../db/open';
import { parseRow } from '../db/rows';

/**
 * The sync engine's own rows in the workspace database: `sync_meta` (sign-in, cursor, device) and
 * `sync_conflicts`, both created by local migration 6. Tasks, projects and the outbox belong to
 * the queue (`QueueService.hub`); the cursor is written in the same transaction as the feed
 * events it covers (`QueueService.transaction`).
 */
export type MetaKey =
  | 'hubUrl'
  | 'userName'
  | 'userId'
  | 'cursor'
  /** The hub's mark of the last delta pull (PullQuery.leasesSince). */
  | 'leaseMark'
  /** This device's leases the hub listed that we do not hold (JSON keys), part of the digest. */
  | 'leaseOrphans'
  | 'lastSyncAt'
  | 'deviceId'
  | 'hubClientBase';

const LeaseIdShape = z.object({ taskId: z.string(), epoch: z.number().int() });
/** A lease as the digest counts it. */
export type LeaseId = z.infer<typeof LeaseIdShape>;

const ConflictRow = z.object({
  mutation_id: z.string(),
  task_id: z.string(),
  kind: z.enum(['conflict', 'rejected']),
  mutation_kind: z.enum(['submit', 'skip', 'release']),
  reason: z.string().nullable(),
  at: z.number().int(),
  title: z.string().nullable(),
});

export class SyncStore {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM sync_meta WHERE key = ?'),
      setMeta: db.prepare<[string, string]>(
        'INSERT INTO sync_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      delMeta: db.prepare<[string]>('DELETE FROM sync_meta WHERE key = ?'),
      addConflict: db.prepare<[string, string, string, string, string | null, number]>(
        `INSERT INTO sync_conflicts (mutation_id, task_id, kind, mutation_kind, reason, at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      ),
      // Open answers only: one the person acted on (or a later delivery closed) is history.
      conflicts: db.prepare<[number]>(
        `SELECT c.*, t.title FROM sync_conflicts c LEFT JOIN tasks t ON t.id = c.task_id
         WHERE c.resolved_at IS NULL ORDER BY c.at DESC LIMIT ?`,
      ),
    };
  }

  meta(key: MetaKey): string | null {
    return this.s.getMeta.get(key)?.value ?? null;
  }
  setMeta(key: MetaKey, value: string | null): void {
    if (value === null) this.s.delMeta.run(key);
    else this.s.setMeta.run(key, value);
  }

  /**
   * This device's leases the hub listed that we do not hold (`leaseOrphans`): they count in the
   * hub's lease digest until it ends them or the workbench adopts them (see leasing.ts).
   */
  leaseOrphans(): LeaseId[] {
    const raw = this.meta('leaseOrphans');
    if (!raw) return [];
    try {
      const parsed: unknown = JSON.parse(raw);
      return Array.isArray(parsed) ? parsed.flatMap((o) => LeaseIdShape.safeParse(o).data ?? []) : [];
    } catch {
      return [];
    }
  }
  setLeaseOrphans(orphans: readonly LeaseId[]): void {
    this.setMeta('leaseOrphans', orphans.length > 0 ? JSON.stringify(orphans) : null);
  }

  addConflict(c: {
    mutationId: string;
    taskId: string;
    kind: 'conflict' | 'rejected';
    mutationKind: 'submit' | 'skip' | 'release';
    reason: string | null;
    at: number;
  }): void {
    this.s.addConflict.run(c.mutationId, c.taskId, c.kind, c.mutationKind, c.reason, Math.trunc(c.at));
  }

  conflicts(limit = 50): SyncConflict[] {
    return this.s.conflicts.all(limit).map((raw) => {
      const r = parseRow(ConflictRow, 'sync_conflicts', raw);
      return {
        mutationId: r.mutation_id,
        taskId: r.task_id,
        title: r.title ?? r.task_id,
        kind: r.kind,
        mutationKind: r.mutation_kind,
        reason: r.reason,
        at: r.at,
      };
    });
  }
}
