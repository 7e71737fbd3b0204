import { randomUUID } from 'node:crypto';
import type { MutationAnswer, MutationInput, PushResponse } from '../../../shared/sync';
import type { OutboxWireEntry } from '../db/outbox';
import type { QueueService } from '../queue/service';
import { type Sleep, realSleep } from './clock';
import { backoffDelay, HttpStatusError, NetworkError, type PreparedBody } from './http';
import { PushPacer } from './push-pacer';
import { ProtocolError, type HubApi } from './hub-api';
import type { SyncStore } from './store';

export type PushReport = {
  sent: number;
  acked: number;
  conflicts: number;
  rejected: number;
  releasedTasks: number;
};

/** Raw JSON per request at most (the hub's body limit is 32 MiB after decompression). */
export const PUSH_MAX_BYTES = 8 * 1024 * 1024;

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

/**
 * One mutation as the JSON text of the wire's Mutation. A submit's annotation is spliced in as
 * the text stored with its submission (`Outbox.read` checked it), never parsed and re-serialized.
 */
export const mutationJson = (row: OutboxWireEntry): string => {
  if (row.leaseEpoch === null)
    return JSON.stringify({ ...filler(row.clientId, row.seq, row.taskId), mutationId: row.mutationId });
  const head = JSON.stringify({
    mutationId: row.mutationId,
    clientId: row.clientId,
    seq: row.seq,
    taskId: row.taskId,
    leaseEpoch: row.leaseEpoch,
    kind: row.kind,
  });
  let payload: string;
  switch (row.kind) {
    case 'submit': {
      if (row.annotationJson === null)
        throw new ProtocolError(`outbox row ${row.seq} (submit) has no annotation`);
      const at = row.payload.submittedAt;
      payload = `{"annotation":${row.annotationJson}${Number.isSafeInteger(at) ? `,"submittedAt":${String(at)}` : ''}}`;
      break;
    }
    case 'skip': {
      const reason = typeof row.payload.reason === 'string' ? row.payload.reason : undefined;
      payload = JSON.stringify(reason ? { reason } : {});
      break;
    }
    case 'release':
      payload = '{}';
      break;
    case 'review.accept':
    case 'review.reject':
    case 'review.fix':
      payload = verdictPayloadJson(row);
      break;
  }
  return `${head.slice(0, -1)},"payload":${payload}}`;
};

/** A verdict's payload: the stored fields, a fix's annotation spliced in as its stored text. */
const verdictPayloadJson = (row: OutboxWireEntry): string => {
  const { submissionId, comments, activeMs, wallMs, reason, note } = row.payload;
  const rest = JSON.stringify({
    submissionId,
    comments: comments ?? [],
    activeMs: activeMs ?? 0,
    ...(typeof wallMs === 'number' ? { wallMs } : {}),
    ...(row.kind === 'review.reject' ? { reason } : {}),
    ...(row.kind !== 'review.accept' && typeof note === 'string' ? { note } : {}),
  });
  if (row.kind !== 'review.fix') return rest;
  if (row.annotationJson === null)
    throw new ProtocolError(`outbox row ${row.seq} (review.fix) has no annotation`);
  return `${rest.slice(0, -1)},"annotation":${row.annotationJson}}`;
};

const isVerdictRow = (row: OutboxWireEntry): boolean => row.kind.startsWith('review.');

/** The review side of push: which kinds the hub takes, and where a verdict's answer goes. */
export type VerdictHooks = {
  /** Why the hub cannot take a mutation of `kind` (it speaks an older protocol), else undefined. */
  unsupported(kind: string): string | undefined;
  /** The hub answered verdict `verdictId` (inside the answers' transaction). */
  answered(
    verdictId: string,
    a:
      | { delivery: 'delivered' | 'flagged' }
      | { delivery: 'refused'; reason: string; field: string | null; message: string | null },
  ): void;
};

type Batch = { rows: OutboxWireEntry[]; rawBytes: number; body: Promise<PreparedBody> };

export type PushOptions = {
  /** Sizes each request; kept by the engine across cycles so a link's measure survives. */
  pacer?: PushPacer;
  /**
   * Runs between two answered batches when `due()` says so: the engine pulls (and so renews
   * leases) there while a long backlog drains. Its errors are its own (a push goes on).
   */
  between?: { due: () => boolean; run: () => Promise<void> };
  /** Unanswered attempts in a row before the push gives up (the loop backs off). */
  attempts?: number;
  sleep?: Sleep;
  random?: () => number;
  /** Verdicts (review): checked against the hub's protocol before sending, answers recorded. */
  verdicts?: VerdictHooks;
};

