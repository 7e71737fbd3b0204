import { z } from 'zod';
import { TaskData, TaskStatus, type Project, type Task } from '../../../shared/model';
import type { Db } from '../db/open';
import type { Outbox } from '../db/outbox';
import { jsonColumn, parseRow } from '../db/rows';
import type { Deliveries } from './delivery';
import type { QueueRepo } from './repo';

/** The statements of the queue's hub side. */
const HUB_TASKS_SQL = {
  epochOf: 'SELECT hub_lease_epoch FROM tasks WHERE id = ?',
  // In queue order: sync's assets lane fetches images in this order.
  leased:
    'SELECT id, status, hub_lease_epoch, data FROM tasks WHERE hub_lease_epoch IS NOT NULL AND lease_expires_at IS NOT NULL ORDER BY seq',
  leases:
    'SELECT id, project_id, status, hub_lease_epoch, lease_expires_at FROM tasks WHERE hub_lease_epoch IS NOT NULL AND lease_expires_at IS NOT NULL',
  leaseOne:
    'SELECT id, project_id, status, hub_lease_epoch, lease_expires_at FROM tasks WHERE id = ? AND hub_lease_epoch IS NOT NULL AND lease_expires_at IS NOT NULL',
  setLease: 'UPDATE tasks SET hub_lease_epoch = ?, lease_expires_at = ? WHERE id = ?',
  // The epoch stays: an unsent submit still has to name the lease it was made under.
  clearLease: 'UPDATE tasks SET lease_expires_at = NULL WHERE id = ?',
  endLeaseAt: 'UPDATE tasks SET lease_expires_at = min(lease_expires_at, ?) WHERE id = ?',
  pendingFor: 'SELECT count(*) AS n FROM outbox WHERE task_id = ?',
  pendingTasks: 'SELECT DISTINCT task_id FROM outbox',
  submissionsFor: 'SELECT count(*) AS n FROM submissions WHERE task_id = ?',
  hasDraftWork:
    "SELECT count(*) AS n FROM drafts WHERE task_id = ? AND json_array_length(annotation, '$.results') > 0",
  deleteTask: 'DELETE FROM tasks WHERE id = ?',
  hasTask: 'SELECT count(*) AS n FROM tasks WHERE id = ?',
  hasProject: 'SELECT count(*) AS n FROM projects WHERE id = ?',
  setConfig: 'UPDATE projects SET label_config = ? WHERE id = ?',
  // Newest first: the assets lane keeps these images after their leases end (issue 16.3).
  finishedImages: `SELECT data FROM tasks WHERE finished_at IS NOT NULL AND hub_task_id IS NOT NULL
    AND kind = 'image' ORDER BY finished_at DESC, seq DESC LIMIT ?`,
  dataOf: 'SELECT data FROM tasks WHERE id = ?',
} as const;

const DataRow = z.object({ data: jsonColumn(TaskData) });

const StatusRow = z.object({ id: z.string(), status: TaskStatus });

const LeasedRow = z.object({
  id: z.string(),
  status: TaskStatus,
  hub_lease_epoch: z.number().int(),
  data: jsonColumn(TaskData),
});
export type LeasedRow = z.infer<typeof LeasedRow>;

/** A leased task's lease alone (pull reconciles thousands; their task data is not needed). */
const LeaseRow = z.object({
  id: z.string(),
  project_id: z.string(),
  status: TaskStatus,
  hub_lease_epoch: z.number().int(),
  lease_expires_at: z.number().int(),
});
export type LeaseRow = z.infer<typeof LeaseRow>;

/** A task the hub leased to this device, as the lease answer brings it. */
export type LeasedTask = { task: Task; title: string; hubTaskId: string; epoch: number; expiresAt: number };

export type DropResult = 'deleted' | 'kept' | 'kept-work' | 'gone';

/**
 * The queue's side of sync: tasks leased from a hub, their leases, label configs the hub changed,
 * and outbox rows the hub acknowledged. The sync engine changes tasks, projects and the outbox
 * only through here (and `QueueService.release`); its own tables are its own.
 *
 * Methods marked "in a transaction" must run inside `QueueService.transaction`, together with the
 * sync rows (cursor, conflicts) that record why they happened.
 */
export class HubTasks {
  private readonly s;

