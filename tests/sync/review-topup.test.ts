import { describe, expect, it } from 'vitest';
import { addUser } from '../../src/hub';
import { REVIEW_TOP_UP } from '../../src/main/core/sync/review-sync';
import {
  createImageProject,
  openClient,
  startHub,
  closeAfterEach,
  threeDemoImages,
  syncUntilQuiet,
} from './harness';

/**
 * Sync leases review work on its own (issue 11): a reviewer whose local review queue runs low
 * gets more with the next cycle, as annotation work arrives, once their roles are known here.
 */

const closing = closeAfterEach();

describe('review top-up by sync', () => {
  it('a reviewer with a low review queue gets more review items with the next cycle', async () => {
    const hub = closing.hub(await startHub('sqlite'));
    const dir = threeDemoImages();
    const projectId = await createImageProject(hub, dir, 'topup');
    await hub.storage.setReviewPolicy(projectId, 'all', []);
    const ann = await addUser(hub.storage, { name: 'ann', role: 'annotator', project: projectId });
    const rev = await addUser(hub.storage, { name: 'rita', role: 'reviewer', project: projectId });
    const a = await openClient(hub.url, ann.token);
    const r = await openClient(hub.url, rev.token);
    closing.clients(a, r);

    // Roles not read here yet: sync leases no review work.
    await syncUntilQuiet(r);
    expect((await r.handlers['review.list']({ limit: 10, offset: 0 })).total).toBe(0);
    expect((await r.handlers['review.roles']({})).reviews).toEqual([projectId]);

    await a.handlers['tasks.getMore']({ projectId, count: 3 });
    for (let i = 0; i < 2; i++) {
      const v = await a.handlers['tasks.claimNext']({});
      await a.handlers['tasks.submit']({ taskId: v!.task.id, annotation: { results: [], activeMs: 10 } });
    }
    await syncUntilQuiet(a);

    // The reviewer's queue is empty (below the low water): the next cycle leases what is there.
    await syncUntilQuiet(r);
    const got = await r.handlers['review.list']({ limit: 10, offset: 0 });
    expect(got.total).toBe(2);
    expect(got.items.every((i) => i.status === 'pending')).toBe(true);
    expect(REVIEW_TOP_UP.normal).toBeGreaterThan(2);

    // The hub has nothing more: the next cycle's top-up comes back empty, which pauses the
    // project's top-ups for a while — a third submission is not leased by the cycle after.
    await syncUntilQuiet(r);
    const v = await a.handlers['tasks.claimNext']({});
    await a.handlers['tasks.submit']({ taskId: v!.task.id, annotation: { results: [], activeMs: 10 } });
    await syncUntilQuiet(a);
    await syncUntilQuiet(r);
    expect((await r.handlers['review.list']({ limit: 10, offset: 0 })).total).toBe(2);
    // By hand it is still there at once.
    expect((await r.handlers['review.lease']({ projectId, count: 10 })).leased).toBe(1);
  });
});
