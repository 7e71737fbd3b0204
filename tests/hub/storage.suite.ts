import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqlStorage } from '../../src/hub/storage/sql-storage';
import { HOUR, T0, mutation, seed, submit, textConfig } from './helpers';
import { pushBatchOf } from '../../src/hub/push/decode';

/**
 * One storage suite, run against SQLite (storage.sqlite.test.ts) and the PostgreSQL dialect
 * (storage.pg.test.ts: a real server when OUTRIGGER_PG_URL is set, PGlite otherwise).
 */
export const storageSuite = (
  name: string,
  open: () => Promise<{ storage: SqlStorage; drop: () => Promise<void> }>,
): void => {
  describe(`hub storage on ${name}`, () => {
    let s: SqlStorage;
    let drop: () => Promise<void>;
    beforeEach(async () => {
      ({ storage: s, drop } = await open());
    });
    afterEach(async () => {
      await s.close();
      await drop();
    });

    it('leases each task to one annotator at a time, in task order, never the same task twice to a user', async () => {
      await seed(s, { tasks: 5 });
      const a = await s.claim({ userId: 'ann', deviceId: 'd1', projectId: 'p1', count: 3 }, T0);
      const b = await s.claim({ userId: 'bob', deviceId: 'd2', projectId: 'p1', count: 3 }, T0);
      expect(a.map((l) => l.taskId)).toEqual(['p1:t0', 'p1:t1', 'p1:t2']);
      expect(b.map((l) => l.taskId)).toEqual(['p1:t3', 'p1:t4']);
      expect(a[0]).toMatchObject({ epoch: 1, deviceId: 'd1', expiresAt: T0 + HOUR });
      expect(a[0]?.task.data).toEqual({ kind: 'text', text: 'text 0' });
      expect(await s.claim({ userId: 'ann', deviceId: 'd1', projectId: 'p1', count: 3 }, T0)).toEqual([]);
    });

    it('answers a retried lease request (same request id) with the same leases, leasing nothing more', async () => {
      await seed(s, { tasks: 5 });
      const req = { userId: 'ann', deviceId: 'd1', projectId: 'p1', count: 2, requestId: 'req-1' };
      const first = await s.claim(req, T0);
      expect(first.map((l) => [l.taskId, l.epoch])).toEqual([
        ['p1:t0', 1],
        ['p1:t1', 1],
      ]);
      // The answer was lost; the client retries with the same id.
      const retry = await s.claim(req, T0 + 1000);
      expect(retry).toEqual(first);
      expect(retry[0]?.task).toEqual(first[0]?.task);
      // One lease per task, and one lease.granted each: the retry granted nothing.
      const feed = await s.pull({ userId: 'ann', cursor: 0, limit: 100 }, T0 + 2000);
      expect(feed.events.map((e) => e.kind)).toEqual(['lease.granted', 'lease.granted']);
      expect(feed.leases.map((l) => l.taskId)).toEqual(['p1:t0', 'p1:t1']);
      // A lease of that request that has ended since is left out of a later retry.
      const done = await s.push(
        pushBatchOf({ userId: 'ann', clientId: 'c1', mutations: [submit('c1', 1, 'p1:t0', 1)] }),
        T0 + 3000,
      );
      expect(done.answers[0]?.status).toBe('applied');
      expect((await s.claim(req, T0 + 4000)).map((l) => l.taskId)).toEqual(['p1:t1']);
      // A new id leases anew; another user's request ids are their own.
      expect((await s.claim({ ...req, requestId: 'req-2' }, T0 + 5000)).map((l) => l.taskId)).toEqual([
        'p1:t2',
        'p1:t3',
      ]);
      expect(
        (await s.claim({ ...req, userId: 'bob', deviceId: 'd2' }, T0 + 5000)).map((l) => l.taskId),
      ).toEqual(['p1:t4']);
      // Concurrent retries of one new request lease once.
      await seed(s, { projectId: 'p2', tasks: 4, users: {} });
      await s.grantRole('ann', 'p2', 'annotator');
      const twice = await Promise.all(
        [1, 2].map(() =>
          s.claim({ userId: 'ann', deviceId: 'd1', projectId: 'p2', count: 2, requestId: 'req-3' }, T0),
        ),
      );
      expect(twice[0]).toEqual(twice[1]);
      expect(twice[0]?.map((l) => l.taskId)).toEqual(['p2:t0', 'p2:t1']);
    });

    it('with overlap 2 gives each task to at most two distinct annotators', async () => {
      await seed(s, {
        tasks: 2,
        overlap: 2,
        users: { ann: 'annotator', bob: 'annotator', cat: 'annotator' },
      });
      const got = await Promise.all(
        ['ann', 'bob', 'cat'].map((u) => s.claim({ userId: u, deviceId: u, projectId: 'p1', count: 5 }, T0)),
      );
      const perTask = new Map<string, Set<string>>();
      got.forEach((ls, i) =>
        ls.forEach((l) => perTask.set(l.taskId, new Set([...(perTask.get(l.taskId) ?? []), String(i)]))),
      );
      expect([...perTask.values()].map((u) => u.size)).toEqual([2, 2]);
      expect(got.flat()).toHaveLength(4);
    });

    it('returns expired leases to the pool and tells the old holder; a sync renews live ones', async () => {
      await seed(s, { tasks: 1, leaseHours: 1 });
      const [a] = await s.claim({ userId: 'ann', deviceId: 'd1', projectId: 'p1', count: 1 }, T0);
      // Renewed half-way: still ann's at T0 + 1.2 h.
      const renewed = await s.pull({ userId: 'ann', cursor: 0, limit: 100 }, T0 + 0.5 * HOUR);
      expect(renewed.leases[0]?.expiresAt).toBe(T0 + 1.5 * HOUR);
      expect(
        await s.claim({ userId: 'bob', deviceId: 'd2', projectId: 'p1', count: 1 }, T0 + 1.2 * HOUR),
      ).toEqual([]);
      const [b] = await s.claim(
        { userId: 'bob', deviceId: 'd2', projectId: 'p1', count: 1 },
        T0 + 1.6 * HOUR,
      );
      expect(b).toMatchObject({ taskId: a?.taskId, epoch: 2 });
      const feed = await s.pull({ userId: 'ann', cursor: 0, limit: 100 }, T0 + 1.7 * HOUR);
      expect(feed.events.map((e) => e.kind)).toEqual(['lease.granted', 'lease.revoked']);
      expect(feed.events[1]).toMatchObject({
        kind: 'lease.revoked',
        taskId: 'p1:t0',
        epoch: 1,
        reason: 'expired',
      });
      expect(feed.leases).toEqual([]);
    });

    it('applies each mutation at most once: applied, duplicate, rejected (seq still advances), gaps left unanswered', async () => {
      await seed(s, { tasks: 3 });
      const [l1, l2] = await s.claim({ userId: 'ann', deviceId: 'd1', projectId: 'p1', count: 2 }, T0);
      const m1 = submit('c1', 1, l1?.taskId ?? '', 1);
      const m2 = submit('c1', 2, 'p1:t2', 1); // never leased to ann
      const m4 = submit('c1', 4, l2?.taskId ?? '', 1);
      const r1 = await s.push(
        pushBatchOf({ userId: 'ann', clientId: 'c1', mutations: [m1, m2, m4] }),
        T0 + 1,
      );
      expect(r1.answers.map((a) => a.status)).toEqual(['applied', 'rejected']);
      expect(r1.answers[1]).toMatchObject({ reason: 'NO_LEASE' });
      expect(r1).toMatchObject({ lastSeq: 2, expectedSeq: 3 });
      const r2 = await s.push(
        pushBatchOf({ userId: 'ann', clientId: 'c1', mutations: [m1, submit('c1', 2, l2?.taskId ?? '', 1)] }),
        T0 + 2,
      );
      expect(r2.answers).toEqual([
        { mutationId: m1.mutationId, seq: 1, status: 'duplicate', original: 'applied', conflict: false },
        expect.objectContaining({ seq: 2, status: 'rejected', reason: 'SEQ_REUSED' }),
      ]);
      expect((await s.submissions(l1?.taskId ?? '')).length).toBe(1);
      expect((await s.progress('p1', T0 + 3)).submissions).toBe(1);
    });

    it('keeps a late submission as a flagged conflict, never over the current holder', async () => {
      await seed(s, { tasks: 1, leaseHours: 1 });
      const [a] = await s.claim({ userId: 'ann', deviceId: 'd1', projectId: 'p1', count: 1 }, T0);
      const [b] = await s.claim({ userId: 'bob', deviceId: 'd2', projectId: 'p1', count: 1 }, T0 + 2 * HOUR);
      expect(b?.epoch).toBe(2);
      const rb = await s.push(
        pushBatchOf({ userId: 'bob', clientId: 'cb', mutations: [submit('cb', 1, 'p1:t0', 2)] }),
        T0 + 2.1 * HOUR,
      );
      expect(rb.answers[0]).toMatchObject({ status: 'applied', conflict: false });
      const ra = await s.push(
        pushBatchOf({ userId: 'ann', clientId: 'ca', mutations: [submit('ca', 1, 'p1:t0', a?.epoch ?? 0)] }),
        T0 + 2.2 * HOUR,
      );
      expect(ra.answers[0]).toMatchObject({ status: 'applied', conflict: true });
      const subs = await s.submissions('p1:t0');
      expect(subs.map((x) => [x.userId, x.conflict])).toEqual([
        ['bob', false],
        ['ann', true],
      ]);
      const p = await s.progress('p1', T0 + 3 * HOUR);
      expect(p).toMatchObject({ done: 1, submissions: 1, conflicts: 1 });
      const feed = await s.pull({ userId: 'ann', cursor: 0, limit: 10 }, T0 + 3 * HOUR);
      expect(feed.events.map((e) => e.kind)).toContain('submission.conflict');
    });

    it('accepts a late submission nobody has completed, revoking the newer holder, whose work then becomes the conflict', async () => {
      await seed(s, { tasks: 1, leaseHours: 1 });
      await s.claim({ userId: 'ann', deviceId: 'd1', projectId: 'p1', count: 1 }, T0);
      await s.claim({ userId: 'bob', deviceId: 'd2', projectId: 'p1', count: 1 }, T0 + 2 * HOUR);
      const ra = await s.push(
        pushBatchOf({ userId: 'ann', clientId: 'ca', mutations: [submit('ca', 1, 'p1:t0', 1)] }),
        T0 + 2.1 * HOUR,
      );
      expect(ra.answers[0]).toMatchObject({ status: 'applied', conflict: false });
      const bobFeed = await s.pull({ userId: 'bob', cursor: 0, limit: 10 }, T0 + 2.2 * HOUR);
      expect(bobFeed.events.at(-1)).toMatchObject({ kind: 'lease.revoked', reason: 'completed', epoch: 2 });
      const rb = await s.push(
        pushBatchOf({ userId: 'bob', clientId: 'cb', mutations: [submit('cb', 1, 'p1:t0', 2)] }),
        T0 + 2.3 * HOUR,
      );
      expect(rb.answers[0]).toMatchObject({ status: 'applied', conflict: true });
      expect((await s.submissions('p1:t0')).filter((x) => !x.conflict).map((x) => x.userId)).toEqual(['ann']);
    });

    it('skip and release give the task back (a skipped task never returns to the same annotator); stale ones are rejected', async () => {
      await seed(s, { tasks: 2 });
      const [l1, l2] = await s.claim({ userId: 'ann', deviceId: 'd1', projectId: 'p1', count: 2 }, T0);
      const r = await s.push(
        pushBatchOf({
          userId: 'ann',
          clientId: 'c',
          mutations: [
            mutation('skip', 'c', 1, l1?.taskId ?? '', 1),
            mutation('release', 'c', 2, l2?.taskId ?? '', 1),
            mutation('release', 'c', 3, l2?.taskId ?? '', 1),
          ],
        }),
        T0,
      );
      expect(r.answers.map((a) => (a.status === 'rejected' ? a.reason : a.status))).toEqual([
        'applied',
        'applied',
        'STALE_LEASE',
      ]);
      expect(
        (await s.claim({ userId: 'ann', deviceId: 'd1', projectId: 'p1', count: 5 }, T0)).map(
          (l) => l.taskId,
        ),
      ).toEqual(['p1:t1']);
      expect(
        (await s.claim({ userId: 'bob', deviceId: 'd2', projectId: 'p1', count: 5 }, T0)).map(
          (l) => l.taskId,
        ),
      ).toEqual(['p1:t0']);
      expect((await s.progress('p1', T0)).skips).toBe(1);
    });

    it('a resubmission supersedes the earlier version and keeps it on record', async () => {
      await seed(s, { tasks: 1 });
      await s.claim({ userId: 'ann', deviceId: 'd1', projectId: 'p1', count: 1 }, T0);
      const [m1, m2, m3] = [
        submit('c', 1, 'p1:t0', 1),
        submit('c', 2, 'p1:t0', 1),
        submit('c', 3, 'p1:t0', 1),
      ];
      await s.push(pushBatchOf({ userId: 'ann', clientId: 'c', mutations: [m1, m2] }), T0);
      await s.push(pushBatchOf({ userId: 'ann', clientId: 'c', mutations: [m3] }), T0 + 1);
      const byId = new Map((await s.submissions('p1:t0')).map((x) => [x.id, x.superseded]));
      expect([m1, m2, m3].map((m) => byId.get(m.mutationId))).toEqual([true, true, false]);
      expect(await s.progress('p1', T0)).toMatchObject({ done: 1, submissions: 1 });
    });

    it('refuses a client id that belongs to another user and mutations on projects the user is not in', async () => {
      await seed(s, { tasks: 1 });
      await seed(s, { projectId: 'p2', tasks: 1, users: { bob: 'annotator' } });
      await s.push(
        pushBatchOf({ userId: 'ann', clientId: 'shared', mutations: [submit('shared', 1, 'p1:t0', 1)] }),
        T0,
      );
      await expect(
        s.push(
          pushBatchOf({ userId: 'bob', clientId: 'shared', mutations: [submit('shared', 2, 'p1:t0', 1)] }),
          T0,
        ),
      ).rejects.toThrow(/another user/);
      const r = await s.push(
        pushBatchOf({ userId: 'ann', clientId: 'c2', mutations: [submit('c2', 1, 'p2:t0', 1)] }),
        T0,
      );
      expect(r.answers[0]).toMatchObject({ status: 'rejected', reason: 'FORBIDDEN' });
    });

    it('pages the feed by cursor and tells members of label config changes', async () => {
      await seed(s, { tasks: 5 });
      await s.claim({ userId: 'ann', deviceId: 'd1', projectId: 'p1', count: 5 }, T0);
      const cfg = textConfig({ labels: [{ name: 'ORG', color: '#00ff00' }] });
      const updated = await s.updateLabelConfig('p1', cfg, T0);
      expect(updated.configVersion).toBe(2);
      const page1 = await s.pull({ userId: 'ann', cursor: 0, limit: 4 }, T0);
      expect(page1).toMatchObject({ hasMore: true, cursor: '4' });
      const page2 = await s.pull({ userId: 'ann', cursor: 4, limit: 4 }, T0);
      expect(page2.hasMore).toBe(false);
      expect(page2.events.map((e) => e.seq)).toEqual([5, 6]);
      expect(page2.events[1]).toMatchObject({ kind: 'config.changed', configVersion: 2, labelConfig: cfg });
      expect((await s.pull({ userId: 'bob', cursor: 0, limit: 10 }, T0)).events.map((e) => e.kind)).toEqual([
        'config.changed',
      ]);
    });

    it('lets only lease holders and reviewers/leads/admins of the project read an asset', async () => {
      const sha = 'a'.repeat(64);
      await s.createProject(
        {
          id: 'img',
          name: 'Images',
          kind: 'image',
          labelConfig: textConfig({ tools: ['bbox'] }),
          leaseHours: 1,
          overlap: 1,
        },
        [
          {
            task: {
              id: 'img:1',
              projectId: 'img',
              data: {
                kind: 'image',
                image: { sha256: sha, width: 2, height: 3, mime: 'image/png', bytes: 10, fileName: 'a.png' },
              },
              predictions: [],
              meta: {},
            },
            assetSha256: sha,
          },
        ],
        [{ sha256: sha, width: 2, height: 3, mime: 'image/png', bytes: 10, fileName: 'a.png' }],
        T0,
      );
      await seed(s, {
        projectId: 'p1',
        tasks: 1,
        users: { ann: 'annotator', bob: 'annotator', rev: 'reviewer', out: 'lead' },
      });
      await s.grantRole('ann', 'img', 'annotator');
      await s.grantRole('bob', 'img', 'annotator');
      await s.grantRole('rev', 'img', 'reviewer');
      expect(await s.getAsset(sha)).toMatchObject({ width: 2, height: 3, fileName: 'a.png' });
      expect(await s.canReadAsset('ann', sha, T0)).toBe(false);
      await s.claim({ userId: 'ann', deviceId: 'd', projectId: 'img', count: 1 }, T0);
      expect(await s.canReadAsset('ann', sha, T0)).toBe(true);
      expect(await s.canReadAsset('ann', sha, T0 + 2 * HOUR)).toBe(false);
      expect(await s.canReadAsset('bob', sha, T0)).toBe(false);
      expect(await s.canReadAsset('rev', sha, T0)).toBe(true);
      expect(await s.canReadAsset('out', sha, T0)).toBe(false);
    });

    it('lists projects and users with roles, and refuses duplicates', async () => {
      await seed(s, { tasks: 3, users: { ann: 'annotator', lee: 'lead' } });
      expect((await s.listProjects()).map((p) => [p.id, p.taskCount])).toEqual([['p1', 3]]);
      expect((await s.listUsers()).map((u) => [u.name, u.memberships])).toEqual([
        ['ann', [{ projectId: 'p1', role: 'annotator' }]],
        ['lee', [{ projectId: 'p1', role: 'lead' }]],
      ]);
      await expect(seed(s, { tasks: 1 })).rejects.toThrow(/already exists/);
      await expect(s.addUser({ id: 'x', name: 'ann', tokenHash: 'h' }, T0)).rejects.toThrow(/already exists/);
    });
  });
};
