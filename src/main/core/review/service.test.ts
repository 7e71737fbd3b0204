import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock, openQueue, tempDir, textProject } from '../../../../tests/db/helpers';
import type { Annotation, LabelConfig, Task } from '../../../shared/model';
import { Mutation, type TaskVersion } from '../../../shared/sync';
import type { Db } from '../db/open';
import type { QueueService } from '../queue/service';
import { mutationJson, pushOutbox } from '../sync/push';
import type { HubApi } from '../sync/hub-api';
import { SyncStore } from '../sync/store';
import { ReviewService } from './service';
import type { NewReviewItem } from './store';

const labelConfig: LabelConfig = textProject().labelConfig;

const task = (id: string): Task => ({
  id,
  projectId: 'rp',
  data: { kind: 'text', text: 'Hello wide world', title: id },
  predictions: [],
  meta: {},
});

const work: Annotation = {
  results: [
    { type: 'span', id: 's1', label: 'person', start: 0, end: 5, text: 'Hello', attributes: {} },
    {
      type: 'keypoints',
      id: 'k1',
      label: 'person',
      points: [
        { x: 1, y: 1, v: 2 },
        { x: 2, y: 2, v: 2 },
      ],
      attributes: {},
    },
  ],
  activeMs: 700,
};

const version = (id: string, userId: string, at: number): TaskVersion & { annotation: Annotation } => ({
  id,
  source: 'submission',
  userId,
  userName: userId === 'me' ? 'Me' : 'Ann',
  at,
  activeMs: 700,
  conflict: false,
  superseded: false,
  annotation: work,
});

const item = (submissionId: string, taskId: string, author = 'ann', epoch = 4): NewReviewItem => ({
  submissionId,
  taskId,
  projectId: 'rp',
  batch: 'b1',
  title: taskId,
  task: task(taskId),
  epoch,
  expiresAtLocal: 9_999_999_999_999,
  submission: version(submissionId, author, 100),
  versions: [],
  verdicts: [],
});