  constructor(
    private readonly db: Db,
    private readonly repo: QueueRepo,
    private readonly outbox: Outbox,
    private readonly deliveries: Deliveries,
  ) {
    this.s = {
      epochOf: db.prepare<[string], { hub_lease_epoch: number | null }>(HUB_TASKS_SQL.epochOf),
      leased: db.prepare<[]>(HUB_TASKS_SQL.leased),
      leases: db.prepare<[]>(HUB_TASKS_SQL.leases),
      leaseOne: db.prepare<[string]>(HUB_TASKS_SQL.leaseOne),
      setLease: db.prepare<[number, number, string]>(HUB_TASKS_SQL.setLease),
      clearLease: db.prepare<[string]>(HUB_TASKS_SQL.clearLease),
      endLeaseAt: db.prepare<[number, string]>(HUB_TASKS_SQL.endLeaseAt),
      pendingFor: db.prepare<[string], { n: number }>(HUB_TASKS_SQL.pendingFor),
      pendingTasks: db.prepare<[], { task_id: string }>(HUB_TASKS_SQL.pendingTasks),
      submissionsFor: db.prepare<[string], { n: number }>(HUB_TASKS_SQL.submissionsFor),
      hasDraftWork: db.prepare<[string], { n: number }>(HUB_TASKS_SQL.hasDraftWork),
      deleteTask: db.prepare<[string]>(HUB_TASKS_SQL.deleteTask),
      hasTask: db.prepare<[string], { n: number }>(HUB_TASKS_SQL.hasTask),
      hasProject: db.prepare<[string], { n: number }>(HUB_TASKS_SQL.hasProject),
      setConfig: db.prepare<[string, string]>(HUB_TASKS_SQL.setConfig),
      finishedImages: db.prepare<[number]>(HUB_TASKS_SQL.finishedImages),
      dataOf: db.prepare<[string]>(HUB_TASKS_SQL.dataOf),
      status: db.prepare<[string]>('SELECT id, status FROM tasks WHERE id = ?'),
    };
  }

  private mustBeInTransaction(what: string): void {
    if (!this.db.inTransaction) throw new Error(`HubTasks.${what} must run inside a transaction`);
  }

  leaseEpoch(taskId: string): number | null {
    return this.s.epochOf.get(taskId)?.hub_lease_epoch ?? null;
  }

  /** Every local task that came from the hub and still names a lease. */
  leasedTasks(): LeasedRow[] {
    return this.s.leased.all().map((r) => parseRow(LeasedRow, 'tasks', r));
  }

  /** The images of the `limit` hub tasks finished last (submitted or skipped), newest first. */
  finishedImages(limit: number): { sha256: string; mime: string }[] {
    const out: { sha256: string; mime: string }[] = [];
    for (const raw of this.s.finishedImages.all(limit)) {
      const { data } = parseRow(DataRow, 'tasks', raw);
      if (data.kind === 'image') out.push({ sha256: data.image.sha256, mime: data.image.mime });
    }
    return out;
  }

  /** A task's data (null: no such task). */
  taskData(taskId: string): TaskData | null {
    const raw = this.s.dataOf.get(taskId);
    return raw === undefined ? null : parseRow(DataRow, 'tasks', raw).data;
  }

  /** The leases of `leasedTasks`, without their task data. */
  leases(): LeaseRow[] {
    return this.s.leases.all().map((r) => parseRow(LeaseRow, 'tasks', r));
  }

  /** Tasks with outbox rows the hub has not answered (their leases are live on the hub still). */
  pendingTaskIds(): Set<string> {
    return new Set(this.s.pendingTasks.all().map((r) => r.task_id));
  }

  lease(taskId: string): LeaseRow | null {
    const raw = this.s.leaseOne.get(taskId);
    return raw === undefined ? null : parseRow(LeaseRow, 'tasks', raw);
  }

  hasTask(taskId: string): boolean {
    return (this.s.hasTask.get(taskId)?.n ?? 0) > 0;
  }

  hasProject(id: string): boolean {
    return (this.s.hasProject.get(id)?.n ?? 0) > 0;
  }

  /**
   * Adds the projects and tasks of a lease answer (tasks already here only get the new lease),
   * in one transaction. Returns how many tasks are new.
   */
  addLeased(projects: readonly Project[], leases: readonly LeasedTask[], at: number): number {
    return this.db
      .transaction(() => {
        for (const p of projects) this.repo.insertProject(p, at, p.id);
        let added = 0;
        for (const l of leases) {
          if (!this.hasTask(l.task.id)) {
            this.repo.insertTask(
              { task: l.task, title: l.title, leaseExpiresAt: l.expiresAt, hubTaskId: l.hubTaskId },
              at,
            );
            added++;
          }
          this.s.setLease.run(l.epoch, Math.trunc(l.expiresAt), l.task.id);
        }
        return added;
      })
      .immediate();
  }

