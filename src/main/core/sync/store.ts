import { z } from 'zod';
import type { SyncConflict } from '../../../shared/contract/methods/sync';
import { TaskData } from '../../../shared/model';
import type { Db } from '../db/open';
import { jsonColumn } from '../db/rows';

/**
 * The sync engine's own rows in the workspace database. They are created idempotently here
 * (IF NOT EXISTS, no schema-version bump) so the local store's migrations stay untouched; the
 * cursor is written in the same transaction as the feed events it covers.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS sync_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sync_conflicts (
  mutation_id TEXT PRIMARY KEY,
  task_id     TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('conflict', 'rejected')),
  reason      TEXT,
  at          INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
-- Tasks released locally whose release the hub has not acknowledged yet.
CREATE TABLE IF NOT EXISTS sync_released (
  mutation_id TEXT PRIMARY KEY,
  task_id     TEXT NOT NULL
) STRICT, WITHOUT ROWID;
`;

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

const LeasedRow = z.object({
  id: z.string(),
  status: z.string(),
  hub_lease_epoch: z.number().int(),
  data: jsonColumn(TaskData),
});
export type LeasedRow = z.infer<typeof LeasedRow>;

/** A leased task's lease alone (pull reconciles thousands; their task data is not needed). */
const LeaseRow = z.object({
  id: z.string(),
  project_id: z.string(),
  status: z.string(),
  hub_lease_epoch: z.number().int(),
  lease_expires_at: z.number().int(),
});
export type LeaseRow = z.infer<typeof LeaseRow>;

const ConflictRow = z.object({
  mutation_id: z.string(),
  task_id: z.string(),
  kind: z.enum(['conflict', 'rejected']),
  reason: z.string().nullable(),
  at: z.number().int(),
  title: z.string().nullable(),
});

export class SyncStore {
  private readonly s;

