import { z } from 'zod';
import type { Db } from '../db/open';
import { parseRow } from '../db/rows';

const RequestRow = z.object({
  request_id: z.string(),
  project_id: z.string(),
  count: z.number().int(),
  created_at: z.number().int(),
});

export type PendingLeaseRequest = { requestId: string; projectId: string; count: number; createdAt: number };

/**
 * The `lease_requests` table (local migration 10): a lease request is written here before it is
 * sent and deleted in the transaction that stores its answer, so a lost answer or a crash
 * between the hub's commit and ours leaves it to be replayed under the same id.
 */
export class LeaseRequests {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      add: db.prepare<[string, string, number, number]>(
        'INSERT INTO lease_requests (request_id, project_id, count, created_at) VALUES (?, ?, ?, ?)',
      ),
      remove: db.prepare<[string]>('DELETE FROM lease_requests WHERE request_id = ?'),
      pending: db.prepare<[]>('SELECT * FROM lease_requests ORDER BY created_at, request_id'),
    };
  }

  add(r: PendingLeaseRequest): void {
    this.s.add.run(r.requestId, r.projectId, r.count, Math.trunc(r.createdAt));
  }

  remove(requestId: string): void {
    this.s.remove.run(requestId);
  }

  pending(): PendingLeaseRequest[] {
    return this.s.pending.all().map((raw) => {
      const r = parseRow(RequestRow, 'lease_requests', raw);
      return { requestId: r.request_id, projectId: r.project_id, count: r.count, createdAt: r.created_at };
    });
  }
}
