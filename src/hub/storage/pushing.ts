import { z } from 'zod';
import { roleAllows, ROLES_THAT } from '../auth/roles';
import { isVerdictKind, type MutationAnswer, type PushResponse } from '../../shared/sync';
import type { Dialect, SqlExecutor } from './driver';
import { StorageRefusal } from './errors';
import { appendFeed, type NewFeedEvent } from './feed';
import { expireAndRenew } from './leasing';
import { refreshReviewRollup } from './review-rollup';
import { ReviewPush } from './reviewing';
import type { MutationHead, Outcome, PushBatch } from './types';
import { inList, insertNamed, jsonRows, listParam, rowsParams, type Columns } from './sql-util';

const KnownRow = z.object({
  mutation_id: z.string(),
  client_id: z.string(),
  status: z.enum(['applied', 'rejected']),
  conflict: z.coerce.number(),
});
const TaskRow = z.object({
  id: z.string(),
  project_id: z.string(),
  done_count: z.coerce.number(),
  overlap: z.coerce.number(),
});
const LeaseRow = z.object({
  task_id: z.string(),
  epoch: z.coerce.number(),
  user_id: z.string(),
  state: z.string(),
  expires_at: z.coerce.number(),
});

interface TaskState {
  projectId: string;
  doneCount: number;
  overlap: number;
  dirty: boolean;
  /** A lease ended early (skip, release): the task's full_until hint drops to 0. */
  freed: boolean;
}
interface LeaseState {
  taskId: string;
  epoch: number;
  userId: string;
  state: string;
  expiresAt: number;
  dirty: boolean;
}

/** A submission this batch stores; its annotation text arrives from the decoder at the end. */
interface NewSubmission {
  id: string;
  taskId: string;
  projectId: string;
  userId: string;
  leaseEpoch: number;
  /** Index of the mutation's annotation in the decoder's answer. */
  annotationAt: number;
  annotation: string | null;
  conflict: boolean;
  superseded: boolean;
  clientSubmittedAt: number | null;
  receivedAt: number;
}

/** A mutation this batch answered for the first time (its answer is kept for duplicates). */
interface NewMutation {
  mutationId: string;
  clientId: string;
  seq: number;
  kind: MutationHead['kind'];
  taskId: string;
  outcome: Outcome;
  appliedAt: number;
}

const leaseKey = (taskId: string, epoch: number): string => `${taskId}\u0000${epoch}`;

/**
 * Applies one client's batch inside one transaction. All state the batch touches is read up
 * front (task rows locked in id order on PostgreSQL), the mutations are applied in seq order in
 * memory, and the changes are written back in a few multi-row statements — so a 500-mutation
 * push costs a handful of round trips, not thousands.
 */