  constructor(readonly db: Db) {
    db.exec(SCHEMA);
    this.s = {
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM sync_meta WHERE key = ?'),
      setMeta: db.prepare<[string, string]>(
        'INSERT INTO sync_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      delMeta: db.prepare<[string]>('DELETE FROM sync_meta WHERE key = ?'),
      epochOf: db.prepare<[string], { hub_lease_epoch: number | null }>(
        'SELECT hub_lease_epoch FROM tasks WHERE id = ?',
      ),
      leased: db.prepare<[]>(
        // In queue order: the assets lane fetches images in this order.
        'SELECT id, status, hub_lease_epoch, data FROM tasks WHERE hub_lease_epoch IS NOT NULL AND lease_expires_at IS NOT NULL ORDER BY seq',
      ),
      leases: db.prepare<[]>(
        'SELECT id, project_id, status, hub_lease_epoch, lease_expires_at FROM tasks WHERE hub_lease_epoch IS NOT NULL AND lease_expires_at IS NOT NULL',
      ),
      leaseOne: db.prepare<[string]>(
        'SELECT id, project_id, status, hub_lease_epoch, lease_expires_at FROM tasks WHERE id = ? AND hub_lease_epoch IS NOT NULL AND lease_expires_at IS NOT NULL',
      ),
      setLease: db.prepare<[number, number, string]>(
        'UPDATE tasks SET hub_lease_epoch = ?, lease_expires_at = ? WHERE id = ?',
      ),
      // The epoch stays: an unsent submit still has to name the lease it was made under.
      clearLease: db.prepare<[string]>('UPDATE tasks SET lease_expires_at = NULL WHERE id = ?'),
      pendingTasks: db.prepare<[], { task_id: string }>('SELECT DISTINCT task_id FROM outbox'),
      pendingFor: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM outbox WHERE task_id = ?'),
      submissionsFor: db.prepare<[string], { n: number }>(
        'SELECT count(*) AS n FROM submissions WHERE task_id = ?',
      ),
      deleteTask: db.prepare<[string]>('DELETE FROM tasks WHERE id = ?'),
      hasDraftWork: db.prepare<[string], { n: number }>(
        "SELECT count(*) AS n FROM drafts WHERE task_id = ? AND json_array_length(annotation, '$.results') > 0",
      ),
      endLeaseAt: db.prepare<[number, string]>(
        'UPDATE tasks SET lease_expires_at = min(lease_expires_at, ?) WHERE id = ?',
      ),
      hasTask: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM tasks WHERE id = ?'),
      hasProject: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM projects WHERE id = ?'),
      setConfig: db.prepare<[string, string]>('UPDATE projects SET label_config = ? WHERE id = ?'),
      addConflict: db.prepare<[string, string, string, string | null, number]>(
        'INSERT INTO sync_conflicts (mutation_id, task_id, kind, reason, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      conflicts: db.prepare<[number]>(
        `SELECT c.*, t.title FROM sync_conflicts c LEFT JOIN tasks t ON t.id = c.task_id ORDER BY c.at DESC LIMIT ?`,
      ),
      addReleased: db.prepare<[string, string]>(
        'INSERT INTO sync_released (mutation_id, task_id) VALUES (?, ?)',
      ),
      released: db.prepare<[string], { task_id: string }>(
        'SELECT task_id FROM sync_released WHERE mutation_id = ?',
      ),
      delReleased: db.prepare<[string]>('DELETE FROM sync_released WHERE mutation_id = ?'),
      upsertAsset: db.prepare<[string, string, number, string, number]>(
        // A row the local store already has (a demo image with the same bytes) stays its own.
        'INSERT INTO assets (sha256, path, bytes, mime, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING',
      ),
      deleteAsset: db.prepare<[string, string]>('DELETE FROM assets WHERE sha256 = ? AND path = ?'),
    };
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  meta(key: MetaKey): string | null {
    return this.s.getMeta.get(key)?.value ?? null;
  }
  setMeta(key: MetaKey, value: string | null): void {
    if (value === null) this.s.delMeta.run(key);
    else this.s.setMeta.run(key, value);
  }

  leaseEpoch(taskId: string): number | null {
    return this.s.epochOf.get(taskId)?.hub_lease_epoch ?? null;
  }

  /** Every local task that came from the hub and still names a lease. */
  leasedTasks(): LeasedRow[] {
    return this.s.leased.all().map((r) => LeasedRow.parse(r));
  }

  /** Tasks with outbox rows the hub has not answered (their leases are live on the hub still). */
  pendingTaskIds(): Set<string> {
    return new Set(this.s.pendingTasks.all().map((r) => r.task_id));
  }

  /** The leases of `leasedTasks`, without their task data. */
  leases(): LeaseRow[] {
    return this.s.leases.all().map((r) => LeaseRow.parse(r));
  }

  lease(taskId: string): LeaseRow | null {
    const raw = this.s.leaseOne.get(taskId);
    return raw === undefined ? null : LeaseRow.parse(raw);
  }

  setLease(taskId: string, epoch: number, expiresAtLocal: number): void {
    this.s.setLease.run(epoch, Math.trunc(expiresAtLocal), taskId);
  }

  hasTask(taskId: string): boolean {
    return (this.s.hasTask.get(taskId)?.n ?? 0) > 0;
  }
  hasProject(id: string): boolean {
    return (this.s.hasProject.get(id)?.n ?? 0) > 0;
  }

  /**
   * The lease is gone (expired, revoked, released). Unfinished work that the hub can no longer
   * take leaves the queue; a task with submissions or unsent mutations stays (its history, and
   * the outbox still has to deliver it) and only loses its lease.
   *
   * With `keepDraftAt` (the hub ended the lease, the annotator did not give it back), an
   * unfinished task whose draft holds work stays too, shown as "lease expired" from that time on:
   * nothing an annotator did is ever lost, and submitting it sends a late submission the hub
   * keeps as a flagged conflict. Its image stays cached until then (it is still in `leases()`).
   */
  dropLease(
    taskId: string,
    status: string,
    opts: { keepDraftAt?: number } = {},
  ): 'deleted' | 'kept' | 'kept-draft' {
    const busy =
      (this.s.pendingFor.get(taskId)?.n ?? 0) > 0 || (this.s.submissionsFor.get(taskId)?.n ?? 0) > 0;
    if (
      !busy &&
      opts.keepDraftAt !== undefined &&
      status !== 'submitted' &&
      (this.s.hasDraftWork.get(taskId)?.n ?? 0) > 0
    ) {
      this.s.endLeaseAt.run(Math.trunc(opts.keepDraftAt), taskId);
      return 'kept-draft';
    }
    if (!busy && (status === 'queued' || status === 'in_progress' || status === 'skipped')) {
      this.s.deleteTask.run(taskId);
      return 'deleted';
    }
    this.s.clearLease.run(taskId);
    return 'kept';
  }

  setLabelConfig(projectId: string, labelConfig: unknown): void {
    this.s.setConfig.run(JSON.stringify(labelConfig), projectId);
  }

  addConflict(c: {
    mutationId: string;
    taskId: string;
    kind: 'conflict' | 'rejected';
    reason: string | null;
    at: number;
  }): void {
    this.s.addConflict.run(c.mutationId, c.taskId, c.kind, c.reason, Math.trunc(c.at));
  }

  conflicts(limit = 50): SyncConflict[] {
    return this.s.conflicts.all(limit).map((raw) => {
      const r = ConflictRow.parse(raw);
      return {
        mutationId: r.mutation_id,
        taskId: r.task_id,
        title: r.title ?? r.task_id,
        kind: r.kind,
        reason: r.reason,
        at: r.at,
      };
    });
  }

  markReleased(mutationId: string, taskId: string): void {
    this.s.addReleased.run(mutationId, taskId);
  }
  /** The task a release mutation gave back, once (forgotten after). */
  takeReleased(mutationId: string): string | null {
    const row = this.s.released.get(mutationId);
    if (!row) return null;
    this.s.delReleased.run(mutationId);
    return row.task_id;
  }

  /** Makes a verified cached file visible to the workbench's asset lookup. */
  registerAsset(sha256: string, relPath: string, bytes: number, mime: string, at: number): void {
    this.s.upsertAsset.run(sha256, relPath, bytes, mime, Math.trunc(at));
  }
  unregisterAsset(sha256: string, relPath: string): void {
    this.s.deleteAsset.run(sha256, relPath);
  }
}
