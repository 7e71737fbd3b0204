import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/main/core/sync/clock';
import {
  addAnnotator,
  assertExactlyOnce,
  openClient,
  startHub,
  syncUntilQuiet,
  userIdOf,
  type Client,
  type HubHandle,
} from './harness';
import { createSyntheticImageProject, polygonAnnotation } from './image-fixtures';
import { startThrottleProxy, type ThrottleOptions, type ThrottleProxy } from './throttle-proxy';

/** The sync engine on slow and lossy links (tests/sync/throttle-proxy.ts between it and the hub). */
describe('sync on a slow link', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });
  const setup = async (
    link: Omit<ThrottleOptions, 'targetPort' | 'seed'>,
    project: { count: number; bytesOf: (i: number) => number },
    client: { pushBatch?: number; timeoutMs?: number } = {},
  ): Promise<{ h: HubHandle; proxy: ThrottleProxy; c: Client; token: string; shas: string[] }> => {
    const h = await startHub('sqlite');
    cleanup.push(() => h.close());
    const { projectId, assets } = await createSyntheticImageProject(h.storage, h.dataDir, {
      id: 'slow',
      ...project,
    });
    const token = await addAnnotator(h, projectId, 'ann');
    const proxy = await startThrottleProxy({ targetPort: h.port, seed: 7, ...link });
    cleanup.push(() => proxy.close());
    const c = await openClient(proxy.url, token, { seed: 3, ...client });
    cleanup.push(() => c.close());
    return { h, proxy, c, token, shas: assets.map((a) => a.sha256) };
  };
  const submitAll = async (c: Client, n: number, random: () => number) => {
    for (let i = 0; i < n; i++) {
      const view = await c.handlers['tasks.claimNext']({});
      if (!view) throw new Error(`only ${i} tasks to submit`);
      await c.handlers['tasks.submit']({
        taskId: view.task.id,
        annotation: polygonAnnotation(random, 1000 + i),
      });
    }
  };

  it('pushes a submit while a large image is still downloading (lanes are independent)', async () => {
    // 6 MB first in queue order at 2 MB/s: three seconds of download the submit must not wait for.
    const { c, shas } = await setup(
      { upBytesPerSec: Infinity, downBytesPerSec: 2_000_000, rttMs: 20 },
      { count: 3, bytesOf: (i) => (i === 0 ? 6_000_000 : 20_000) },
    );
    const ready: string[] = [];
    expect(await c.handlers['tasks.getMore']({ count: 3 })).toEqual({ leased: 3 });
    const cache = c.sync.assetCache!;
    // A cycle under way (the timer's, say) while the image downloads: it must not hold the submit.
    void c.sync.syncNow();
    await new Promise((r) => setTimeout(r, 200));
    // Submit the second task (not the one whose image is on the wire).
    const list = await c.handlers['tasks.list']({ limit: 10, offset: 0 });
    const second = list.items[1]!;
    const t0 = performance.now();
    await c.handlers['tasks.submit']({ taskId: second.id, annotation: { results: [], activeMs: 5 } });
    while (c.sync.state().unsynced > 0 && performance.now() - t0 < 10_000)
      await new Promise((r) => setTimeout(r, 10));
    const pushedMs = performance.now() - t0;
    expect(c.sync.state().unsynced).toBe(0);
    expect(cache.localPath(shas[0]!)).toBeNull(); // still downloading
    expect(pushedMs).toBeLessThan(1500);
    await c.sync.assetsIdle();
    for (const sha of shas) if (cache.localPath(sha)) ready.push(sha);
    expect(ready).toContain(shas[0]);
    expect(cache.stats.downloads.get(shas[0]!)).toBe(1);
  });

  it('shrinks push batches on a link that resets large uploads, and delivers each submission once', async () => {
    // Every upload past 48 KB is cut; 40 polygon-heavy submissions are ~200 KB gzipped.
    const { h, proxy, c, token } = await setup(
      { upBytesPerSec: Infinity, downBytesPerSec: Infinity, rttMs: 10, resetUploadsAbove: 48 * 1024 },
      { count: 40, bytesOf: () => 1000 },
      { pushBatch: 1000 },
    );
    await c.handlers['tasks.getMore']({ count: 40 });
    await syncUntilQuiet(c);
    proxy.configure({ resetRate: 0 });
    // Offline work first (no sync between), then one drain.
    await c.sync.signOut();
    await submitAll(c, 40, seededRandom(11));
    await c.sync.signIn(proxy.url, token);
    await syncUntilQuiet(c, 20);
    expect(proxy.stats.resets).toBeGreaterThan(0);
    await assertExactlyOnce(h, c, await userIdOf(h, 'ann'));
    expect(c.sync.state().unsynced).toBe(0);
  });

  it('does not cut a slow upload that keeps moving', async () => {
    // 2 s idle deadline; the first batch (~256 KB) takes about 5 s at 50 KB/s.
    const { h, proxy, c, token } = await setup(
      { upBytesPerSec: Infinity, downBytesPerSec: Infinity, rttMs: 10 },
      { count: 60, bytesOf: () => 1000 },
      { pushBatch: 1000, timeoutMs: 2000 },
    );
    await c.handlers['tasks.getMore']({ count: 60 });
    await syncUntilQuiet(c);
    await c.sync.signOut();
    await submitAll(c, 60, seededRandom(5));
    proxy.configure({ upBytesPerSec: 50_000 });
    proxy.resetStats();
    const t0 = performance.now();
    await c.sync.signIn(proxy.url, token);
    expect(c.sync.state()).toMatchObject({ status: 'online', unsynced: 0 });
    expect(performance.now() - t0).toBeGreaterThan(2000);
    expect(proxy.stats.resets).toBe(0);
    await assertExactlyOnce(h, c, await userIdOf(h, 'ann'));
  });
});
