import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/main/core/sync/clock';
import { describeDelivery } from '../../src/shared/model';
import { FAULTS, startFaultProxy, type Fault, type FaultProxy } from './fault-proxy';
import { startLineClient } from './line-client';
import {
  addAnnotator,
  assertExactlyOnce,
  createTextProject,
  fingerprinted,
  offsetClock,
  openClient,
  startHub,
  submitNext,
  syncUntilQuiet,
  tmpDir,
  userIdOf,
  fingerprintOf,
  type Client,
  type HubHandle,
  type HubKind,
} from './harness';

const SEED = Number(process.env.SYNC_SEED ?? 20261128);
const HOUR = 3_600_000;
/** Until the link has answered everything it was sent, twice in a row 50 ms apart (bytes in flight land). */
const settleLink = async (link: FaultProxy): Promise<void> => {
  for (let quiet = 0; quiet < 2;) {
    await new Promise((r) => setTimeout(r, 50));
    quiet = link.pending === 0 ? quiet + 1 : 0;
  }
};
const onlySync = (_m: string, url: string) => url.startsWith('/v1/push') || url.startsWith('/v1/pull');

/** Prints the seed (and where the proxy log is) with any failure, so the run can be replayed. */
const withSeed = async (seed: number, log: string | null, body: () => Promise<void>) => {
  try {
    await body();
  } catch (e) {
    throw new Error(
      `seed ${seed} (replay: SYNC_SEED=${seed} npx vitest run tests/sync)${log ? `; proxy log ${log}` : ''}: ${(e as Error).message}`,
      { cause: e },
    );
  }
};

/**
 * The fault, restart, lease-race and randomized scenarios against one hub storage. One hub per
 * file (PGlite takes seconds to start); each test has its own project and users, and the hub
 * clock only moves forward, so earlier tests are unaffected. Each storage has its own test file
 * so the two run in parallel.
 */
