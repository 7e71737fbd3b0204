import { beforeEach, describe, expect, it } from 'vitest';
import { isSampled } from '../../src/hub/storage/review-items';
import type { SqlStorage } from '../../src/hub/storage/sql-storage';
import { pushBatchOf } from '../../src/hub/push/decode';
import { HOUR, T0, seed, submit, textTasks, verdict } from './helpers';
import { type OpenStorage, storageFixture } from './storage-fixture';

/**
 * Review and rework on one storage engine: run on SQLite (storage.sqlite.test.ts) and the
 * PostgreSQL dialect (storage.pg.test.ts), like storage.suite.ts.
 */
export const reviewSuite = (name: string, open: OpenStorage): void => {
  describe(`review on ${name}`, () => {
    const fx = storageFixture(open);
    const { push, ref } = fx;
    let s: SqlStorage;
    beforeEach(() => {
      s = fx.s;
    });

    const users = {
      ann: 'annotator',
      bob: 'annotator',
      rev: 'reviewer',
      rex: 'reviewer',
      lee: 'lead',
    } as const;
    /** ann leases and submits `n` tasks; returns the submission ids by task. */
    const annotate = async (user: string, n: number, now = T0): Promise<Map<string, string>> => {
      const leases = await s.claim(
        { userId: user, deviceId: `${user}-laptop`, projectId: 'p1', count: n },
        now,
      );
      const out = new Map<string, string>();
      await push(
        user,
        (seq) =>
          leases.map((l) => {
            const m = submit(`c-${user}`, seq(), l.taskId, l.epoch, {
              payload: {
                annotation: {
                  results: [
                    { type: 'span', id: 's1', label: 'PER', start: 0, end: 4, text: 'text' },
                    { type: 'keypoints', id: 'k1', label: 'pose', points: [{ x: 1, y: 1, v: 2 }] },
                  ],
                  activeMs: 1200,
                },
              },
            });
            out.set(l.taskId, m.mutationId);
            return m;
          }),
        now,
      );
      return out;
    };
    const leaseReviews = (
      user: string,
      count: number,
      now = T0,
      extra: { batch?: string; requestId?: string } = {},
    ) => s.claimReviews({ userId: user, deviceId: `${user}-dev`, projectId: 'p1', count, ...extra }, now);

    it('makes review items as submissions arrive and leases them with their content, never to the author, never twice', async () => {
      await seed(s, { tasks: 6, reviewPolicy: 'all', users: { ...users, lee: 'lead' } });
      const subs = await annotate('ann', 3);
      // A lead who annotated too: lee's own two are left for others.
      await annotate('lee', 2);
      const mine = await leaseReviews('lee', 10);
      expect(mine.map((r) => r.taskId)).toEqual([...subs.keys()]);
      const [first] = mine;
      expect(first).toMatchObject({
        submissionId: subs.get('p1:t0'),
        batch: 'default',
        epoch: 1,
        deviceId: 'lee-dev',
        expiresAt: T0 + HOUR,
        task: { id: 'p1:t0', data: { kind: 'text', text: 'text 0' } },
        submission: { userId: 'ann', userName: 'ann', activeMs: 1200, source: 'submission' },
        versions: [],
        verdicts: [],
      });
      // lee holds ann's three; rev gets lee's two, then nothing is left.
      expect((await leaseReviews('rev', 10)).map((r) => r.submission.userId)).toEqual(['lee', 'lee']);
      expect(await leaseReviews('rex', 10)).toEqual([]);
      // The reviewer may read the task's assets while the review lease lives (see canReadAsset).
      // A retried request gets the same leases back and leases nothing more.
      await annotate('bob', 1);
      const again = await leaseReviews('rex', 1, T0, { requestId: 'rq' });
      expect(await leaseReviews('rex', 1, T0 + 1, { requestId: 'rq' })).toEqual(again);
      expect(again).toHaveLength(1);
    });

    it('concurrent claimers never share a review item', async () => {
      await seed(s, { tasks: 40, reviewPolicy: 'all', users });
      await annotate('ann', 40);
      await s.grantRole('lee', 'p1', 'reviewer');
      const got = await Promise.all(['rev', 'rex', 'lee'].map((u) => leaseReviews(u, 15)));
      const ids = got.flat().map((r) => r.submissionId);
      expect(ids).toHaveLength(40);
      expect(new Set(ids).size).toBe(40);
    });

    it('a seeded percent picks the same tasks every time, and none/all as named', async () => {
      const policy = { percent: 30, seed: 7 };
      await seed(s, { tasks: 200, reviewPolicy: policy, users });
      await annotate('ann', 200);
      const picked = (await leaseReviews('rev', 1000)).map((r) => r.taskId);
      expect(picked.length).toBeGreaterThan(35);
      expect(picked.length).toBeLessThan(85);
      // The draw is a pure function of (seed, task id): any hub picks the same tasks.
      const again = Array.from({ length: 200 }, (_, i) => `p1:t${i}`).filter((id) => isSampled(policy, id));
      expect(picked.sort()).toEqual(again.sort());
      expect(isSampled('none', 'x')).toBe(false);
      expect(isSampled('all', 'x')).toBe(true);
    });

    it('applies a verdict exactly once under duplicates and lost answers', async () => {
      await seed(s, { tasks: 2, reviewPolicy: 'all', users });
      await annotate('ann', 2);
      const [a, b] = await leaseReviews('rev', 2);
      const accept = verdict('review.accept', 'c-rev', 1, ref(a), { activeMs: 300 });
      const fix = verdict('review.fix', 'c-rev', 2, ref(b));
      const first = await s.push(
        pushBatchOf({ userId: 'rev', clientId: 'c-rev', mutations: [accept, fix] }),
        T0 + 1,
      );
      expect(first.answers.map((x) => x.status)).toEqual(['applied', 'applied']);
      // The answer was lost: the same batch again, twice at once.
      const again = await Promise.all(
        [1, 2].map(() =>
          s.push(pushBatchOf({ userId: 'rev', clientId: 'c-rev', mutations: [accept, fix] }), T0 + 2),
        ),
      );
      for (const r of again)
        expect(r.answers).toEqual([
          {
            mutationId: accept.mutationId,
            seq: 1,
            status: 'duplicate',
            original: 'applied',
            conflict: false,
          },
          { mutationId: fix.mutationId, seq: 2, status: 'duplicate', original: 'applied', conflict: false },
        ]);
      const h = await s.taskHistory(a?.taskId ?? '');
      expect(h?.verdicts).toHaveLength(1);
      expect(h).toMatchObject({
        reviewStatus: 'accepted',
        verdicts: [{ kind: 'accepted', reviewerName: 'rev', activeMs: 300 }],
      });
      // A fix is a version of its own; the annotator's stays as it was.
      const hb = await s.taskHistory(b?.taskId ?? '');
      expect(hb?.reviewStatus).toBe('fixed');
      expect(hb?.versions.map((v) => [v.source, v.userId])).toEqual([
        ['submission', 'ann'],
        ['fix', 'rev'],
      ]);
      expect(hb?.versions[1]?.annotation).toMatchObject({ results: [{ labels: ['fixed'] }] });
      expect(hb?.versions[0]?.annotation).toMatchObject({ results: [{ id: 's1' }, { id: 'k1' }] });
      expect((await s.progress('p1', T0)).batches).toEqual([
        { batch: 'default', tasks: 2, done: 2, pending: 0, accepted: 1, fixed: 1, rejected: 0, inRework: 0 },
      ]);
    });

    it('keeps and flags a verdict on a version the annotator has since replaced, and reviews the new one', async () => {
      await seed(s, { tasks: 1, reviewPolicy: 'all', users });
      const oldId = (await annotate('ann', 1)).get('p1:t0');
      const [item] = await leaseReviews('rev', 1);
      // ann reopens and resubmits under the same lease: a new version.
      const answers = await push('ann', (seq) => [submit('c-ann', seq(), 'p1:t0', 1)], T0 + 10);
      expect(answers[0]?.status).toBe('applied');
      const feed = await s.pull({ userId: 'rev', cursor: 0, limit: 10 }, T0 + 11);
      expect(feed.events).toEqual([
        expect.objectContaining({
          kind: 'review.revoked',
          taskId: 'p1:t0',
          submissionId: oldId,
          reason: 'superseded',
        }),
      ]);
      const late = await push('rev', (seq) => [verdict('review.reject', 'c-rev', seq(), ref(item))], T0 + 12);
      expect(late[0]).toMatchObject({ status: 'applied', conflict: true });
      const h = await s.taskHistory('p1:t0');
      expect(h?.verdicts).toEqual([
        expect.objectContaining({ kind: 'rejected', flag: 'stale', submissionId: oldId }),
      ]);
      // Never applied over the newer version: no rework lease, the new version waits for review.
      expect(h?.reviewStatus).toBe('pending');
      expect(
        (await s.pull({ userId: 'ann', cursor: 0, limit: 50 }, T0 + 13)).events.map((e) => e.kind),
      ).not.toContain('review.rejected');
      const [next] = await leaseReviews('rex', 5, T0 + 14);
      expect(next?.submission.id).toBe(answers[0]?.mutationId);
      expect(next?.versions.map((v) => [v.id, v.superseded])).toEqual([[oldId, true]]);
      expect(next?.verdicts[0]?.flag).toBe('stale');
      // A second verdict on an item already decided is kept, flagged as a conflict.
      await push('rex', (seq) => [verdict('review.accept', 'c-rex', seq(), ref(next))], T0 + 15);
      const [dup] = await push(
        'rex',
        (seq) => [verdict('review.reject', 'c-rex', seq(), ref(next))],
        T0 + 16,
      );
      expect(dup).toMatchObject({ status: 'applied', conflict: true });
      expect((await s.taskHistory('p1:t0'))?.verdicts.map((v) => [v.kind, v.flag ?? null])).toEqual([
        ['rejected', 'stale'],
        ['accepted', null],
        ['rejected', 'conflict'],
      ]);
    });

    it('sends a rejected task back to its annotator through the feed, and reviews the resubmission', async () => {
      await seed(s, {
        tasks: 2,
        reviewPolicy: 'all',
        users,
        rejectReasons: ['wrong label', 'missed entity'],
      });
      const subs = await annotate('ann', 2);
      const [a, b] = await leaseReviews('rev', 2);
      const comments = [
        { target: { kind: 'span', resultId: 's1' }, text: 'this is an ORG' },
        { target: { kind: 'keypoint', resultId: 'k1', index: 0 }, text: 'elbow, not wrist' },
        { target: { kind: 'task' }, text: 'see the guideline' },
      ];
      const answers = await push(
        'rev',
        (seq) => [
          verdict('review.reject', 'c-rev', seq(), ref(a), {
            reason: 'wrong label',
            note: 'twice',
            comments,
            activeMs: 900,
          }),
          verdict('review.accept', 'c-rev', seq(), ref(b)),
        ],
        T0 + HOUR / 2,
      );
      expect(answers.map((x) => x.status)).toEqual(['applied', 'applied']);
      const mid = await s.progress('p1', T0 + HOUR / 2);
      expect(mid).toMatchObject({ done: 1, submissions: 1 });
      expect(mid.batches[0]).toMatchObject({ accepted: 1, rejected: 1, inRework: 1, pending: 0 });

      const feed = await s.pull({ userId: 'ann', cursor: 2, limit: 50 }, T0 + HOUR / 2);
      const rejected = feed.events.find((e) => e.kind === 'review.rejected');
      expect(rejected).toMatchObject({
        taskId: a?.taskId,
        submissionId: subs.get(a?.taskId ?? ''),
        reviewerId: 'rev',
        reason: 'wrong label',
        note: 'twice',
        comments,
        epoch: 2,
        expiresAt: T0 + 1.5 * HOUR,
      });
      expect(feed.events.find((e) => e.kind === 'lease.granted')).toMatchObject({
        taskId: a?.taskId,
        epoch: 2,
        deviceId: 'ann-laptop',
      });
      expect(feed.leases.map((l) => [l.taskId, l.epoch])).toEqual([[a?.taskId, 2]]);
      // Nobody else is handed the task while it is in rework.
      expect(
        await s.claim({ userId: 'bob', deviceId: 'b', projectId: 'p1', count: 5 }, T0 + HOUR / 2),
      ).toEqual([]);

      const [re] = await push('ann', (seq) => [submit('c-ann', seq(), a?.taskId ?? '', 2)], T0 + HOUR);
      expect(re).toMatchObject({ status: 'applied', conflict: false });
      const [again] = await leaseReviews('rex', 5, T0 + HOUR);
      expect(again?.submission.id).toBe(re?.mutationId);
      expect(again?.versions.map((v) => v.id)).toEqual([subs.get(a?.taskId ?? '')]);
      expect(again?.verdicts).toEqual([
        expect.objectContaining({
          kind: 'rejected',
          reason: 'wrong label',
          comments,
          reviewerId: 'rev',
          activeMs: 900,
        }),
      ]);
      await push('rex', (seq) => [verdict('review.accept', 'c-rex', seq(), ref(again))], T0 + HOUR);
      const h = await s.taskHistory(a?.taskId ?? '');
      expect(h?.versions.map((v) => [v.userId, v.superseded])).toEqual([
        ['ann', true],
        ['ann', false],
      ]);
      expect(h?.verdicts.map((v) => [v.reviewerId, v.kind])).toEqual([
        ['rev', 'rejected'],
        ['rex', 'accepted'],
      ]);
      expect((await s.progress('p1', T0 + HOUR)).batches[0]).toMatchObject({
        tasks: 2,
        done: 2,
        accepted: 2,
        rejected: 1,
        inRework: 0,
        pending: 0,
      });
    });

    it('refuses bad verdicts with a reason naming the field, applying nothing', async () => {
      await seed(s, { tasks: 2, reviewPolicy: 'all', users, rejectReasons: ['wrong label'] });
      await seed(s, {
        projectId: 'p2',
        tasks: 1,
        reviewPolicy: 'all',
        users: { ann: 'annotator', out: 'reviewer' },
      });
      await annotate('ann', 1);
      const [p2] = await s.claim({ userId: 'ann', deviceId: 'd', projectId: 'p2', count: 1 }, T0);
      const [p2sub] = await push('ann', (seq) => [submit('c-ann', seq(), p2?.taskId ?? '', 1)]);
      const [item] = await leaseReviews('rev', 1);
      const answers = await push('rev', (seq) => [
        verdict('review.accept', 'c-rev', seq(), { ...ref(item), submissionId: 'nope' }),
        verdict('review.accept', 'c-rev', seq(), {
          taskId: p2?.taskId ?? '',
          epoch: 1,
          submissionId: p2sub?.mutationId ?? '',
        }),
        verdict('review.reject', 'c-rev', seq(), ref(item), {
          comments: [{ target: { kind: 'region', resultId: 'box9' }, text: 'where?' }],
        }),
        verdict('review.reject', 'c-rev', seq(), ref(item), {
          comments: [{ target: { kind: 'keypoint', resultId: 'k1', index: 3 }, text: 'which?' }],
        }),
        verdict('review.reject', 'c-rev', seq(), ref(item), { reason: 'ugly' }),
        verdict('review.accept', 'c-rev', seq(), { ...ref(item), epoch: 7 }),
      ]);
      expect(answers.map((x) => (x.status === 'rejected' ? [x.reason, x.field] : x.status))).toEqual([
        ['UNKNOWN_SUBMISSION', 'payload.submissionId'],
        ['FORBIDDEN', 'payload.submissionId'],
        ['UNKNOWN_TARGET', 'payload.comments.0.target.resultId'],
        ['UNKNOWN_TARGET', 'payload.comments.0.target.index'],
        ['UNKNOWN_REASON', 'payload.reason'],
        ['NO_LEASE', 'leaseEpoch'],
      ]);
      expect(answers[2]).toMatchObject({ message: expect.stringMatching(/no region "box9"/) });
      // Nobody reviews their own work, whatever their role.
      await s.grantRole('ann', 'p1', 'lead');
      const [own] = await push('ann', (seq) => [verdict('review.accept', 'c-ann', seq(), ref(item))]);
      expect(own).toMatchObject({ status: 'rejected', reason: 'OWN_WORK' });
      const h = await s.taskHistory(item?.taskId ?? '');
      expect(h).toMatchObject({ reviewStatus: 'pending', verdicts: [] });
    });

    it('adds tasks to named batches and counts progress per batch', async () => {
      await seed(s, { tasks: 2, reviewPolicy: 'all', users, batch: 'week-1' });
      await s.addTasks('p1', 'week-2', textTasks('p1', 5).slice(2), []);
      await expect(s.addTasks('p1', 'week-2', textTasks('p1', 1), [])).rejects.toThrow(
        /already has task p1:t0/,
      );
      await expect(s.addTasks('nope', 'x', [], [])).rejects.toThrow(/no project nope/);
      await annotate('ann', 4);
      const [one] = await leaseReviews('rev', 5, T0, { batch: 'week-2' });
      expect(one?.batch).toBe('week-2');
      await push('rev', (seq) => [verdict('review.accept', 'c-rev', seq(), ref(one))]);
      expect((await s.progress('p1', T0)).batches).toEqual([
        { batch: 'week-1', tasks: 2, done: 2, pending: 2, accepted: 0, fixed: 0, rejected: 0, inRework: 0 },
        { batch: 'week-2', tasks: 3, done: 2, pending: 1, accepted: 1, fixed: 0, rejected: 0, inRework: 0 },
      ]);
      // Policy none from now on: new submissions make no review items.
      const p = await s.setReviewPolicy('p1', 'none', ['blurry']);
      expect(p).toMatchObject({ reviewPolicy: 'none', rejectReasons: ['blurry'] });
      await annotate('bob', 1);
      expect((await s.progress('p1', T0)).batches[1]).toMatchObject({ done: 3, pending: 1 });
    });
  });
};
