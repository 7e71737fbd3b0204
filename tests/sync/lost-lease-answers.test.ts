import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import {
  addAnnotator,
  createTextProject,
  openClient,
  REPO_ROOT,
  startHub,
  tmpDir,
  userIdOf,
  type Client,
  type HubHandle,
} from './harness';

/**
 * Issue 16.6: a lease answer lost (three in a row, or a SIGKILL between the hub's commit and the
 * local write) must not leave leases on the hub that their holder does not know, renewed by its
 * own syncs while nobody can work on them. Afterwards, one sync cycle is all it may take.
 */
describe('lost lease answers', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  const setup = async (): Promise<{ h: HubHandle; proxy: FaultProxy; token: string; userId: string }> => {
    const h = await startHub('sqlite');
    cleanup.push(() => h.close());
    const p = await createTextProject(h, 40);
    const token = await addAnnotator(h, p, 'ann');
    const proxy = await startFaultProxy({
      targetPort: h.port,
      seed: 16,
      holdMs: 60_000,
      applies: (method, p) => method === 'POST' && p.startsWith('/v1/leases'),
    });
    cleanup.push(() => proxy.close());
    return { h, proxy, token, userId: await userIdOf(h, 'ann') };
  };

  /** The hub's live leases of this device that the workbench does not hold. */
  const unknownToHolder = async (h: HubHandle, c: Client, userId: string, deviceId = c.sync.deviceId) => {
    const held = new Set(c.queue.hub.leases().map((l) => `${l.hub_lease_epoch}:${l.id}`));
    const onHub = await h.storage.heldLeases(userId, deviceId, Date.now());
    return onHub.map((l) => `${l.epoch}:${l.taskId}`).filter((k) => !held.has(k));
  };

  it('three lost answers in a row: the next cycle replays the request and holds every lease', async () => {
    const { h, proxy, token, userId } = await setup();
    const c = await openClient(proxy.url, token);
    cleanup.push(() => c.close());
    proxy.enqueue('cut', 'cut', 'cut');
    // Two attempts (the harness's), both answers lost after the hub committed.
    await expect(c.handlers['tasks.getMore']({ count: 5 })).rejects.toThrow();
    expect(await h.storage.heldLeases(userId, c.sync.deviceId, Date.now())).toHaveLength(5);
    expect(await unknownToHolder(h, c, userId)).toHaveLength(5);

    // One cycle: its replay loses the third answer, and its retry waits seconds, not ms.
    const t0 = Date.now();
    await c.sync.syncNow();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(await unknownToHolder(h, c, userId)).toEqual([]);
    expect(c.queue.hub.leases()).toHaveLength(5);
    // The same five: a replay under the request's id leased nothing more.
    expect(await h.storage.heldLeases(userId, c.sync.deviceId, Date.now())).toHaveLength(5);
    expect(proxy.log.filter((d) => d.path.startsWith('/v1/leases')).map((d) => d.fault)).toEqual([
      'cut',
      'cut',
      'cut',
      'pass',
    ]);
  });

  it('a request lost for good: the leases the hub lists for the device are adopted in one cycle', async () => {
    const { h, proxy, token, userId } = await setup();
    const c = await openClient(proxy.url, token);
    cleanup.push(() => c.close());
    proxy.enqueue('cut', 'cut');
    await expect(c.handlers['tasks.getMore']({ count: 4 })).rejects.toThrow();
    // As if the stored request were gone (too old to replay, or written by an older version).
    c.db.prepare('DELETE FROM lease_requests').run();
    expect(await unknownToHolder(h, c, userId)).toHaveLength(4);
    await c.sync.syncNow();
    expect(await unknownToHolder(h, c, userId)).toEqual([]);
    const list = await c.handlers['tasks.list']({ limit: 10, offset: 0 });
    expect(list.total).toBe(4);
    // Agreed with the hub: the next pull is one delta request again.
    await c.sync.syncNow();
    expect(c.sync.lastPull).toMatchObject({ requests: 1, fullLeaseLists: 0 });
  });

  it('SIGKILL between the hub’s commit and the local write: the restarted core holds the leases after one cycle', async () => {
    const { h, proxy, token, userId } = await setup();
    proxy.enqueue('hold');
    const dataDir = tmpDir('lease-kill');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(__dirname, 'fixtures', 'lease-client.ts'),
        dataDir,
        proxy.url,
        token,
        '6',
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let deviceId = '';
    let stderr = '';
    let leasedLine = false;
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<string | null>((resolve) =>
      child.on('close', (_c, signal) => resolve(signal)),
    );
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^DEVICE (\S+)$/.exec(line);
      if (m) deviceId = m[1]!;
      if (line.startsWith('LEASED')) leasedLine = true;
    });
    // The hub has committed once it lists the leases; the proxy still holds the answer.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (deviceId && (await h.storage.heldLeases(userId, deviceId, Date.now())).length === 6) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    expect(await exited, stderr).toBe('SIGKILL');
    expect(leasedLine).toBe(false);

    const c = await openClient(proxy.url, token, { dataDir, signIn: false });
    cleanup.push(() => c.close());
    expect(c.sync.deviceId).toBe(deviceId);
    expect(c.queue.hub.leases()).toHaveLength(0);
    expect(await unknownToHolder(h, c, userId)).toHaveLength(6);
    // signIn runs the first cycle: the stored request is replayed under its id.
    await c.sync.signIn(proxy.url, token);
    expect(await unknownToHolder(h, c, userId)).toEqual([]);
    expect(c.queue.hub.leases()).toHaveLength(6);
    expect(await h.storage.heldLeases(userId, deviceId, Date.now())).toHaveLength(6);
  });
});