export const applyPush = async (
  tx: SqlExecutor,
  dialect: Dialect,
  req: PushBatch,
  now: number,
): Promise<Omit<PushResponse, 'serverTime'>> => {
  const forUpdate = dialect === 'postgres' ? ' FOR UPDATE' : '';
  await tx.run(
    'INSERT INTO clients (client_id, user_id, last_seq) VALUES (?, ?, 0) ON CONFLICT (client_id) DO NOTHING',
    [req.clientId, req.userId],
  );
  const client = await tx.get(`SELECT user_id, last_seq FROM clients WHERE client_id = ?${forUpdate}`, [
    req.clientId,
  ]);
  if (!client || client.user_id !== req.userId)
    throw new StorageRefusal('FORBIDDEN', `client ${req.clientId} belongs to another user`);
  let lastSeq = Number(client.last_seq);

  const muts = [...req.mutations].sort((a, b) => a.seq - b.seq);
  const ids = [...new Set(muts.map((m) => m.mutationId))];
  const taskIds = [...new Set(muts.map((m) => m.taskId))].sort();

  const known = new Map<string, z.infer<typeof KnownRow>>();
  for (const r of await tx.all(
    `SELECT mutation_id, client_id, status, conflict FROM mutations WHERE client_id = ? AND ${inList(dialect, 'mutation_id')}`,
    [req.clientId, listParam(dialect, ids)],
  )) {
    const k = KnownRow.parse(r);
    known.set(k.mutation_id, k);
  }
  const tasks = new Map<string, TaskState>();
  const leases = new Map<string, LeaseState>();
  // Per task too: completing a task revokes its other live leases without scanning the batch's.
  const leasesByTask = new Map<string, LeaseState[]>();
  const taskParam = [listParam(dialect, taskIds)];
  // A gold task is never completed: every annotator's answer is scored (quality-gold.ts).
  const taskRows = await tx.all(
    `SELECT t.id, t.project_id, t.done_count, CASE WHEN t.gold = 1 THEN 1000000000 ELSE p.overlap END AS overlap FROM tasks t JOIN projects p ON p.id = t.project_id
     WHERE ${inList(dialect, 't.id')} ORDER BY t.id${dialect === 'postgres' ? ' FOR UPDATE OF t' : ''}`,
    taskParam,
  );
  for (const r of taskRows) {
    const t = TaskRow.parse(r);
    tasks.set(t.id, {
      projectId: t.project_id,
      doneCount: t.done_count,
      overlap: t.overlap,
      dirty: false,
      freed: false,
    });
  }
  const leaseRows = await tx.all(
    `SELECT task_id, epoch, user_id, state, expires_at FROM leases WHERE ${inList(dialect, 'task_id')} AND (state = 'active' OR user_id = ?)`,
    [...taskParam, req.userId],
  );
  for (const r of leaseRows) {
    const l = LeaseRow.parse(r);
    const state: LeaseState = {
      taskId: l.task_id,
      epoch: l.epoch,
      userId: l.user_id,
      state: l.state,
      expiresAt: l.expires_at,
      dirty: false,
    };
    leases.set(leaseKey(l.task_id, l.epoch), state);
    const list = leasesByTask.get(l.task_id);
    if (list) list.push(state);
    else leasesByTask.set(l.task_id, [state]);
  }
  const roles = new Map<string, string>();
  for (const r of await tx.all('SELECT project_id, role FROM memberships WHERE user_id = ?', [req.userId]))
    roles.set(String(r.project_id), String(r.role));
  const mayLease = (projectId: string): boolean =>
    roleAllows(roles.get(projectId), ROLES_THAT.lease) || roles.get('*') === 'admin';
  const mayReview = (projectId: string): boolean =>
    roleAllows(roles.get(projectId), ROLES_THAT.review) || roles.get('*') === 'admin';
  const review = new ReviewPush(tx, dialect, req.userId, now, mayReview, (taskId) => {
    const t = tasks.get(taskId);
    if (!t) return;
    t.doneCount = Math.max(0, t.doneCount - 1);
    t.dirty = true;
  });
  await review.load(muts);

  const subs: NewSubmission[] = [];
  const supersede: { taskId: string; epoch: number }[] = [];
  const mutationRows: NewMutation[] = [];
  const feed: NewFeedEvent[] = [];
  const answers: MutationAnswer[] = [];

  const applyOne = (m: MutationHead): Outcome => {
    const t = tasks.get(m.taskId);
    if (!t) return { status: 'rejected', reason: 'NOT_FOUND' };
    if (m.verdict && isVerdictKind(m.kind)) return review.apply({ ...m, kind: m.kind, verdict: m.verdict });
    if (!mayLease(t.projectId)) return { status: 'rejected', reason: 'FORBIDDEN' };
    const l = leases.get(leaseKey(m.taskId, m.leaseEpoch));
    if (!l || l.userId !== req.userId) return { status: 'rejected', reason: 'NO_LEASE' };
    const set = (state: string): void => {
      l.state = state;
      l.dirty = true;
    };
    if (m.kind !== 'submit') {
      if (l.state !== 'active') return { status: 'rejected', reason: 'STALE_LEASE' };
      set(m.kind === 'skip' ? 'skipped' : 'released');
      t.dirty = true;
      t.freed = true;
      return { status: 'applied', conflict: false };
    }
    const addSub = (conflict: boolean): void => {
      // The annotation text is filled in below, once the decoder has checked it.
      subs.push({
        id: m.mutationId,
        taskId: m.taskId,
        projectId: t.projectId,
        userId: req.userId,
        leaseEpoch: m.leaseEpoch,
        annotationAt: m.at,
        annotation: null,
        conflict,
        superseded: false,
        clientSubmittedAt: m.submittedAt ?? null,
        receivedAt: now,
      });
    };
    if (l.state === 'submitted') {
      // A reopened and resubmitted task: the newest version stands, older ones stay on record.
      for (const s of subs)
        if (s.taskId === m.taskId && s.userId === req.userId && s.leaseEpoch === m.leaseEpoch)
          s.superseded = true;
      supersede.push({ taskId: m.taskId, epoch: m.leaseEpoch });
      addSub(false);
      return { status: 'applied', conflict: false };
    }
    if (t.doneCount < t.overlap) {
      // Live lease, or a stale one on a task nobody has completed since: the work counts.
      addSub(false);
      set('submitted');
      t.doneCount++;
      t.dirty = true;
      if (t.doneCount >= t.overlap) {
        for (const other of leasesByTask.get(m.taskId) ?? []) {
          if (other.state === 'active' && other !== l) {
            other.state = 'revoked';
            other.dirty = true;
            feed.push({
              userId: other.userId,
              kind: 'lease.revoked',
              projectId: t.projectId,
              data: { taskId: other.taskId, epoch: other.epoch, reason: 'completed' },
            });
          }
        }
      }
      return { status: 'applied', conflict: false };
    }
    // Someone else completed the task under a newer lease: keep this work, flagged, never over theirs.
    addSub(true);
    if (l.state === 'active') set('expired');
    feed.push({
      userId: req.userId,
      kind: 'submission.conflict',
      projectId: t.projectId,
      data: { taskId: m.taskId, mutationId: m.mutationId },
    });
    return { status: 'applied', conflict: true };
  };

  for (const m of muts) {
    const k = known.get(m.mutationId);
    if (k) {
      answers.push({
        mutationId: m.mutationId,
        seq: m.seq,
        status: 'duplicate',
        original: k.status,
        conflict: k.conflict === 1,
      });
      continue;
    }
    if (m.seq <= lastSeq) {
      answers.push({ mutationId: m.mutationId, seq: m.seq, status: 'rejected', reason: 'SEQ_REUSED' });
      continue;
    }
    // A gap: earlier mutations have not arrived; stop here and let the client resend.
    if (m.seq > lastSeq + 1) break;
    const o = applyOne(m);
    const conflict = o.status === 'applied' && o.conflict;
    mutationRows.push({
      mutationId: m.mutationId,
      clientId: req.clientId,
      seq: m.seq,
      kind: m.kind,
      taskId: m.taskId,
      outcome: o,
      appliedAt: now,
    });
    known.set(m.mutationId, {
      mutation_id: m.mutationId,
      client_id: req.clientId,
      status: o.status,
      conflict: conflict ? 1 : 0,
    });
    lastSeq = m.seq;
    answers.push(
      o.status === 'applied'
        ? { mutationId: m.mutationId, seq: m.seq, status: 'applied', conflict }
        : {
            mutationId: m.mutationId,
            seq: m.seq,
            status: 'rejected',
            reason: o.reason,
            ...(o.field !== undefined ? { field: o.field } : {}),
            ...(o.message !== undefined ? { message: o.message } : {}),
          },
    );
  }

  for (const s of supersede) {
    await tx.run(
      'UPDATE submissions SET superseded = 1 WHERE task_id = ? AND user_id = ? AND lease_epoch = ? AND superseded = 0',
      [s.taskId, req.userId, s.epoch],
    );
  }
  if (mutationRows.length > 0) await insertNamed(tx, 'mutations', MUTATION_COLUMNS, mutationRows);
  await writeLeases(
    tx,
    [...leases.values()].filter((l) => l.dirty),
    now,
  );
  await writeTasks(
    tx,
    [...tasks.entries()].filter(([, t]) => t.dirty),
  );
  await tx.run('UPDATE clients SET last_seq = ? WHERE client_id = ?', [lastSeq, req.clientId]);
  await appendFeed(tx, feed, now);
  await expireAndRenew(tx, req.userId, undefined, now);
  // Last, so the decoder checks the annotations while the statements above run; a bad one
  // rejects here and the whole transaction rolls back.
  const texts = await req.annotations;
  if (subs.length > 0) {
    for (const s of subs) {
      const text = texts[s.annotationAt];
      if (text === undefined) throw new Error(`push: no annotation text for mutation ${s.id}`);
      s.annotation = text;
    }
    await insertNamed(tx, 'submissions', SUBMISSION_COLUMNS, subs);
    // Version 1 is the earliest by received_at: after a hub clock step back, a new one may be.
    await refreshReviewRollup(tx, subs, true);
  }
  await review.addItems(
    subs
      .filter((s) => !s.conflict && !s.superseded)
      .map((s) => ({ id: s.id, taskId: s.taskId, projectId: s.projectId, userId: s.userId })),
  );
  await review.write(texts);
  return { answers, lastSeq, expectedSeq: lastSeq + 1 };
};

