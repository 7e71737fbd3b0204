import { randomUUID } from 'node:crypto';
import { SubmitPayload, type MutationAnswer, type MutationInput } from '../../../shared/sync';
import type { Outbox, OutboxEntry } from '../db/outbox';
import { ProtocolError, type HubApi } from './hub-api';
import type { SyncStore } from './store';

export type PushReport = { sent: number; acked: number; conflicts: number; rejected: number; releasedTasks: number };

/**
 * A mutation the hub must see only to keep the client's seq dense: work on a local-only task (no
 * hub lease) or a seq the hub never got from this client. It is answered `rejected` and carries
 * no annotation, so nothing local leaks to the hub.
 */
const filler = (clientId: string, seq: number, taskId: string): MutationInput => ({
  mutationId: randomUUID(),
  clientId,
  seq,
  kind: 'release',
  taskId,
  leaseEpoch: 1,
  payload: {},
});

export const toMutation = (row: OutboxEntry, epoch: number | null): MutationInput => {
  if (epoch === null) return { ...filler(row.clientId, row.seq, row.taskId), mutationId: row.mutationId };
  const base = { mutationId: row.mutationId, clientId: row.clientId, seq: row.seq, taskId: row.taskId, leaseEpoch: epoch };
  switch (row.kind) {
    case 'submit':
      return { ...base, kind: 'submit', payload: SubmitPayload.parse(row.payload) };
    case 'skip': {
      const reason = typeof row.payload.reason === 'string' ? row.payload.reason : undefined;
      return { ...base, kind: 'skip', payload: reason ? { reason } : {} };
    }
    case 'release':
      return { ...base, kind: 'release', payload: {} };
  }
};

/**
 * Drains the outbox in seq order, in batches. A row is deleted only once the hub answered it
 * (applied, duplicate or rejected — all final); unanswered rows (a gap) are sent again.
 */
export const pushOutbox = async (
  api: HubApi,
  outbox: Outbox,
  store: SyncStore,
  now: () => number,
  batch: number,
): Promise<PushReport> => {
  const report: PushReport = { sent: 0, acked: 0, conflicts: 0, rejected: 0, releasedTasks: 0 };
  const clientId = outbox.clientId();
  for (let round = 0; round < 100_000; round++) {
    const rows = outbox.peek(batch);
    const first = rows[0];
    if (!first) return report;
    const epochs = new Map(rows.map((r) => [r.taskId, store.leaseEpoch(r.taskId)]));
    const res = await api.push({ clientId, mutations: rows.map((r) => toMutation(r, epochs.get(r.taskId) ?? null)) });
    report.sent += rows.length;
    const byId = new Map(rows.map((r) => [r.mutationId, r]));
    const answered = res.answers.filter((a) => byId.has(a.mutationId));
    if (answered.length === 0) {
      if (res.expectedSeq < first.seq) {
        // The hub has not seen this client's earlier seqs (a new hub, or rows acked elsewhere).
        const fill: MutationInput[] = [];
        for (let s = res.expectedSeq; s < first.seq && fill.length < batch; s++) fill.push(filler(clientId, s, '-'));
        await api.push({ clientId, mutations: fill });
        continue;
      }
      throw new ProtocolError(`hub answered none of seqs ${first.seq}… (expects ${res.expectedSeq})`);
    }
    store.transaction(() => {
      // Ack first: a released task can only leave the queue once no outbox row names it.
      report.acked += outbox.ack(answered.map((a) => a.mutationId));
      for (const a of answered) applyAnswer(a, byId.get(a.mutationId)!, epochs.get(byId.get(a.mutationId)!.taskId) ?? null, store, now(), report);
    });
  }
  return report;
};

const applyAnswer = (a: MutationAnswer, row: OutboxEntry, epoch: number | null, store: SyncStore, at: number, report: PushReport): void => {
  const conflict = a.status === 'applied' ? a.conflict : a.status === 'duplicate' ? (a.conflict ?? false) : false;
  if (conflict) {
    report.conflicts++;
    store.addConflict({ mutationId: row.mutationId, taskId: row.taskId, kind: 'conflict', reason: null, at });
  }
  if (a.status === 'rejected' && epoch !== null) {
    report.rejected++;
    // Refused work is never dropped silently: the annotator sees it (their copy stays local).
    if (row.kind === 'submit') store.addConflict({ mutationId: row.mutationId, taskId: row.taskId, kind: 'rejected', reason: a.reason, at });
  }
  const released = store.takeReleased(row.mutationId);
  if (released && store.dropLease(released, 'skipped') === 'deleted') report.releasedTasks++;
};
