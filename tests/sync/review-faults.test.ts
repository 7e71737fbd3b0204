import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { addUser } from '../../src/hub';
import { seededRandom } from '../../src/main/core/sync/clock';
import { startFaultProxy, type Fault, type FaultProxy } from './fault-proxy';
import {
  createTextProject,
  openClient,
  REPO_ROOT,
  startHub,
  submitNext,
  syncUntilQuiet,
  tmpDir,
  type Client,
  type HubHandle,
} from './harness';

/**
 * Verdicts through the same faults as submissions: lost requests, lost answers, duplicates,
 * held and truncated answers, 503s (fault proxy), and a reviewer's core SIGKILLed mid-verdict
 * and mid-push. The hub must hold each verdict given here exactly once, and every verdict the
 * core acknowledged must survive.
 */

const SEED = Number(process.env.SYNC_SEED ?? 20261207);
const CLIENT = path.join(__dirname, 'fixtures', 'review-crash-client.ts');

let hub: HubHandle | null = null;
const open: (Client | FaultProxy)[] = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
  await hub?.close();
  hub = null;
});

/** A reviewed text project with `n` submitted tasks; answers the reviewer's token and the task ids. */
const reviewedProject = async (h: HubHandle, n: number, id: string) => {
  const projectId = await createTextProject(h, n, { id });
  await h.storage.setReviewPolicy(projectId, 'all', ['wrong label']);
  const ann = await addUser(h.storage, { name: `ann-${id}`, role: 'annotator', project: projectId });
  const rev = await addUser(h.storage, { name: `rev-${id}`, role: 'reviewer', project: projectId });
  const a = await openClient(h.url, ann.token, { pushBatch: 50 });
  await a.handlers['tasks.getMore']({ projectId, count: n });
  const taskIds: string[] = [];
  for (let i = 0; i < n; i++) taskIds.push((await submitNext(a, 100 + i))!);
  await syncUntilQuiet(a);
  await a.close();
  return { projectId, reviewer: rev, taskIds };
};

/** Per task, the hub's verdicts by this reviewer (none flagged: each applied once). */
const hubVerdicts = async (h: HubHandle, taskIds: readonly string[], reviewerId: string) => {
  const out = new Map<string, { id: string; kind: string; flag?: string | undefined }[]>();
  for (const t of taskIds) {
    const history = await h.storage.taskHistory(t);
    out.set(
      t,
      (history?.verdicts ?? [])
        .filter((v) => v.reviewerId === reviewerId)
        .map((v) => ({ id: v.id, kind: v.kind, flag: v.flag })),
    );
  }
  return out;
};

describe('verdicts through a faulty link', () => {
  it('reach the hub exactly once through drops, cuts, duplicates, holds, truncations and 503s', async () => {
    hub = await startHub('sqlite');
    const { projectId, reviewer, taskIds } = await reviewedProject(hub, 24, 'rf');
    const proxy = await startFaultProxy({
      targetPort: hub.port,
      seed: SEED,
      holdMs: 900,
      applies: (_m, p) => p.startsWith('/v1/push') || p.startsWith('/v1/pull'),
    });
    open.push(proxy);
    const r = await openClient(proxy.url, reviewer.token, { timeoutMs: 600, pushBatch: 4, seed: SEED });
    open.push(r);
    expect((await r.handlers['review.lease']({ projectId, count: 50 })).leased).toBe(24);
    const rnd = seededRandom(SEED);
    const scripted: Fault[] = ['drop', 'cut', 'dup', 'hold', 'truncate', 'e503'];
    const given = new Map<string, string>();
    for (let round = 0; round < 6; round++) {
      for (let k = 0; k < 4; k++) {
        const view = await r.handlers['review.next']({ projectId });
        if (!view) break;
        const s = view.item.submissionId;
        if (rnd() < 0.6) await r.handlers['review.accept']({ submissionId: s, comments: [] });
        else
          await r.handlers['review.reject']({
            submissionId: s,
            reason: 'wrong label',
            comments: [{ target: { kind: 'task' }, text: 'redo' }],
          });
        given.set(view.item.taskId, s);
      }
      proxy.enqueue(scripted[round]!);
      proxy.setRates({ pass: 3, drop: 1, cut: 1, dup: 1, truncate: 1, e503: 1 });
      await r.sync.syncNow();
    }
    proxy.setRates({});
    await syncUntilQuiet(r);
    expect(given.size).toBe(24);
    const faults = new Set(proxy.log.map((d) => d.fault));
    for (const f of scripted) expect(faults, `fault ${f} was exercised`).toContain(f);

    const local = await r.handlers['review.list']({ projectId, limit: 100, offset: 0 });
    expect(local.items.every((i) => i.delivery === 'delivered')).toBe(true);
    const onHub = await hubVerdicts(hub, taskIds, (await hub.storage.findUserByName('rev-rf'))!.id);
    for (const item of local.items) {
      const vs = onHub.get(item.taskId) ?? [];
      expect(vs, `task ${item.taskId}`).toHaveLength(1);
      expect(vs[0]!.flag).toBeUndefined();
      expect(vs[0]!.kind).toBe(item.status);
    }
  }, 90_000);
});