describe('ReviewService', () => {
  let cleanup: () => void;
  let db: Db;
  let queue: QueueService;
  let review: ReviewService;
  let signedIn: { userId: string; userName: string } | null;
  let clock: ReturnType<typeof manualClock>;
  beforeEach(() => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    clock = manualClock();
    ({ db, queue } = openQueue(path.join(dir, 'w.db'), 0, clock));
    signedIn = { userId: 'me', userName: 'Me' };
    review = new ReviewService(queue, clock, () => signedIn);
    review.addLeased(
      {
        id: 'rp',
        name: 'Review project',
        kind: 'text',
        labelConfig,
        leaseHours: 72,
        overlap: 1,
        rejectReasons: ['wrong label'],
      },
      [item('sub-1', 'task-1'), item('sub-2', 'task-2'), item('sub-own', 'task-3', 'me')],
    );
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  const state = () => ({
    outbox: queue.outbox.size(),
    statuses: review.list({ limit: 10, offset: 0 }).items.map((i) => i.status),
  });

  it('writes a verdict with its outbox row, the review lease epoch and the next item', async () => {
    // The review screen reports presence on the task: 3 s of input on it, then a 5 s pause.
    await queue.reportActivity('w', [
      { kind: 'focus', ago: 0 },
      { kind: 'task', taskId: 'task-1', ago: 0 },
      { kind: 'input', ago: 0 },
    ]);
    for (let i = 0; i < 3; i++) {
      clock.advance(1000);
      await queue.reportActivity('w', [{ kind: 'input', ago: 0 }]);
    }
    clock.advance(5000);
    const given = review.decide('review.reject', {
      submissionId: 'sub-1',
      reason: 'wrong label',
      comments: [{ target: { kind: 'span', resultId: 's1' }, text: 'not a person' }],
    });
    expect(given.nextSubmissionId).toBe('sub-2');
    const [row] = queue.outbox.read(0, 10);
    expect(row).toMatchObject({
      kind: 'review.reject',
      taskId: 'task-1',
      leaseEpoch: 4,
      mutationId: given.verdictId,
    });
    // What push sends is a valid wire mutation.
    const wire = Mutation.parse(JSON.parse(mutationJson(row!)));
    expect(wire).toMatchObject({
      kind: 'review.reject',
      leaseEpoch: 4,
      payload: { submissionId: 'sub-1', reason: 'wrong label', activeMs: 3000, wallMs: 8000 },
    });
    const view = review.open('sub-1');
    expect(view.item).toMatchObject({ status: 'rejected', delivery: 'waiting' });
    expect(view.verdicts).toMatchObject([{ id: given.verdictId, kind: 'rejected', reviewerName: 'Me' }]);
  });

  it('refuses bad verdicts whole, naming the field', () => {
    const before = state();
    const refuse = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e;
      }
      throw new Error('not refused');
    };
    expect(
      refuse(() =>
        review.decide('review.reject', {
          submissionId: 'sub-1',
          reason: 'wrong label',
          comments: [
            { target: { kind: 'task' }, text: 'ok' },
            { target: { kind: 'region', resultId: 'no-box' }, text: 'gone' },
          ],
        }),
      ),
    ).toMatchObject({ code: 'INVALID_INPUT', path: 'comments.1.target.resultId' });
    // A span id pinned as a region is no region.
    expect(
      refuse(() =>
        review.decide('review.accept', {
          submissionId: 'sub-1',
          comments: [{ target: { kind: 'region', resultId: 's1' }, text: 'x' }],
        }),
      ),
    ).toMatchObject({ code: 'INVALID_INPUT', path: 'comments.0.target.resultId' });
    expect(
      refuse(() =>
        review.decide('review.accept', {
          submissionId: 'sub-1',
          comments: [{ target: { kind: 'keypoint', resultId: 'k1', index: 2 }, text: 'x' }],
        }),
      ),
    ).toMatchObject({ code: 'INVALID_INPUT', path: 'comments.0.target.index' });
    expect(
      refuse(() => review.decide('review.reject', { submissionId: 'sub-1', reason: 'meh', comments: [] })),
    ).toMatchObject({ code: 'INVALID_INPUT', path: 'reason' });
    expect(
      refuse(() => review.decide('review.accept', { submissionId: 'nope', comments: [] })),
    ).toMatchObject({ code: 'NOT_FOUND', path: 'submissionId' });
    expect(
      refuse(() => review.decide('review.accept', { submissionId: 'sub-own', comments: [] })),
    ).toMatchObject({ code: 'FORBIDDEN', path: 'submissionId' });
    // A fix whose span does not cover its text.
    const badFix: Annotation = {
      results: [{ type: 'span', id: 's1', label: 'person', start: 0, end: 5, text: 'Hxllo', attributes: {} }],
      activeMs: 0,
    };
    expect(
      refuse(() => review.decide('review.fix', { submissionId: 'sub-1', annotation: badFix, comments: [] })),
    ).toMatchObject({ code: 'INVALID_INPUT' });
    signedIn = null;
    expect(
      refuse(() => review.decide('review.accept', { submissionId: 'sub-1', comments: [] })),
    ).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(state()).toEqual(before);
  });

  it('takes one verdict per item, and a fix as a new version beside the annotator’s', () => {
    const fixed: Annotation = { ...work, results: work.results.slice(1) };
    const given = review.decide('review.fix', {
      submissionId: 'sub-1',
      annotation: fixed,
      note: 'dropped s1',
      comments: [],
    });
    expect(() => review.decide('review.accept', { submissionId: 'sub-1', comments: [] })).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    );
    const view = review.open('sub-1');
    expect(view.versions.map((v) => [v.source, v.id])).toEqual([
      ['submission', 'sub-1'],
      ['fix', `fix:${given.verdictId}`],
    ]);
    const [row] = queue.outbox.read(0, 10);
    const wire = Mutation.parse(JSON.parse(mutationJson(row!)));
    expect(wire).toMatchObject({
      kind: 'review.fix',
      payload: { annotation: { results: [{ id: 'k1' }] }, note: 'dropped s1' },
    });
  });

  it('keeps a verdict being composed until it is given', () => {
    review.saveDraft('sub-2', {
      comments: [{ target: { kind: 'task' }, text: 'hm' }],
      reason: 'wrong label',
    });
    expect(review.open('sub-2').draft).toMatchObject({ reason: 'wrong label' });
    expect(
      review.list({ limit: 10, offset: 0 }).items.find((i) => i.submissionId === 'sub-2')?.hasDraft,
    ).toBe(true);
    review.decide('review.accept', { submissionId: 'sub-2', comments: [] });
    expect(review.open('sub-2').draft).toBeNull();
  });

  it('filters the queue and counts per batch', () => {
    review.decide('review.accept', { submissionId: 'sub-1', comments: [] });
    const pending = review.list({ status: ['pending'], limit: 10, offset: 0 });
    expect(pending.items.map((i) => i.submissionId)).toEqual(['sub-2', 'sub-own']);
    expect(review.list({ annotatorId: 'ann', limit: 10, offset: 0 }).total).toBe(2);
    expect(pending.batches).toEqual([
      {
        projectId: 'rp',
        batch: 'b1',
        pending: 2,
        accepted: 1,
        fixed: 0,
        rejected: 0,
        waiting: 1,
        refused: 0,
      },
    ]);
  });

  it('records the hub’s answers: delivered, flagged, refused with its field', () => {
    const a = review.decide('review.accept', { submissionId: 'sub-1', comments: [] });
    const b = review.decide('review.accept', { submissionId: 'sub-2', comments: [] });
    queue.transaction(() => {
      review.answered(a.verdictId, { delivery: 'flagged' });
      review.answered(b.verdictId, {
        delivery: 'refused',
        reason: 'NO_LEASE',
        field: 'leaseEpoch',
        message: 'gone',
      });
    });
    expect(review.open('sub-1').verdicts[0]).toMatchObject({ delivery: 'flagged', flag: 'conflict' });
    expect(review.open('sub-2').verdicts[0]).toMatchObject({
      delivery: 'refused',
      refusal: { reason: 'NO_LEASE', field: 'leaseEpoch' },
    });
  });

  it('holds verdicts back from a hub older than 1.1, with the reason', async () => {
    review.decide('review.accept', { submissionId: 'sub-1', comments: [] });
    let sent = 0;
    const api = {
      preparePush: () => {
        sent++;
        return Promise.resolve({ data: Buffer.from('{}'), headers: {}, rawBytes: 2 });
      },
    } as unknown as HubApi;
    await expect(
      pushOutbox(api, queue, new SyncStore(db), () => 0, 10, undefined, {
        verdicts: {
          unsupported: () => 'the hub speaks protocol 1.0; "review.accept" needs 1.1 or newer',
          answered: () => {},
        },
      }),
    ).rejects.toThrow(/needs 1\.1/);
    expect(sent).toBe(0);
    expect(queue.outbox.size()).toBe(1);
  });

  it('renews live review leases on a pull as the hub does, never an ended one', () => {
    const clock = manualClock(1_000_000);
    const r2 = new ReviewService(queue, clock, () => signedIn);
    queue.transaction(() => r2.store.endLease('sub-2', 4, 500_000));
    queue.transaction(() => r2.applyFeed([], 1_000_000, 1_000_000));
    const items = new Map(r2.list({ limit: 10, offset: 0 }).items.map((i) => [i.submissionId, i]));
    // Seeded far in the future: a renewal never shortens a lease.
    expect(items.get('sub-1')?.leaseExpiresAt).toBe(9_999_999_999_999);
    expect(items.get('sub-2')?.leaseExpiresAt).toBe(500_000);
    queue.transaction(() =>
      db.prepare("UPDATE review_items SET lease_expires_at = 2000000 WHERE submission_id = 'sub-1'").run(),
    );
    queue.transaction(() => r2.applyFeed([], 1_500_000, 1_500_000));
    expect(r2.store.item('sub-1')?.leaseExpiresAt).toBe(1_500_000 + 72 * 3_600_000);
    expect(r2.store.item('sub-2')?.leaseExpiresAt).toBe(500_000);
  });

  it('brings a rejected task back to its annotator with the comments, once', () => {
    // The annotator's side: a task leased from the hub, submitted.
    queue.hub.addLeased(
      [{ id: 'ap', name: 'A', kind: 'text', labelConfig, leaseHours: 72, overlap: 1 }],
      [
        {
          task: { ...task('mine'), projectId: 'ap' },
          title: 'mine',
          hubTaskId: 'mine',
          epoch: 1,
          expiresAt: 10_000,
        },
      ],
      1,
    );
    return (async () => {
      await queue.submit('mine', work);
      const event = {
        kind: 'review.rejected' as const,
        seq: 7,
        projectId: 'ap',
        at: 2_000,
        taskId: 'mine',
        submissionId: 'hub-sub',
        verdictId: 'v-1',
        reviewerId: 'rita',
        epoch: 2,
        expiresAt: 50_000,
        reason: 'wrong label',
        comments: [{ target: { kind: 'span' as const, resultId: 's1' }, text: 'no' }],
      };
      const reworked = queue.transaction(() => review.applyFeed([event], 1_000, 1_000));
      expect(reworked).toEqual(['mine']);
      expect(queue.transaction(() => review.applyFeed([event], 1_000, 1_000))).toEqual([]);
      const fb = review.feedback('mine');
      expect(fb.inRework).toBe(true);
      expect(fb.feedback).toMatchObject([
        { verdictId: 'v-1', reason: 'wrong label', comments: event.comments },
      ]);
      const view = await queue.open('mine');
      expect(view.status).toBe('queued');
      expect(view.draft?.annotation.results).toHaveLength(2);
      expect(queue.hub.leaseEpoch('mine')).toBe(2);
    })();
  });
});
