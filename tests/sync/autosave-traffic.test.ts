import { afterEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { addAnnotator, createTextProject, openClient, startHub, type Client } from './harness';

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Waits until no request has reached the hub for `quietMs` and the engine is not mid-cycle. */
const settle = async (c: Client, proxy: FaultProxy, quietMs = 300): Promise<void> => {
  for (let i = 0; i < 100; i++) {
    const n = proxy.log.length;
    await delay(quietMs);
    if (proxy.log.length === n && c.sync.state().status !== 'syncing') return;
  }
  throw new Error('the sync engine never went quiet');
};

/** The requests the hub received after `from`, as "METHOD /path" without the query. */
const requestsSince = (proxy: FaultProxy, from: number): string[] =>
  proxy.log.slice(from).map((d) => `${d.method} ${d.path.split('?')[0]}`);

describe('sync traffic caused by local work (real engine, real hub on 127.0.0.1)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  it('100 autosaves send nothing to the hub; a submit sends one push', async () => {
    const h = await startHub('sqlite');
    cleanup.push(() => h.close());
    const p = await createTextProject(h, 5);
    const token = await addAnnotator(h, p, 'ann');
    // Every request the engine makes goes through this proxy, which logs it (and faults none).
    const proxy = await startFaultProxy({ targetPort: h.port, seed: 1 });
    cleanup.push(() => proxy.close());
    const c = await openClient(proxy.url, token);
    cleanup.push(() => c.close());
    expect(await c.handlers['tasks.getMore']({ count: 2 })).toEqual({ leased: 2 });
    await settle(c, proxy);

    const beforeEdits = proxy.log.length;
    const view = await c.handlers['tasks.claimNext']({});
    const taskId = view!.task.id;
    for (let i = 0; i < 100; i++) {
      await c.handlers['tasks.saveDraft']({
        taskId,
        annotation: { results: [], activeMs: 100 * i },
      });
    }
    await settle(c, proxy);
    expect(requestsSince(proxy, beforeEdits)).toEqual([]);
    expect(c.sync.state().unsynced).toBe(0);

    const beforeSubmit = proxy.log.length;
    await c.handlers['tasks.submit']({ taskId, annotation: { results: [], activeMs: 10_000 } });
    await settle(c, proxy);
    expect(c.sync.state()).toMatchObject({ status: 'online', unsynced: 0 });
    const sent = requestsSince(proxy, beforeSubmit);
    // The submit starts one cycle: one push carries it; the feed is read in the same cycle only
    // when the last pull is older than idleMaxMs (pushes renew leases on the hub too).
    expect(sent[0]).toBe('POST /v1/push');
    expect(sent.filter((r) => r === 'POST /v1/push')).toHaveLength(1);
    expect(sent.filter((r) => r === 'GET /v1/pull').length).toBeLessThanOrEqual(1);
    expect(sent).toHaveLength(sent.includes('GET /v1/pull') ? 2 : 1);
    expect((await h.storage.submissions(taskId)).length).toBe(1);
  });
});