export function defineScenarios(kind: HubKind): void {
  describe(`sync scenarios, hub on ${kind}`, () => {
    let h: HubHandle;
    const clock = offsetClock();
    const slow = kind !== 'sqlite';
    const timeoutMs = slow ? 3000 : 400;
    const cleanup: (() => Promise<void>)[] = [];
    beforeAll(async () => {
      h = await startHub(kind, { clock: clock.now });
    }, 120_000);
    afterAll(async () => {
      await h?.close();
    });
    afterEach(async () => {
      for (const f of cleanup.splice(0).reverse()) await f();
    });
    const client = async (
      url: string,
      token: string,
      seed: number,
      extra: { clock?: () => number } = {},
    ): Promise<Client> => {
      const c = await openClient(url, token, { seed, timeoutMs, ...extra });
      cleanup.push(() => c.close());
      return c;
    };
    const proxyFor = async (seed: number, logFile: string | null = null): Promise<FaultProxy> => {
      const p = await startFaultProxy({
        targetPort: h.port,
        seed,
        holdMs: timeoutMs + 300,
        retryAfterSeconds: 0,
        reorderWaitMs: 100,
        applies: onlySync,
        ...(logFile ? { logFile } : {}),
      });
      cleanup.push(() => p.close());
      return p;
    };

    it(
      'every fault once, then a seeded mix: each acknowledged submission lands exactly once',
      { timeout: 120_000 },
      async () => {
        const p = await createTextProject(h, 30, { id: 'faults' });
        const token = await addAnnotator(h, p, 'faults-ann');
        const logFile = path.join(tmpDir('proxy'), 'decisions.jsonl');
        const proxy = await proxyFor(SEED, logFile);
        const c = await client(proxy.url, token, SEED);
        await c.handlers['tasks.getMore']({ count: 24 });
        await withSeed(SEED, logFile, async () => {
          let fp = 1;
          const scripted: Fault[] = FAULTS.filter((f) => f !== 'pass');
          for (const f of scripted) {
            await submitNext(c, fp++);
            proxy.enqueue(f);
            await c.sync.syncNow();
          }
          const refusing = proxy.refuseFor(300);
          await submitNext(c, fp++);
          await c.sync.syncNow();
          await refusing;
          proxy.setRates({
            pass: 3,
            drop: 1,
            cut: 1,
            dup: 1,
            hold: slow ? 0 : 0.5,
            truncate: 1,
            e503: 1,
            e401: 0.5,
          });
          while ((await submitNext(c, fp++)) !== null) await c.sync.syncNow();
          proxy.setRates({});
          await syncUntilQuiet(c);
          const ids = Array.from({ length: 30 }, (_, i) => `${p}:t${i}`);
          expect((await assertExactlyOnce(h, c, await userIdOf(h, 'faults-ann'), ids)).checked).toBe(24);
          expect(c.sync.state()).toMatchObject({ status: 'online', unsynced: 0, conflicts: [] });
          const seen = new Set(
            fs
              .readFileSync(logFile, 'utf8')
              .trim()
              .split('\n')
              .map((l) => (JSON.parse(l) as { fault: string }).fault),
          );
          for (const f of [...scripted, 'refuse']) expect(seen, `fault ${f} exercised`).toContain(f);
        });
      },
    );

    it('the hub restarts mid-sync: nothing lost, nothing doubled', { timeout: 60_000 }, async () => {
      const p = await createTextProject(h, 10, { id: 'restart' });
      const c = await client(h.url, await addAnnotator(h, p, 'restart-ann'), SEED);
      await c.handlers['tasks.getMore']({ count: 10 });
      for (let i = 0; i < 5; i++) await submitNext(c, 100 + i);
      const syncing = c.sync.syncNow();
      await h.restart();
      await syncing;
      for (let i = 5; i < 10; i++) await submitNext(c, 100 + i);
      await syncUntilQuiet(c);
      expect((await assertExactlyOnce(h, c, await userIdOf(h, 'restart-ann'))).checked).toBe(10);
    });

    it(
      "lease race: A partitioned past expiry, B takes and submits, A returns — B's work stands, A's is a visible conflict",
      { timeout: 60_000 },
      async () => {
        const p = await createTextProject(h, 1, { id: 'race', leaseHours: 1 });
        const a = await client(h.url, await addAnnotator(h, p, 'race-a'), 1);
        const b = await client(h.url, await addAnnotator(h, p, 'race-b'), 2);
        expect(await a.handlers['tasks.getMore']({ count: 1 })).toMatchObject({ leased: 1 });
        expect(await b.handlers['tasks.getMore']({ count: 1 })).toMatchObject({ leased: 0 });
        // Let the cycles that sign-in started finish before the partition: a pull that lands
        // after the expiry would (rightly) revoke A's task, and this scenario is about A offline.
        await syncUntilQuiet(a);
        await syncUntilQuiet(b);
        // A is cut off; its lease runs out on the hub.
        clock.advance(2 * HOUR);
        expect(await b.handlers['tasks.getMore']({ count: 1 })).toMatchObject({ leased: 1 });
        const taskId = await submitNext(b, 222);
        await syncUntilQuiet(b);
        // A worked on offline and now comes back.
        expect(await submitNext(a, 111)).toBe(taskId);
        await syncUntilQuiet(a);
        const subs = await h.storage.submissions(taskId!);
        const byUser = new Map(subs.map((s) => [fingerprintOf(s.annotation), s]));
        expect(subs).toHaveLength(2);
        expect(byUser.get(222)).toMatchObject({ conflict: false });
        expect(byUser.get(111)).toMatchObject({ conflict: true });
        expect(a.sync.state().conflicts).toMatchObject([{ taskId, kind: 'conflict' }]);
        expect(b.sync.state().conflicts).toEqual([]);
        await assertExactlyOnce(h, a, await userIdOf(h, 'race-a'));
        await assertExactlyOnce(h, b, await userIdOf(h, 'race-b'));
      },
    );

    it(
      "lease race, pull first: the pull that ends A's lease lands before A's submit — A's open task stays, its submit is a visible conflict",
      { timeout: 60_000 },
      async () => {
        const p = await createTextProject(h, 1, { id: 'pullfirst', leaseHours: 1 });
        const a = await client(h.url, await addAnnotator(h, p, 'pullfirst-a'), 1);
        const b = await client(h.url, await addAnnotator(h, p, 'pullfirst-b'), 2);
        expect(await a.handlers['tasks.getMore']({ count: 1 })).toMatchObject({ leased: 1 });
        const taskId = (await a.handlers['tasks.claimNext']({}))!.task.id;
        // A works on it: a suggestion dismissed, no region drawn yet (the frozen test's draft).
        await a.handlers['tasks.saveDraft']({ taskId, annotation: fingerprinted(110) });
        await syncUntilQuiet(a);
        clock.advance(2 * HOUR);
        expect(await b.handlers['tasks.getMore']({ count: 1 })).toMatchObject({ leased: 1 });
        expect(await submitNext(b, 222)).toBe(taskId);
        await syncUntilQuiet(b);
        // The order a waking process can take (the overdue loop's pull answered before the
        // click is read): the pull ends A's lease first. The task A has open stays, shown expired.
        await a.sync.syncNow();
        expect(a.sync.lastPull).toMatchObject({ revoked: 1 });
        const view = await a.handlers['tasks.open']({ taskId });
        expect(view).toMatchObject({ status: 'in_progress', draft: { annotation: fingerprinted(110) } });
        expect(view.leaseExpiresAt).toBeLessThanOrEqual(Date.now());
        // Then the click: taken locally and kept in the outbox until the hub has answered it.
        expect(await a.handlers['tasks.submit']({ taskId, annotation: fingerprinted(111) })).toMatchObject({
          submittedAt: expect.any(Number),
        });
        expect(a.sync.state().unsynced).toBe(1);
        // What the task says comes from its records: waiting until the hub answers, then flagged.
        const delivery = async () => {
          const v = await a.handlers['tasks.open']({ taskId });
          return describeDelivery(v.delivery, v.status).state;
        };
        expect(await delivery()).toBe('waiting');
        await syncUntilQuiet(a);
        expect(await delivery()).toBe('flagged');
        const subs = await h.storage.submissions(taskId);
        const byFp = new Map(subs.map((s) => [fingerprintOf(s.annotation), s]));
        expect(subs).toHaveLength(2);
        expect(byFp.get(222)).toMatchObject({ conflict: false });
        expect(byFp.get(111)).toMatchObject({ conflict: true });
        expect(a.sync.state().conflicts).toMatchObject([{ taskId, kind: 'conflict' }]);
        await assertExactlyOnce(h, a, await userIdOf(h, 'pullfirst-a'), [taskId]);
        await assertExactlyOnce(h, b, await userIdOf(h, 'pullfirst-b'), [taskId]);
      },
    );

    it(
      "lease race: A's process frozen (SIGSTOP) past expiry, B takes and submits, SIGCONT — A's late submit is a visible conflict",
      { timeout: 90_000 },
      async () => {
        const p = await createTextProject(h, 1, { id: 'freeze', leaseHours: 1 });
        const aDir = tmpDir('freeze-a');
        // A pass-through proxy shows when A's requests have all been answered.
        const link = await startFaultProxy({ targetPort: h.port, seed: SEED });
        cleanup.push(() => link.close());
        const a = await startLineClient(aDir, link.url, await addAnnotator(h, p, 'freeze-a'), SEED);
        cleanup.push(async () => {
          a.kill('SIGKILL');
          await a.exited;
        });
        const b = await client(h.url, await addAnnotator(h, p, 'freeze-b'), 2);
        expect(await a.send('getMore 1')).toMatchObject({ leased: 1 });
        expect(await b.handlers['tasks.getMore']({ count: 1 })).toMatchObject({ leased: 0 });
        const taskId = (await a.send('claim')) as string;
        await a.send(`draft ${taskId} 110`);
        await a.send('settle');
        // Frozen mid-task, with its sync loop live: no renewals, no pulls, timers stalled.
        a.kill('SIGSTOP');
        await expect.poll(() => a.runState(), { timeout: 5_000 }).toBe('T');
        // A request A sent just before the freeze is answered on the old clock: the hub hears
        // nothing more from A until it wakes, so what the lease outlives is the freeze alone.
        await settleLink(link);
        clock.advance(2 * HOUR);
        expect(await b.handlers['tasks.getMore']({ count: 1 })).toMatchObject({ leased: 1 });
        expect(await submitNext(b, 222)).toBe(taskId);
        await syncUntilQuiet(b);
        expect(a.runState()).toBe('T');
        // The annotator's click is waiting when the process wakes, and so is the loop's overdue
        // timer, which Node runs before it reads stdin: the cycle's pull (ending the lease here)
        // and the click race, and either may land first. Both orders must end the same way
        // ("pull first" above forces the harder one).
        a.write(`submit ${taskId} 111`);
        a.kill('SIGCONT');
        expect(await a.answer()).toMatchObject({ submittedAt: expect.any(Number) });
        const settled = (await a.send('settle')) as { conflicts: unknown[]; unsynced: number };
        expect(settled).toMatchObject({
          status: 'online',
          unsynced: 0,
          conflicts: [{ taskId, kind: 'conflict' }],
        });
        const subs = await h.storage.submissions(taskId);
        const byFp = new Map(subs.map((s) => [fingerprintOf(s.annotation), s]));
        expect(subs).toHaveLength(2);
        expect(byFp.get(222)).toMatchObject({ conflict: false });
        expect(byFp.get(111)).toMatchObject({ conflict: true });
        expect(b.sync.state().conflicts).toEqual([]);
        await assertExactlyOnce(h, b, await userIdOf(h, 'freeze-b'), [taskId]);
        // A's workspace, reopened after its process ends, agrees with the hub and still shows the conflict.
        await a.send('quit');
        await a.exited;
        const reopened = await openClient(h.url, 'unused', { dataDir: aDir, signIn: false });
        cleanup.push(() => reopened.close());
        await assertExactlyOnce(h, reopened, await userIdOf(h, 'freeze-a'), [taskId]);
        expect(reopened.sync.state().conflicts).toMatchObject([{ taskId, kind: 'conflict' }]);
        expect(reopened.queue.outbox.size()).toBe(0);
      },
    );

    it(
      'randomized: several clients, skewed clocks, random offline periods and faults',
      { timeout: 120_000 },
      async () => {
        const seed = SEED + 7;
        const rnd = seededRandom(seed);
        const n = slow ? 24 : 60;
        const p = await createTextProject(h, n, { id: 'random' });
        const skews = [0, 24 * HOUR, -24 * HOUR];
        const clients: { c: Client; proxy: FaultProxy; name: string; offline: number }[] = [];
        for (let i = 0; i < 3; i++) {
          const name = `random-${i}`;
          const proxy = await proxyFor(seed + i);
          const skew = skews[i]!;
          const c = await client(proxy.url, await addAnnotator(h, p, name), seed + i, {
            clock: () => Date.now() + skew,
          });
          await c.handlers['tasks.getMore']({ count: n / 3 });
          clients.push({ c, proxy, name, offline: 0 });
        }
        await withSeed(seed, null, async () => {
          let fp = 1;
          for (let step = 0; step < (slow ? 40 : 120); step++) {
            const k = clients[Math.floor(rnd() * clients.length)]!;
            const r = rnd();
            if (k.offline > 0) {
              k.offline--;
              if (k.offline === 0)
                k.proxy.setRates({ pass: 4, drop: 1, cut: 1, dup: 1, truncate: 1, e503: 1 });
            } else if (r < 0.1) {
              k.offline = 1 + Math.floor(rnd() * 6);
              k.proxy.setRates({ pass: 0, drop: 1 });
            }
            if (r < 0.55) await submitNext(k.c, fp++);
            else if (r < 0.62) {
              const v = await k.c.handlers['tasks.claimNext']({});
              if (v) await k.c.handlers['tasks.skip']({ taskId: v.task.id });
            } else await k.c.sync.syncNow();
          }
          const userIds: string[] = [];
          for (const k of clients) {
            k.proxy.setRates({});
            await syncUntilQuiet(k.c);
            userIds.push(await userIdOf(h, k.name));
          }
          const ids = Array.from({ length: n }, (_, i) => `${p}:t${i}`);
          let total = 0;
          for (const [i, k] of clients.entries())
            total += (await assertExactlyOnce(h, k.c, userIds[i]!, ids)).checked;
          expect(total).toBeGreaterThan(0);
          // Overlap 1 and no expiry: no task has two accepted submissions, and no conflicts arose.
          for (const id of ids)
            expect((await h.storage.submissions(id)).filter((s) => !s.conflict).length).toBeLessThanOrEqual(
              1,
            );
          for (const k of clients) expect(k.c.sync.state().conflicts).toEqual([]);
        });
      },
    );
  });
}