const SUBMISSION_COLUMNS: Columns<NewSubmission> = [
  ['id', 'text', (s) => s.id],
  ['task_id', 'text', (s) => s.taskId],
  ['project_id', 'text', (s) => s.projectId],
  ['user_id', 'text', (s) => s.userId],
  ['lease_epoch', 'int', (s) => s.leaseEpoch],
  // The checked annotation's JSON text, as the push decoder serialized it.
  ['annotation', 'doc', (s) => s.annotation],
  ['conflict', 'int', (s) => (s.conflict ? 1 : 0)],
  ['superseded', 'int', (s) => (s.superseded ? 1 : 0)],
  ['client_submitted_at', 'int', (s) => s.clientSubmittedAt],
  ['received_at', 'int', (s) => s.receivedAt],
];
const MUTATION_COLUMNS: Columns<NewMutation> = [
  ['mutation_id', 'text', (m) => m.mutationId],
  ['client_id', 'text', (m) => m.clientId],
  ['seq', 'int', (m) => m.seq],
  ['kind', 'text', (m) => m.kind],
  ['task_id', 'text', (m) => m.taskId],
  ['status', 'text', (m) => m.outcome.status],
  ['reason', 'text', (m) => (m.outcome.status === 'rejected' ? m.outcome.reason : null)],
  ['conflict', 'int', (m) => (m.outcome.status === 'applied' && m.outcome.conflict ? 1 : 0)],
  ['applied_at', 'int', (m) => m.appliedAt],
];