/** A request that got no usable answer and may go again, smaller. */
const retryable = (e: unknown, capMs: number): boolean =>
  e instanceof NetworkError ||
  (e instanceof HttpStatusError &&
    (e.status === 413 || e.status === 408 || e.status === 429 || e.status >= 500) &&
    (e.retryAfterMs ?? 0) <= capMs);

/**
 * Drains the outbox in seq order, in batches sized by `PushPacer`. A row is deleted only once
 * the hub answered it (applied, duplicate or rejected — all final), so nothing the hub
 * acknowledged is sent again; unanswered rows (a gap, a lost answer) are sent again.
 *
 * One request is in flight at a time, so the hub sees exactly the sequence a one-by-one drain
 * would send. What overlaps is the client's own work: batch k+1 is read and compressed while
 * the hub works on batch k, and is sent the moment k's answer arrives if k was answered whole;
 * k's answers are then written locally while k+1 is on the hub. A crash in between only leaves
 * answered rows in the outbox, which the hub answers `duplicate` next time. A request without
 * an answer is tried again from the outbox head, smaller, up to `attempts` times in a row.
 */
export const pushOutbox = async (
  api: HubApi,
  queue: QueueService,
  store: SyncStore,
  now: () => number,
  batch: number,
  maxBytes = PUSH_MAX_BYTES,
  opts: PushOptions = {},
): Promise<PushReport> => {
  const report: PushReport = { sent: 0, acked: 0, conflicts: 0, rejected: 0, releasedTasks: 0 };
  const { outbox, hub } = queue;
  const clientId = outbox.clientId();
  const pacer = opts.pacer ?? new PushPacer({ maxRows: batch, maxRawBytes: maxBytes });
  const rowCap = Math.min(batch, pacer.maxRows);
  const attempts = opts.attempts ?? 4;
  const sleep = opts.sleep ?? realSleep;
  const random = opts.random ?? Math.random;
  const prepare = (afterSeq: number): Batch | null => {
    const read = outbox.read(afterSeq, rowCap);
    if (read.length === 0) return null;
    const budget = Math.min(maxBytes, pacer.rawBudget());
    const texts: string[] = [];
    let bytes = 0;
    for (const row of read) {
      // A verdict an older hub cannot take holds the queue here (seqs stay dense): the cycle
      // fails with the reason, and nothing is sent that the hub would refuse as a whole batch.
      const unsupported = isVerdictRow(row) ? opts.verdicts?.unsupported(row.kind) : undefined;
      if (unsupported !== undefined) {
        if (texts.length === 0) throw new ProtocolError(`cannot send a verdict: ${unsupported}`);
        break;
      }
      const t = mutationJson(row);
      if (texts.length > 0 && bytes + t.length > budget) break;
      texts.push(t);
      bytes += t.length;
    }
    const body = api.preparePush(clientId, texts);
    body.catch(() => undefined);
    return { rows: read.slice(0, texts.length), rawBytes: bytes, body };
  };
  const send = async (b: Batch): Promise<PushResponse> => {
    const body = await b.body;
    const t0 = performance.now();
    try {
      const res = await api.pushPrepared(body, { retry: false });
      pacer.answered(body.rawBytes, body.data.length, performance.now() - t0);
      return res;
    } catch (e) {
      if (retryable(e, 30_000)) pacer.failed(body.data.length);
      throw e;
    }
  };
  const start = (b: Batch | null) => {
    const p = b ? send(b) : null;
    p?.catch(() => undefined);
    return p;
  };

  let failures = 0;
  let cur = prepare(0);
  let pending = start(cur);
  for (let round = 0; cur && pending && round < 1_000_000; round++) {
    // Read and compress the next batch while this one is on the hub.
    let next = prepare(cur.rows[cur.rows.length - 1]!.seq);
    let res: PushResponse;
    try {
      res = await pending;
      failures = 0;
    } catch (e) {
      if (!retryable(e, 30_000) || ++failures >= attempts) throw e;
      await sleep(backoffDelay(failures, { baseMs: 250, maxMs: 4_000 }, random));
      // Smaller, from the outbox head (nothing of this batch was answered).
      cur = prepare(0);
      pending = start(cur);
      continue;
    }
    report.sent += cur.rows.length;
    const byId = new Map(cur.rows.map((r) => [r.mutationId, r]));
    const answered = res.answers.filter((a) => byId.has(a.mutationId));
    const whole = answered.length === cur.rows.length;
    const pause = whole && next !== null && (opts.between?.due() ?? false);
    // The hub is idle again: hand it the next batch before writing this one's answers (unless
    // a pull goes first, below).
    pending = whole && next && !pause ? start(next) : null;
    if (answered.length === 0) {
      const first = cur.rows[0]!;
      if (res.expectedSeq < first.seq) {
        // The hub has not seen this client's earlier seqs (a new hub, or rows acked elsewhere).
        // Only batches that start at the outbox head are sent unless the one before was answered
        // whole and acked, so every seq below `first` was acknowledged here.
        const fill: MutationInput[] = [];
        for (let s = res.expectedSeq; s < first.seq && fill.length < batch; s++)
          fill.push(filler(clientId, s, '-'));
        await api.push({ clientId, mutations: fill });
      } else {
        throw new ProtocolError(`hub answered none of seqs ${first.seq}… (expects ${res.expectedSeq})`);
      }
    } else {
      queue.transaction(() => {
        // Ack first: a released task can only leave the queue once no outbox row names it.
        report.acked += hub.acknowledge(answered.map((a) => a.mutationId));
        const at = now();
        for (const a of answered) {
          const row = byId.get(a.mutationId)!;
          if (isVerdictRow(row)) verdictAnswer(a, row, opts.verdicts, report);
          else applyAnswer(a, row, queue, store, at, report);
        }
      });
    }
    if (pause) {
      await opts.between!.run();
      pending = start(next);
    }
    if (!pending) {
      // A gap (unanswered rows) or the end of what was read: start again from the outbox head.
      next = prepare(0);
      pending = start(next);
    }
    cur = next;
  }
  return report;
};

