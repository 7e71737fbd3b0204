import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../tests/db/helpers';
import {
  Mutation,
  type MutationAnswer,
  type PushRequestInput,
  type PushResponse,
} from '../../../shared/sync';
import { openDatabase, type Db } from '../db/open';
import { Outbox } from '../db/outbox';
import { QueueService } from '../queue/service';
import type { HubApi } from './hub-api';
import { pushOutbox } from './push';
import { SyncStore } from './store';

/**
 * A hub that keeps this client's last seq the way the real one does: a mutation applies only at
 * `last + 1`; anything after a gap is left unanswered. Requests are answered after a tick, and
 * the fake records how many were in flight at once.
 */
const fakeHub = (opts: { answerOnly?: (batch: number) => number | null; lastSeq?: number } = {}) => {
  let last = opts.lastSeq ?? 0;
  let inFlight = 0;
  const seen: number[][] = [];
  const applied = new Map<string, number>();
  const state = { maxInFlight: 0, seen, applied, last: () => last };
  const handle = async (mutations: unknown[]): Promise<PushResponse> => {
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 2));
    const ms = mutations.map((m) => Mutation.parse(m));
    seen.push(ms.map((m) => m.seq));
    const cap = opts.answerOnly?.(seen.length - 1) ?? Infinity;
    const answers: MutationAnswer[] = [];
    for (const m of ms) {
      if (answers.length >= cap) break;
      if (applied.has(m.mutationId))
        answers.push({ mutationId: m.mutationId, seq: m.seq, status: 'duplicate', original: 'applied' });
      else if (m.seq === last + 1) {
        last = m.seq;
        applied.set(m.mutationId, m.seq);
        answers.push({ mutationId: m.mutationId, seq: m.seq, status: 'applied', conflict: false });
      } else if (m.seq > last + 1) break;
    }
    inFlight--;
    return { answers, lastSeq: last, expectedSeq: last + 1, serverTime: 0 };
  };
  const api: HubApi = {
    health: () => Promise.resolve(),
    me: () => Promise.reject(new Error('unused')),
    activity: () => Promise.reject(new Error('unused')),
    project: () => Promise.reject(new Error('unused')),
    lease: () => Promise.reject(new Error('unused')),
    heldLeases: () => Promise.reject(new Error('unused')),
    pull: () => Promise.reject(new Error('unused')),
    push: (req: PushRequestInput) => handle(req.mutations),
    preparePush: (clientId, texts) => {
      const text = `{"clientId":${JSON.stringify(clientId)},"mutations":[${texts.join(',')}]}`;
      return Promise.resolve({ data: Buffer.from(text), headers: {}, rawBytes: text.length });
    },
    pushPrepared: (body) =>
      handle((JSON.parse(body.data.toString('utf8')) as { mutations: unknown[] }).mutations),
  };
  return { api, state };
};

describe('pushOutbox', () => {
  let cleanup: () => void;
  let db: Db;
  let outbox: Outbox;
  let store: SyncStore;
  let service: QueueService;
  beforeEach(() => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    db = openDatabase(path.join(dir, 'w.db'));
    db.prepare("INSERT INTO projects VALUES ('p', 'P', 'text', '{}', 72, 1, NULL, 0)").run();
    db.prepare(
      "INSERT INTO tasks (id, project_id, kind, title, status, data, created_at, updated_at, hub_lease_epoch, lease_expires_at) VALUES ('t', 'p', 'text', 't', 'queued', '{}', 0, 0, 1, 9)",
    ).run();
    outbox = new Outbox(db);
    store = new SyncStore(db);
    service = new QueueService(db, { clock: () => 0 });
  });
  afterEach(() => {
    db.close();
    cleanup();
  });
  const queue = (n: number) => {
    for (let i = 0; i < n; i++) {
      db.transaction(() => {
        const annotationJson = JSON.stringify({ results: [], activeMs: i });
        const seq = Number(
          db
            .prepare("INSERT INTO submissions (id, task_id, annotation, submitted_at) VALUES (?, 't', ?, 1)")
            .run(`s${i}`, annotationJson).lastInsertRowid,
        );
        outbox.append('submit', 't', { annotation: { results: [], activeMs: i }, submittedAt: 1 }, 1, {
          seq,
          annotationJson,
        });
      })();
    }
  };

  it('drains in seq order, one request in flight, each mutation applied once', async () => {
    queue(10);
    const { api, state } = fakeHub();
    const r = await pushOutbox(api, service, store, () => 0, 3);
    expect(state.seen).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9], [10]]);
    expect(state.maxInFlight).toBe(1);
    expect(r).toMatchObject({ sent: 10, acked: 10 });
    expect(outbox.size()).toBe(0);
    expect([...state.applied.values()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('a batch answered in part: the batch read ahead is never sent; the rest goes again from the head', async () => {
    queue(7);
    // The hub answers only the first two of the first batch (a gap on its side).
    const { api, state } = fakeHub({ answerOnly: (k) => (k === 0 ? 2 : null) });
    const r = await pushOutbox(api, service, store, () => 0, 3);
    expect(state.seen).toEqual([
      [1, 2, 3],
      [3, 4, 5],
      [6, 7],
    ]);
    expect(r.acked).toBe(7);
    expect(state.maxInFlight).toBe(1);
    expect(outbox.size()).toBe(0);
  });

  it('a budget of bytes cuts a batch short; nothing is skipped', async () => {
    queue(5);
    const { api, state } = fakeHub();
    await pushOutbox(api, service, store, () => 0, 100, 500);
    expect(state.seen.flat()).toEqual([1, 2, 3, 4, 5]);
    expect(state.seen.length).toBeGreaterThan(1);
    expect(outbox.size()).toBe(0);
  });

  it('a hub that never saw the earlier seqs gets fillers for them, then the outbox', async () => {
    queue(4);
    // Seqs 1–2 were acknowledged by a hub whose memory of them is gone.
    outbox.ack(outbox.read(0, 2).map((r) => r.mutationId));
    const { api, state } = fakeHub();
    const r = await pushOutbox(api, service, store, () => 0, 3);
    expect(state.seen).toEqual([
      [3, 4],
      [1, 2],
      [3, 4],
    ]);
    expect(r.acked).toBe(2);
    expect(state.last()).toBe(4);
  });
});