const writeLeases = async (tx: SqlExecutor, dirty: LeaseState[], now: number): Promise<void> => {
  if (tx.runEach) {
    await tx.runEach(
      'UPDATE leases SET state = ?, updated_at = ? WHERE task_id = ? AND epoch = ?',
      dirty.map((l) => [l.state, now, l.taskId, l.epoch]),
    );
    return;
  }
  const byState = new Map<string, LeaseState[]>();
  for (const l of dirty) {
    const list = byState.get(l.state);
    if (list) list.push(l);
    else byState.set(l.state, [l]);
  }
  // The ids also go as a list (PostgreSQL) so the rows are reached through the primary key:
  // joined on the unnest alone, the planner hashed a scan of the whole table.
  for (const [state, list] of byState) {
    await tx.run(
      `UPDATE leases SET state = ?, updated_at = ? WHERE (task_id, epoch) IN (${jsonRows(tx.dialect, ['text', 'int'])}) AND ${inList(tx.dialect, 'task_id')}`,
      [
        state,
        now,
        ...rowsParams(
          tx.dialect,
          ['text', 'int'],
          list.map((l) => [l.taskId, l.epoch]),
        ),
        listParam(
          tx.dialect,
          list.map((l) => l.taskId),
        ),
      ],
    );
  }
};

const writeTasks = async (tx: SqlExecutor, dirty: [string, TaskState][]): Promise<void> => {
  if (dirty.length === 0) return;
  const rows = dirty.map(([id, t]) => [id, t.doneCount, t.doneCount >= t.overlap ? 1 : 0, t.freed ? 1 : 0]);
  if (tx.runEach) {
    await tx.runEach(
      'UPDATE tasks SET done_count = ?, done = ?, full_until = CASE WHEN ? = 1 THEN 0 ELSE full_until END WHERE id = ?',
      rows.map(([id, ...rest]) => [...rest, id]),
    );
    return;
  }
  await tx.run(
    `UPDATE tasks SET done_count = v.c1, done = v.c2, full_until = CASE WHEN v.c3 = 1 THEN 0 ELSE tasks.full_until END
     FROM (${jsonRows(tx.dialect, ['text', 'int', 'int', 'int'])}) AS v WHERE tasks.id = v.c0 AND ${inList(tx.dialect, 'tasks.id')}`,
    [
      ...rowsParams(tx.dialect, ['text', 'int', 'int', 'int'], rows),
      listParam(
        tx.dialect,
        dirty.map(([id]) => id),
      ),
    ],
  );
};