const applyAnswer = (
  a: MutationAnswer,
  row: OutboxWireEntry,
  queue: QueueService,
  store: SyncStore,
  at: number,
  report: PushReport,
): void => {
  const kind = row.kind;
  if (kind !== 'submit' && kind !== 'skip' && kind !== 'release') return;
  const conflict =
    a.status === 'applied' ? a.conflict : a.status === 'duplicate' ? (a.conflict ?? false) : false;
  const refused = a.status === 'rejected' || (a.status === 'duplicate' && a.original === 'rejected');
  // Local-only work (no lease epoch) went as a filler: its answer says nothing about the task.
  if (row.leaseEpoch !== null && !refused) queue.hub.delivered(row.taskId, at);
  if (conflict) {
    report.conflicts++;
    store.addConflict({
      mutationId: row.mutationId,
      taskId: row.taskId,
      kind: 'conflict',
      mutationKind: kind,
      reason: null,
      at,
    });
  }
  if (a.status === 'rejected' && row.leaseEpoch !== null) {
    report.rejected++;
    // Refused work is never dropped silently: the annotator sees it (their copy stays local) until
    // they act on it. Skips and releases too: the hub still counts what it had before.
    store.addConflict({
      mutationId: row.mutationId,
      taskId: row.taskId,
      kind: 'rejected',
      mutationKind: kind,
      reason: a.reason,
      at,
    });
  }
  // Only a release row gives a task back (every one comes from `QueueService.release`); once the
  // hub has answered it, the task leaves the queue unless it holds work still to deliver.
  if (row.kind === 'release' && queue.hub.dropLease(row.taskId) === 'deleted') report.releasedTasks++;
};

/** A verdict's answer goes to the review tables (never to the annotator's delivery records). */
const verdictAnswer = (
  a: MutationAnswer,
  row: OutboxWireEntry,
  hooks: VerdictHooks | undefined,
  report: PushReport,
): void => {
  if (a.status === 'rejected' || (a.status === 'duplicate' && a.original === 'rejected')) {
    report.rejected++;
    hooks?.answered(row.mutationId, {
      delivery: 'refused',
      reason: a.status === 'rejected' ? a.reason : 'REFUSED',
      field: a.status === 'rejected' ? (a.field ?? null) : null,
      message:
        a.status === 'rejected'
          ? (a.message ?? null)
          : 'the hub had refused this verdict before (its first answer was lost)',
    });
    return;
  }
  const flagged = a.status === 'applied' ? a.conflict : (a.conflict ?? false);
  if (flagged) report.conflicts++;
  hooks?.answered(row.mutationId, { delivery: flagged ? 'flagged' : 'delivered' });
};
