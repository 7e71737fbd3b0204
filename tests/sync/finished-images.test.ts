import { afterEach, describe, expect, it } from 'vitest';
import { setAuthorAssets } from '../../src/hub';
import {
  addAnnotator,
  createImageProject,
  openClient,
  startHub,
  submitNext,
  syncUntilQuiet,
  userIdOf,
} from './harness';

/**
 * Issue 16.3: finished tasks' images stay cached and come back on demand (workbench side), and the
 * hub serves them to their author while the project allows it (hub side).
 */
describe('finished image tasks', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  it('keeps a finished image after its lease, fetches it again when gone, says when the hub refuses', async () => {
    const h = await startHub('sqlite');
    cleanup.push(() => h.close());
    const p = await createImageProject(h);
    const c = await openClient(h.url, await addAnnotator(h, p, 'ann'));
    cleanup.push(() => c.close());
    await c.handlers['tasks.getMore']({ projectId: p, count: 2 });
    await syncUntilQuiet(c);
    const taskId = (await submitNext(c, 1))!;
    await syncUntilQuiet(c);
    const view = await c.handlers['tasks.open']({ taskId });
    if (view.task.data.kind !== 'image') throw new Error('expected an image task');
    const sha = view.task.data.image.sha256;
    const cache = c.sync.assetCache!;
    // The lease ended with the submission; the image is kept (one download, no second).
    expect(c.queue.hub.lease(taskId)).toBeNull();
    expect(cache.localPath(sha)).not.toBeNull();
    expect(c.assetStore.path(sha)).not.toBeNull();
    expect(cache.stats.downloads.get(sha)).toBe(1);

    // Gone (evicted by the budget): reopening fetches it again through the verified cache.
    await cache.remove(sha);
    c.assetStore.removeCached(sha, `hub-assets/${sha}`);
    expect(c.assetStore.path(sha)).toBeNull();
    expect(await c.handlers['tasks.refetchImage']({ taskId })).toEqual({ status: 'ready' });
    expect(c.assetStore.path(sha)).not.toBeNull();
    expect(cache.stats.downloads.get(sha)).toBe(2);
    // A later pass of the lane keeps it.
    await syncUntilQuiet(c);
    expect(c.assetStore.path(sha)).not.toBeNull();

    // The project forbids it: the answer says so (no retries, no generic failure).
    await setAuthorAssets(h.storage, { project: p, allowed: false });
    await cache.remove(sha);
    c.assetStore.removeCached(sha, `hub-assets/${sha}`);
    expect(await c.handlers['tasks.refetchImage']({ taskId })).toEqual({ status: 'forbidden' });
    expect(c.assetStore.path(sha)).toBeNull();
  });

  it("serves an author their finished task's image after the lease, unless the project forbids it", async () => {
    const h = await startHub('sqlite');
    cleanup.push(() => h.close());
    const p = await createImageProject(h);
    const token = await addAnnotator(h, p, 'ann');
    await addAnnotator(h, p, 'bob');
    const c = await openClient(h.url, token);
    cleanup.push(() => c.close());
    await c.handlers['tasks.getMore']({ projectId: p, count: 1 });
    const taskId = await submitNext(c, 1);
    await syncUntilQuiet(c);
    const view = await c.handlers['tasks.open']({ taskId: taskId! });
    if (view.task.data.kind !== 'image') throw new Error('expected an image task');
    const sha = view.task.data.image.sha256;
    // The rule the asset route applies (the route itself: tests/hub/role-matrix.test.ts).
    const get = async (name: string) =>
      (await h.storage.canReadAsset(await userIdOf(h, name), sha, Date.now())) ? 200 : 403;
    // The submission ended the lease: the author may still see the image, nobody else may.
    expect(await get('ann')).toBe(200);
    expect(await get('bob')).toBe(403);
    await setAuthorAssets(h.storage, { project: p, allowed: false });
    expect(await get('ann')).toBe(403);
    await setAuthorAssets(h.storage, { project: p, allowed: true });
    expect(await get('ann')).toBe(200);
  });
});