  /** The hub renewed a lease (in a transaction). */
  renewLease(taskId: string, epoch: number, expiresAtLocal: number): void {
    this.mustBeInTransaction('renewLease');
    this.s.setLease.run(epoch, Math.trunc(expiresAtLocal), taskId);
  }

  /**
   * The lease is gone (expired, revoked, released), in a transaction. Unfinished work that the hub
   * can no longer take leaves the queue; a task with submissions or unsent mutations stays (its
   * history, and the outbox still has to deliver it) and only loses its lease.
   *
   * With `keepWorkAt` (the hub ended the lease, the annotator did not give it back), an
   * unfinished task the annotator started stays too, shown as "lease expired" from that time on:
   * one in progress (open in the editor, or autosaved), or whose draft holds work. The pull that
   * ends the lease can land just before the person's Submit (a laptop waking: its overdue sync
   * runs first), and that Submit must find the task: nothing an annotator did is ever lost, and
   * it goes as a late submission the hub keeps as a flagged conflict. Its image stays cached
   * until then (it is still in `leases()`). Tasks never started (queued, no draft work) leave.
   */
  dropLease(taskId: string, opts: { keepWorkAt?: number } = {}): DropResult {
    this.mustBeInTransaction('dropLease');
    const raw = this.s.status.get(taskId);
    if (raw === undefined) return 'gone';
    const { status } = parseRow(StatusRow, 'tasks', raw);
    const busy =
      (this.s.pendingFor.get(taskId)?.n ?? 0) > 0 || (this.s.submissionsFor.get(taskId)?.n ?? 0) > 0;
    if (!busy && opts.keepWorkAt !== undefined && status !== 'submitted' && this.started(taskId, status)) {
      this.s.endLeaseAt.run(Math.trunc(opts.keepWorkAt), taskId);
      return 'kept-work';
    }
    if (!busy && status !== 'submitted') {
      this.s.deleteTask.run(taskId);
      return 'deleted';
    }
    this.s.clearLease.run(taskId);
    return 'kept';
  }

  /** The annotator has begun this task: claimed or autosaved (in progress), or a draft with work. */
  private started(taskId: string, status: TaskStatus): boolean {
    return status === 'in_progress' || (this.s.hasDraftWork.get(taskId)?.n ?? 0) > 0;
  }

  /** The task's local status (null when it is not here). */
  taskStatus(taskId: string): TaskStatus | null {
    const raw = this.s.status.get(taskId);
    return raw === undefined ? null : parseRow(StatusRow, 'tasks', raw).status;
  }

  /**
   * A reviewer rejected this person's work (in a transaction): the hub leased the task back
   * (`epoch`), so it returns to the queue, its last submission as the draft to fix (unless a
   * draft is there). False when the task is not here (another device's work).
   */
  rework(taskId: string, epoch: number, expiresAtLocal: number, at: number): boolean {
    this.mustBeInTransaction('rework');
    const status = this.taskStatus(taskId);
    if (status === null) return false;
    this.s.setLease.run(epoch, Math.trunc(expiresAtLocal), taskId);
    if (status === 'submitted' || status === 'skipped') {
      if (!this.repo.draft(taskId)) {
        const last = this.repo.lastSubmission(taskId);
        if (last) this.repo.saveDraft(taskId, last.annotation, at);
      }
      this.repo.setStatus(taskId, 'queued', at);
    }
    return true;
  }

  /** The hub changed a project's label config (in a transaction). */
  setLabelConfig(projectId: string, labelConfig: unknown): void {
    this.mustBeInTransaction('setLabelConfig');
    this.s.setConfig.run(JSON.stringify(labelConfig), projectId);
  }

  /** Deletes outbox rows the hub answered (applied, duplicate or rejected), in a transaction. */
  acknowledge(mutationIds: readonly string[]): number {
    this.mustBeInTransaction('acknowledge');
    return this.outbox.ack(mutationIds);
  }

  /**
   * A mutation of this task was delivered without a flag (in a transaction): the hub's earlier
   * answers that waited for the person (a refusal, a flagged conflict) are closed.
   */
  delivered(taskId: string, at: number): void {
    this.mustBeInTransaction('delivered');
    this.deliveries.resolve(taskId, at, 'delivered');
  }
}