type Ack = { submissionId: string; kind: string };

const runUntilKilled = (
  args: string[],
  killAfterMs: number,
): Promise<{ acks: Ack[]; stderr: string; signal: string | null; done: boolean }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLIENT, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: Ack[] = [];
    let stderr = '';
    let done = false;
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'READY') setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      if (line === 'DONE') done = true;
      const m = /^ACK (\S+) (\w+)$/.exec(line);
      if (m) acks.push({ submissionId: m[1]!, kind: m[2]! });
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(guard);
      resolve({ acks, stderr, signal, done });
    });
  });

describe('a reviewer’s core SIGKILLed while giving and pushing verdicts', () => {
  it('loses no acknowledged verdict and sends none twice', async () => {
    hub = await startHub('sqlite');
    const n = 120;
    const { projectId, reviewer, taskIds } = await reviewedProject(hub, n, 'rk');
    const dataDir = tmpDir('review-crash');
    // Lease the whole batch first, then review it across kills.
    const first = await openClient(hub.url, reviewer.token, { dataDir });
    expect((await first.handlers['review.lease']({ projectId, count: n })).leased).toBe(n);
    await first.close();
    const rnd = seededRandom(SEED);
    const acks: Ack[] = [];
    for (let round = 0; round < 4; round++) {
      const r = await runUntilKilled(
        [dataDir, hub.url, reviewer.token, String(SEED + round)],
        150 + Math.floor(rnd() * 700),
      );
      if (r.signal !== 'SIGKILL' && !r.done)
        throw new Error(`seed ${SEED}: round ${round} died: ${r.stderr}`);
      acks.push(...r.acks);
      if (r.done) break;
    }
    expect(acks.length).toBeGreaterThan(0);

    const c = await openClient(hub.url, reviewer.token, { dataDir, seed: SEED });
    open.push(c);
    await syncUntilQuiet(c);
    expect(c.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const local = new Map(
      (await c.handlers['review.list']({ projectId, limit: 1000, offset: 0 })).items.map((i) => [
        i.submissionId,
        i,
      ]),
    );
    const lost = acks.filter((a) => local.get(a.submissionId)?.status !== a.kind);
    expect(lost, `seed ${SEED}: acknowledged verdicts lost`).toEqual([]);
    const onHub = await hubVerdicts(hub, taskIds, (await hub.storage.findUserByName('rev-rk'))!.id);
    let decided = 0;
    for (const item of local.values()) {
      const vs = onHub.get(item.taskId) ?? [];
      if (item.status === 'pending') {
        expect(vs, `task ${item.taskId}`).toEqual([]);
        continue;
      }
      decided++;
      expect(vs, `seed ${SEED}: task ${item.taskId}`).toHaveLength(1);
      expect(vs[0]!.kind).toBe(item.status);
      expect(item.delivery).toBe('delivered');
    }
    // At most one verdict per kill committed without its ACK reaching us.
    expect(decided - acks.length).toBeGreaterThanOrEqual(0);
    expect(decided - acks.length).toBeLessThanOrEqual(4);
  }, 120_000);
});
