import { z } from 'zod';
import { LOCAL_DELIVERY, type DeliveryRecord } from '../../../shared/model';
import type { Db } from '../db/open';
import { parseRow } from '../db/rows';

const MutationKind = z.enum(['submit', 'skip', 'release']);
const WaitingRow = z.object({ task_id: z.string(), kind: MutationKind });
const AnswerRow = z.object({
  mutation_id: z.string(),
  task_id: z.string(),
  kind: z.enum(['conflict', 'rejected']),
  mutation_kind: MutationKind,
  reason: z.string().nullable(),
  at: z.number().int(),
  resolution: z.enum(['delivered', 'discarded', 'resubmitted']).nullable(),
});
const HubRow = z.object({ id: z.string(), from_hub: z.number().int() });

/** The statements behind delivery states (one scan of the outbox per list, never per row). */
export const DELIVERY_SQL = {
  waiting: `SELECT task_id, kind FROM outbox WHERE task_id IN (SELECT value FROM json_each(?))
            ORDER BY seq`,
  // Every answer of the task, oldest first: the newest decides (a later delivery closes it).
  answers: `SELECT mutation_id, task_id, kind, mutation_kind, reason, at, resolution FROM sync_conflicts
            WHERE task_id IN (SELECT value FROM json_each(?)) ORDER BY task_id, at`,
  fromHub: `SELECT id, hub_lease_epoch IS NOT NULL AS from_hub FROM tasks
            WHERE id IN (SELECT value FROM json_each(?))`,
  refusedCount: "SELECT count(*) AS n FROM sync_conflicts WHERE resolved_at IS NULL AND kind = 'rejected'",
  resolve:
    'UPDATE sync_conflicts SET resolved_at = ?, resolution = ? WHERE task_id = ? AND resolved_at IS NULL',
} as const;

/**
 * Reads the records a task's delivery state is made of (`describeDelivery` in src/shared turns
 * them into words): the outbox (not answered yet) and the hub's open answers. Writes (resolving
 * an answer) run inside the queue's transactions.
 */
export class Deliveries {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      waiting: db.prepare<[string]>(DELIVERY_SQL.waiting),
      answers: db.prepare<[string]>(DELIVERY_SQL.answers),
      fromHub: db.prepare<[string]>(DELIVERY_SQL.fromHub),
      refusedCount: db.prepare<[], { n: number }>(DELIVERY_SQL.refusedCount),
      resolve: db.prepare<[number, string, string]>(DELIVERY_SQL.resolve),
    };
  }

  /** The delivery record of each named task (tasks not in the database are left out). */
  records(taskIds: readonly string[]): Map<string, DeliveryRecord> {
    const out = new Map<string, DeliveryRecord>();
    if (taskIds.length === 0) return out;
    const ids = JSON.stringify(taskIds);
    for (const raw of this.s.fromHub.all(ids)) {
      const r = parseRow(HubRow, 'tasks', raw);
      out.set(r.id, { fromHub: r.from_hub === 1, waiting: null, answer: null });
    }
    // Ordered oldest first, so the newest row of each task is the one left standing.
    for (const raw of this.s.waiting.all(ids)) {
      const r = parseRow(WaitingRow, 'outbox', raw);
      const rec = out.get(r.task_id);
      if (rec) rec.waiting = r.kind;
    }
    for (const raw of this.s.answers.all(ids)) {
      const r = parseRow(AnswerRow, 'sync_conflicts', raw);
      const rec = out.get(r.task_id);
      if (!rec) continue;
      rec.answer =
        r.resolution === 'delivered'
          ? null
          : {
              mutationId: r.mutation_id,
              kind: r.kind,
              mutationKind: r.mutation_kind,
              reason: r.reason,
              at: r.at,
              resolution: r.resolution,
            };
    }
    return out;
  }

  record(taskId: string): DeliveryRecord {
    return this.records([taskId]).get(taskId) ?? { ...LOCAL_DELIVERY };
  }

  /** Refusals no one has acted on yet ("Synced" needs none). */
  refusedCount(): number {
    return this.s.refusedCount.get()?.n ?? 0;
  }

  /** Closes the task's open answers (the person acted, or a later change was delivered). */
  resolve(taskId: string, at: number, how: 'delivered' | 'discarded' | 'resubmitted'): number {
    if (!this.db.inTransaction) throw new Error('Deliveries.resolve must run inside a transaction');
    return this.s.resolve.run(Math.trunc(at), how, taskId).changes;
  }
}
