import { randomUUID } from 'node:crypto';
import type { MutationAnswer, MutationInput, SubmitPayload } from '../../../shared/sync';
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
    case 'submit': {
      // The outbox already parsed the annotation (it joins it from the submission row); the hub
      // validates again on arrival. Only the fields of the wire payload are sent.
      const { annotation, submittedAt } = row.payload as Partial<SubmitPayload>;
      if (annotation === undefined) throw new ProtocolError(`outbox row ${row.seq} (submit) has no annotation`);
      return { ...base, kind: 'submit', payload: typeof submittedAt === 'number' ? { annotation, submittedAt } : { annotation } };
    }
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
  type Prepared = { rows: OutboxEntry[]; epochs: Map<string, number | null>; mutations: MutationInput[] };
  const prepare = (rows: OutboxEntry[]): Prepared => {
    const epochs = new Map(rows.map((r) => [r.taskId, store.leaseEpoch(r.taskId)]));
    return { rows, epochs, mutations: rows.map((r) => toMutation(r, epochs.get(r.taskId) ?? null)) };
  };
  for (let round = 0; round < 100_000; round++) {
    // Read a few batches ahead and prepare batch k+1 while the hub works on batch k.
    const ahead = outbox.peek(batch * 4);
    if (ahead.length === 0) return report;
    const chunks: OutboxEntry[][] = [];
    for (let i = 0; i < ahead.length; i += batch) chunks.push(ahead.slice(i, i + batch));
    let next = prepare(chunks[0]!);
    let gap = false;
    for (let k = 0; k < chunks.length && !gap; k++) {
      const cur = next;
      const first = cur.rows[0]!;
      const pending = api.push({ clientId, mutations: cur.mutations });
      if (k + 1 < chunks.length) next = prepare(chunks[k + 1]!);
      const res = await pending;
      report.sent += cur.rows.length;
      const byId = new Map(cur.rows.map((r) => [r.mutationId, r]));
      const answered = res.answers.filter((a) => byId.has(a.mutationId));
      if (answered.length === 0) {
        if (res.expectedSeq < first.seq) {
          // The hub has not seen this client's earlier seqs (a new hub, or rows acked elsewhere).
          const fill: MutationInput[] = [];
          for (let s = res.expectedSeq; s < first.seq && fill.length < batch; s++) fill.push(filler(clientId, s, '-'));
          await api.push({ clientId, mutations: fill });
          gap = true;
          continue;
        }
        throw new ProtocolError(`hub answered none of seqs ${first.seq}… (expects ${res.expectedSeq})`);
      }
      store.transaction(() => {
        // Ack first: a released task can only leave the queue once no outbox row names it.
        report.acked += outbox.ack(answered.map((a) => a.mutationId));
        for (const a of answered) {
          const row = byId.get(a.mutationId)!;
          applyAnswer(a, row, cur.epochs.get(row.taskId) ?? null, store, now(), report);
        }
      });
      // Unanswered rows (a gap on the hub): read the outbox again from its head.
      if (answered.length < cur.rows.length) gap = true;
    }
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
