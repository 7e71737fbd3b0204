import { afterEach, describe, expect, it } from 'vitest';
import { startFaultProxy } from './fault-proxy';
import {
  addAnnotator,
  assertExactlyOnce,
  createTextProject,
  openClient,
  startHub,
  submitNext,
  userIdOf,
  type Client,
} from './harness';

const waitFor = async (what: string, ok: () => boolean, ms = 5000): Promise<number> => {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - t0;
};

/** Offline and back: waits end at once when they should, and cost little while they last. */
describe('sync reconnect', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });
  const setup = async () => {
    const h = await startHub('sqlite');
    cleanup.push(() => h.close());
    const p = await createTextProject(h, 10);
    const proxy = await startFaultProxy({ targetPort: h.port, seed: 4 });
    cleanup.push(() => proxy.close());
    // A long backoff: only new work, a probe or the OS can end the wait quickly.
    const c: Client = await openClient(proxy.url, await addAnnotator(h, p, 'ann'), { maxBackoffMs: 120_000 });
    cleanup.push(() => c.close());
    await c.handlers['tasks.getMore']({ count: 5 });
    await c.sync.syncNow();
    return { h, proxy, c };
  };

  it('new local work ends the backoff wait at once when the hub is back', async () => {
    const { h, proxy, c } = await setup();
    const down = proxy.refuseFor(2500);
    await submitNext(c, 1);
    await waitFor('offline', () => c.sync.state().status === 'offline');
    expect(c.sync.state().nextRetryAt! - Date.now()).toBeGreaterThan(0);
    await down;
    const probesBefore = c.sync.requests.probe;
    await submitNext(c, 2);
    const ms = await waitFor('both submits pushed', () => c.sync.state().status === 'online');
    expect(ms).toBeLessThan(1500);
    expect(c.sync.state().unsynced).toBe(0);
    expect(c.sync.requests.probe).toBe(probesBefore + 1); // one small probe, then the cycle
    await assertExactlyOnce(h, c, await userIdOf(h, 'ann'));
  });

  it('spends no requests while the OS says offline, and probes the moment it is back', async () => {
    const { proxy, c } = await setup();
    const down = proxy.refuseFor(2500);
    await submitNext(c, 1);
    await waitFor('offline', () => c.sync.state().status === 'offline');
    c.sync.setNetworkOnline(false);
    await down;
    const seen = proxy.log.length;
    const probes = c.sync.requests.probe;
    for (let i = 0; i < 3; i++) await submitNext(c, 10 + i);
    await new Promise((r) => setTimeout(r, 300));
    expect(proxy.log.length).toBe(seen);
    expect(c.sync.requests.probe).toBe(probes);
    expect(c.sync.state()).toMatchObject({ status: 'offline', unsynced: 4 });
    c.sync.setNetworkOnline(true);
    expect(await waitFor('the outbox to drain', () => c.sync.state().unsynced === 0)).toBeLessThan(1500);
  });

  it('a screen that cannot reach the hub ends "Synced" at once, from a fresh check', async () => {
    const { proxy, c } = await setup();
    expect(c.sync.state().status).toBe('online');
    const down = proxy.refuseFor(2500);
    const hub = c.sync.hubClient()!;
    // What the review, team and quality screens do: one read through the signed-in client.
    await expect(hub.http.request({ method: 'GET', path: '/v1/health' })).rejects.toThrow();
    // The idle wait is an hour: only the failed read can have started this check.
    await waitFor('offline', () => c.sync.state().status === 'offline', 1500);
    expect(c.sync.state().problem).toBe('hub-unreachable');
    await down;
    // A later read that reaches the hub changes nothing by itself; the next check says online.
    await c.sync.syncNow();
    expect(c.sync.state().status).toBe('online');
  });
});
