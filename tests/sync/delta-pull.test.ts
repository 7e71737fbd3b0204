import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_HEADER, PullResponse } from '../../src/shared/sync';
import {
  addAnnotator,
  createTextProject,
  offsetClock,
  openClient,
  startHub,
  syncUntilQuiet,
  type Client,
  type HubHandle,
} from './harness';
import { startThrottleProxy, type ThrottleProxy } from './throttle-proxy';

/** Protocol 1.1 pulls: only what changed since the cursor, leases included, against a real hub. */
describe('delta pulls', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });
  const clock = offsetClock();
  const setup = async (): Promise<{ h: HubHandle; c: Client; proxy: ThrottleProxy; token: string }> => {
    const h = await startHub('sqlite', { clock: clock.now });
    cleanup.push(() => h.close());
    const p = await createTextProject(h, 40, { leaseHours: 1 });
    const token = await addAnnotator(h, p, 'ann');
    // Unthrottled: here it only counts bytes.
    const proxy = await startThrottleProxy({
      targetPort: h.port,
      seed: 1,
      upBytesPerSec: Infinity,
      downBytesPerSec: Infinity,
      rttMs: 0,
    });
    cleanup.push(() => proxy.close());
    const c = await openClient(proxy.url, token);
    cleanup.push(() => c.close());
    expect(await c.handlers['tasks.getMore']({ count: 30 })).toEqual({ leased: 30 });
    await syncUntilQuiet(c);
    return { h, c, proxy, token };
  };
  const rawPull = async (h: HubHandle, token: string, query: string) => {
    const res = await fetch(`${h.url}/v1/pull?${query}`, {
      headers: { authorization: `Bearer ${token}`, [PROTOCOL_HEADER]: '1.0' },
    });
    return PullResponse.parse(await res.json());
  };

  it('costs a few hundred bytes when nothing changed, with 30 leases held', async () => {
    const { c, proxy } = await setup();
    proxy.resetStats();
    await c.sync.syncNow();
    expect(c.sync.lastPull).toMatchObject({ requests: 1, fullLeaseLists: 0, events: 0, renewed: 30 });
    expect(proxy.stats.exchanges).toBe(1);
    // Request line and headers up, headers and a short JSON body down.
    expect(proxy.stats.down).toBeLessThan(600);
    expect(proxy.stats.up).toBeLessThan(600);
  });

  it("leaves out the device's own lease grants but gives a 1.0 client the full list and every event", async () => {
    const { h, c, token } = await setup();
    const deviceId = c.sync.deviceId;
    const old = await rawPull(h, token, `cursor=0&deviceId=${deviceId}`);
    expect(old.leaseMode).toBeUndefined();
    expect(old.leases).toHaveLength(30);
    expect(old.events.filter((e) => e.kind === 'lease.granted')).toHaveLength(30);
    const fresh = await rawPull(h, token, `cursor=0&deviceId=${deviceId}&leases=delta`);
    expect(fresh.leaseMode).toBe('delta');
    expect(fresh.events.filter((e) => e.kind === 'lease.granted')).toHaveLength(0);
    expect(fresh.cursor).toBe(old.cursor);
    const since = await rawPull(
      h,
      token,
      `cursor=${old.cursor}&deviceId=${deviceId}&leases=delta&leasesSince=${fresh.leaseMark}`,
    );
    expect(since.leases).toHaveLength(0);
    expect(since.leaseDigest).toBe(fresh.leaseDigest);
  });

  it('ends leases the hub expired through the delta, without the full list', async () => {
    const { c } = await setup();
    clock.advance(2 * 3_600_000);
    await c.sync.syncNow();
    expect(c.sync.lastPull).toMatchObject({ fullLeaseLists: 0, revoked: 30 });
    expect((await c.handlers['tasks.list']({ limit: 100, offset: 0 })).total).toBe(0);
  });

  it('takes the full list once when its leases and the hub disagree, and agrees again after', async () => {
    const { c } = await setup();
    const [first] = (await c.handlers['tasks.list']({ limit: 1, offset: 0 })).items;
    // A lease the hub never granted (as if an event were lost).
    c.db.prepare('UPDATE tasks SET hub_lease_epoch = 99 WHERE id = ?').run(first!.id);
    await c.sync.syncNow();
    expect(c.sync.lastPull).toMatchObject({ requests: 2, fullLeaseLists: 1, revoked: 1 });
    await c.sync.syncNow();
    expect(c.sync.lastPull).toMatchObject({ requests: 1, fullLeaseLists: 0 });
  });
});
