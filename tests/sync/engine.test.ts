import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { grantRole } from '../../src/hub/index';
import { HUB_ASSET_DIR } from '../../src/main/core/sync/engine';
import { startFaultProxy } from './fault-proxy';
import {
  addAnnotator,
  assertExactlyOnce,
  createImageProject,
  createTextProject,
  openClient,
  startHub,
  submitNext,
  syncUntilQuiet,
  userIdOf,
  type Client,
  type HubHandle,
} from './harness';

describe('sync engine against a real hub (SQLite)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });
  const hubWith = async () => {
    const h = await startHub('sqlite');
    cleanup.push(() => h.close());
    return h;
  };
  const client = async (h: HubHandle, token: string, seed = 1) => {
    const c = await openClient(h.url, token, { seed });
    cleanup.push(() => c.close());
    return c;
  };

  it('signs in, leases tasks, submits offline-first and delivers each submission once', async () => {
    const h = await hubWith();
    const p = await createTextProject(h, 20);
    const token = await addAnnotator(h, p, 'ann');
    const c = await client(h, token);
    expect(c.sync.state()).toMatchObject({ status: 'online', userName: 'ann', unsynced: 0 });
    expect(await c.handlers['tasks.getMore']({ count: 5 })).toMatchObject({ leased: 5 });
    const list = await c.handlers['tasks.list']({ limit: 100, offset: 0 });
    expect(list.total).toBe(5);
    expect(list.items.every((t) => t.leaseExpiresAt !== null)).toBe(true);
    for (let i = 0; i < 3; i++) expect(await submitNext(c, 1000 + i)).not.toBeNull();
    await c.handlers['tasks.skip']({ taskId: (await c.handlers['tasks.claimNext']({}))!.task.id });
    expect(c.sync.state().unsynced).toBe(4);
    await syncUntilQuiet(c);
    expect(c.sync.state()).toMatchObject({ status: 'online', unsynced: 0, conflicts: [] });
    expect(c.sync.state().lastSyncAt).not.toBeNull();
    const ids = Array.from({ length: 20 }, (_, i) => `${p}:t${i}`);
    expect(await assertExactlyOnce(h, c, await userIdOf(h, 'ann'), ids)).toEqual({ checked: 3 });
    // A second sync sends nothing again.
    await syncUntilQuiet(c);
    await assertExactlyOnce(h, c, await userIdOf(h, 'ann'), ids);
  });

  it('releases a task: it leaves the queue and returns to the pool', async () => {
    const h = await hubWith();
    const p = await createTextProject(h, 2);
    const c = await client(h, await addAnnotator(h, p, 'a'));
    await c.handlers['tasks.getMore']({ count: 2 });
    const other = await client(h, await addAnnotator(h, p, 'b'), 2);
    expect(await other.handlers['tasks.getMore']({ count: 2 })).toMatchObject({ leased: 0 });
    const [first] = (await c.handlers['tasks.list']({ limit: 10, offset: 0 })).items;
    await c.handlers['tasks.release']({ taskId: first!.id });
    await syncUntilQuiet(c);
    expect((await c.handlers['tasks.list']({ limit: 10, offset: 0 })).items.map((t) => t.id)).not.toContain(
      first!.id,
    );
    expect(await other.handlers['tasks.getMore']({ count: 2 })).toMatchObject({ leased: 1 });
  });

  it('leases from every project the person annotates, not only the first, and names it', async () => {
    const h = await hubWith();
    const first = await createTextProject(h, 1, { id: 'first' });
    const second = await createTextProject(h, 3, { id: 'second' });
    const c = await client(h, await addAnnotator(h, first, 'multi'));
    await grantRole(h.storage, { name: 'multi', role: 'annotator', project: second });
    expect((await c.handlers['tasks.hubProjects']({})).projects.map((p) => p.id)).toEqual([first, second]);
    expect(await c.handlers['tasks.getMore']({ count: 5 })).toEqual({
      leased: 1,
      projectId: first,
      projectName: 'Sync test first',
      checked: 1,
    });
    // The first project is now empty: the next ask goes on to the second.
    expect(await c.handlers['tasks.getMore']({ count: 5 })).toEqual({
      leased: 3,
      projectId: second,
      projectName: 'Sync test second',
      checked: 2,
    });
    expect(await c.handlers['tasks.getMore']({ count: 5 })).toEqual({
      leased: 0,
      projectId: null,
      projectName: null,
      checked: 2,
    });
    expect((await c.handlers['tasks.getMore']({ count: 5, projectId: second })).leased).toBe(0);
  });

  it('prefetches leased images once, verified, and deletes them when the lease ends', async () => {
    const h = await hubWith();
    const p = await createImageProject(h);
    const c = await client(h, await addAnnotator(h, p, 'img'));
    expect((await c.handlers['tasks.getMore']({ count: 3 })).leased).toBe(3);
    await syncUntilQuiet(c);
    const cache = c.sync.assetCache!;
    expect(cache.stats.downloads.size).toBe(3);
    expect([...cache.stats.downloads.values()].every((n) => n === 1)).toBe(true);
    const view = (await c.handlers['tasks.claimNext']({}))!;
    if (view.task.data.kind !== 'image') throw new Error('expected an image task');
    const sha = view.task.data.image.sha256;
    // The workbench's own asset lookup finds the cached file (what the renderer is served).
    expect(c.assets.path(sha)).toBe(path.join(c.dataDir, HUB_ASSET_DIR, sha));
    await c.handlers['tasks.release']({ taskId: view.task.id });
    await syncUntilQuiet(c);
    await syncUntilQuiet(c);
    expect(fs.existsSync(path.join(c.dataDir, HUB_ASSET_DIR, sha))).toBe(false);
    expect(c.assets.path(sha)).toBeNull();
    expect(cache.stats.downloads.size).toBe(3);
  });

  it('refuses a bad token with UNAUTHORIZED and stays signed out', async () => {
    const h = await hubWith();
    await createTextProject(h, 1);
    const c: Client = await openClient(h.url, 'x', { signIn: false });
    cleanup.push(() => c.close());
    const r = await c.dispatch('sync.signIn', { hubUrl: h.url, token: 'not-a-real-token' });
    expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(c.sync.state().status).toBe('signed-out');
  });

  it('says a hub that does not answer in words, with the technical line as the detail (16.5)', async () => {
    const h = await hubWith();
    const p = await createTextProject(h, 3);
    const proxy = await startFaultProxy({ targetPort: h.port, seed: 1 });
    cleanup.push(() => proxy.close());
    const c = await openClient(proxy.url, await addAnnotator(h, p, 'ann'), { seed: 1 });
    cleanup.push(() => c.close());
    const host = new URL(proxy.url).host;
    // Long enough for two attempts (1–2 s apart) of the call and of the cycle after it.
    const down = proxy.refuseFor(9000);
    const r = await c.dispatch('tasks.getMore', { count: 1 });
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'OFFLINE',
        message: `The hub at ${host} does not answer. Your work is kept here and will be sent when it is back.`,
      },
    });
    expect(r.ok ? '' : r.error.detail).toMatch(/^getting more tasks: GET \/v1\/me: connect ECONNREFUSED/);
    const s = await c.sync.syncNow();
    expect(s).toMatchObject({ status: 'offline', problem: 'hub-unreachable' });
    expect(s.lastError).toContain('ECONNREFUSED');
    await down;
    expect(await c.sync.syncNow()).toMatchObject({ status: 'online', problem: null, lastError: null });
  });
  it("honours the hub's Retry-After across cycles: no cycle of the loop starts before it", async () => {
    const h = await hubWith();
    const p = await createTextProject(h, 3);
    const proxy = await startFaultProxy({
      targetPort: h.port,
      seed: 1,
      retryAfterSeconds: 120,
      applies: (_m, url) => url.startsWith('/v1/push'),
    });
    cleanup.push(() => proxy.close());
    const c = await openClient(proxy.url, await addAnnotator(h, p, 'ann'), { seed: 1 });
    cleanup.push(() => c.close());
    await c.handlers['tasks.getMore']({ count: 3 });
    // The submit's outbox row starts a cycle at once; its push meets the 503.
    proxy.enqueue('e503');
    const t0 = Date.now();
    await submitNext(c, 1);
    for (let i = 0; i < 100 && c.sync.state().status !== 'offline'; i++)
      await new Promise((r) => setTimeout(r, 20));
    const s = c.sync.state();
    expect(s).toMatchObject({ status: 'offline', unsynced: 1 });
    expect(s.nextRetryAt).toBeGreaterThanOrEqual(t0 + 120_000);
    // A new submit does not start a cycle while the hub asked us to wait.
    await submitNext(c, 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(c.sync.state()).toMatchObject({ status: 'offline', unsynced: 2 });
    // "Sync now" is the annotator's own call: it goes at once.
    await syncUntilQuiet(c);
    await assertExactlyOnce(h, c, await userIdOf(h, 'ann'));
  });
});
