import { describe, expect, it } from 'vitest';
import { addUser } from '../../src/hub';
import type { BBoxResult } from '../../src/shared/model';
import {
  createImageProject,
  openClient,
  startHub,
  closeAfterEach,
  threeDemoImages,
  syncUntilQuiet,
  type HubKind,
} from './harness';

/**
 * The review loop across two workbench cores and one hub: annotate → sync → the reviewer
 * (offline) rejects one image with a comment on a box and accepts the rest → sync → the
 * annotator sees the comment, fixes, resubmits → the reviewer sees the previous version and
 * accepts → both see two versions and two verdicts of that task.
 */

const box = (id: string, x: number): BBoxResult => ({
  type: 'bbox',
  id,
  label: 'person',
  x,
  y: 10,
  w: 20,
  h: 30,
  rotation: 0,
  attributes: {},
});

const closing = closeAfterEach();

const kinds: HubKind[] = process.env.OUTRIGGER_PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

describe.each(kinds)('review flow across two workbenches and one hub on %s', (kind) => {
  it('rejects with a pinned comment, reworks, accepts; both sides see the whole history', async () => {
    const hub = closing.hub(await startHub(kind));
    const projectId = await createImageProject(hub, threeDemoImages(), 'rev');
    await hub.storage.setReviewPolicy(projectId, 'all', ['wrong label', 'box too loose']);
    const ann = await addUser(hub.storage, { name: 'ann', role: 'annotator', project: projectId });
    const rev = await addUser(hub.storage, { name: 'rita', role: 'reviewer', project: projectId });

    const a = await openClient(hub.url, ann.token);
    const r = await openClient(hub.url, rev.token);
    closing.clients(a, r);

    // The annotator labels three images.
    expect((await a.handlers['tasks.getMore']({ projectId, count: 3 })).leased).toBe(3);
    const taskIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const view = await a.handlers['tasks.claimNext']({});
      if (!view) throw new Error('no task');
      taskIds.push(view.task.id);
      await a.handlers['tasks.submit']({
        taskId: view.task.id,
        annotation: { results: [box(`b${i}`, 5 + i)], activeMs: 1000 + i },
      });
    }
    await syncUntilQuiet(a);

    // Roles switch the workbench: the reviewer reviews this project, the annotator does not.
    const roles = await r.handlers['review.roles']({});
    expect(roles.reviews).toEqual([projectId]);
    expect((await a.handlers['review.roles']({})).reviews).toEqual([]);

    // The reviewer leases the batch with its images, then works offline (no sync until the end).
    expect((await r.handlers['review.lease']({ projectId, count: 10 })).leased).toBe(3);
    await r.sync.assetsIdle();
    const queue = await r.handlers['review.list']({ projectId, limit: 10, offset: 0 });
    expect(queue.items.map((i) => i.status)).toEqual(['pending', 'pending', 'pending']);
    expect(queue.items.every((i) => i.assetsReady)).toBe(true);
    expect(queue.batches).toEqual([
      expect.objectContaining({ projectId, batch: 'default', pending: 3, accepted: 0 }),
    ]);
    expect(queue.annotators).toEqual([{ id: ann.userId, name: 'ann' }]);

    const target = queue.items.find((i) => i.taskId === taskIds[1])!;
    const opened = await r.handlers['review.open']({ submissionId: target.submissionId });
    expect(opened.previous).toBeNull();
    const pinned = opened.submission.annotation.results[0]!.id;

    // Bad input is refused whole, naming the field.
    const before = r.queue.outbox.size();
    const bad = await r.dispatch('review.reject', {
      submissionId: target.submissionId,
      reason: 'wrong label',
      comments: [{ target: { kind: 'region', resultId: 'no-such-box' }, text: 'here' }],
    });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', path: 'comments.0.target.resultId' },
    });
    const long = await r.dispatch('review.reject', {
      submissionId: target.submissionId,
      reason: 'x'.repeat(201),
    });
    expect(long).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', path: 'reason' } });
    const unknownReason = await r.dispatch('review.reject', {
      submissionId: target.submissionId,
      reason: 'meh',
    });
    expect(unknownReason).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', path: 'reason' } });
    const foreign = await r.dispatch('review.accept', { submissionId: 'not-leased-here' });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', path: 'submissionId' } });
    expect(r.queue.outbox.size()).toBe(before);
    expect((await r.handlers['review.open']({ submissionId: target.submissionId })).item.status).toBe(
      'pending',
    );

    // Reject one with a comment on its box, accept the rest.
    const given = await r.handlers['review.reject']({
      submissionId: target.submissionId,
      reason: 'box too loose',
      note: 'tighten it',
      comments: [{ target: { kind: 'region', resultId: pinned }, text: 'this box is too loose' }],
    });
    expect(given.nextSubmissionId).not.toBeNull();
    for (const item of queue.items.filter((i) => i !== target))
      await r.handlers['review.accept']({ submissionId: item.submissionId, comments: [] });
    expect(r.queue.outbox.size()).toBe(3);
    const waiting = await r.handlers['review.list']({ projectId, limit: 10, offset: 0 });
    expect(waiting.items.map((i) => i.delivery)).toEqual(['waiting', 'waiting', 'waiting']);
    await syncUntilQuiet(r);
    const delivered = await r.handlers['review.list']({ projectId, limit: 10, offset: 0 });
    expect(delivered.items.map((i) => i.delivery)).toEqual(['delivered', 'delivered', 'delivered']);

    // The annotator's next sync brings the rejected task back with the comment on the box.
    await syncUntilQuiet(a);
    const feedback = await a.handlers['tasks.reviewFeedback']({ taskId: taskIds[1]! });
    expect(feedback.inRework).toBe(true);
    expect(feedback.feedback[0]).toMatchObject({
      reason: 'box too loose',
      note: 'tighten it',
      comments: [{ target: { kind: 'region', resultId: pinned }, text: 'this box is too loose' }],
    });
    expect((await a.handlers['tasks.reviewFeedback']({ taskId: taskIds[0]! })).feedback).toEqual([]);
    const rework = await a.handlers['tasks.claimNext']({});
    expect(rework?.task.id).toBe(taskIds[1]);
    expect(rework?.draft?.annotation.results[0]).toMatchObject({ id: pinned });
    await a.handlers['tasks.submit']({
      taskId: taskIds[1]!,
      annotation: { results: [{ ...box(pinned, 6), w: 12 }], activeMs: 2500 },
    });
    await syncUntilQuiet(a);
    expect((await a.handlers['tasks.reviewFeedback']({ taskId: taskIds[1]! })).inRework).toBe(false);

    // The reviewer gets the resubmission, with the previous version for the diff, and accepts it.
    expect((await r.handlers['review.lease']({ projectId, count: 10 })).leased).toBe(1);
    const next = await r.handlers['review.next']({ projectId });
    expect(next?.item.taskId).toBe(taskIds[1]);
    expect(next?.item.version).toBe(2);
    expect(next?.previous?.id).toBe(target.submissionId);
    expect(next?.verdicts.map((v) => v.kind)).toEqual(['rejected']);
    await r.handlers['review.accept']({ submissionId: next!.item.submissionId, comments: [] });
    await syncUntilQuiet(r);

    // Both sides: two versions and two verdicts, from the hub's timeline.
    for (const c of [a, r]) {
      const h = await c.handlers['review.history']({ taskId: taskIds[1]!, projectId });
      expect(h.source).toBe('hub');
      expect(h.versions).toHaveLength(2);
      expect(h.verdicts.map((v) => v.kind)).toEqual(['rejected', 'accepted']);
      expect(h.verdicts[0]!.comments[0]!.target).toEqual({ kind: 'region', resultId: pinned });
    }
    // Offline, the reviewer's kept copy says the same.
    await r.handlers['sync.signOut']({});
    const local = await r.handlers['review.history']({ taskId: taskIds[1]!, projectId });
    expect(local.source).toBe('local');
    expect(local.versions).toHaveLength(2);
    expect(local.verdicts.map((v) => v.kind)).toEqual(['rejected', 'accepted']);
  }, 60_000);
});
