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

/** Issue 16.3: the author of a submission may fetch its image again while the project allows it. */
describe('finished work can be seen again (hub side)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
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
