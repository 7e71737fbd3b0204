import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/shared/metrics';
import {
  addAnnotator,
  createTextProject,
  offsetClock,
  openClient,
  startHub,
  syncUntilQuiet,
  userIdOf,
  type Client,
  type HubHandle,
} from './harness';
import { addUser } from '../../src/hub/index';

/** The activity chain from the workbench to the hub (issue 13.3), over HTTP. */
describe('activity chain sync', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  const world = async (): Promise<{
    h: HubHandle;
    c: Client;
    p: string;
    clock: ReturnType<typeof offsetClock>;
  }> => {
    const clock = offsetClock();
    const h = await startHub('sqlite', { clock: clock.now });
    cleanup.push(() => h.close());
    const p = await createTextProject(h, 5);
    const c = await openClient(h.url, await addAnnotator(h, p, 'ann'), { clock: clock.now });
    cleanup.push(() => c.close());
    await c.handlers['tasks.getMore']({ count: 3 });
    return { h, c, p, clock };
  };

  /** Works on the next task for `ms` of input (a signal a second) and submits it. */
  const work = async (c: Client, clock: ReturnType<typeof offsetClock>, ms: number): Promise<string> => {
    const view = (await c.handlers['tasks.claimNext']({}))!;
    await c.handlers['activity.report']({
      window: 'w',
      signals: [
        { kind: 'focus', ago: 0 },
        { kind: 'task', taskId: view.task.id, ago: 0 },
      ],
    });
    for (let t = 0; t < ms; t += 1_000) {
      clock.advance(1_000);
      await c.handlers['activity.report']({ window: 'w', signals: [{ kind: 'input', ago: 0 }] });
    }
    await c.handlers['tasks.submit']({ taskId: view.task.id, annotation: { results: [], activeMs: 0 } });
    return view.task.id;
  };

  it('hands the chain over with the outbox, and the team figures show the recorded time', async () => {
    const { h, c, p, clock } = await world();
    const started = Date.now();
    const taskId = await work(c, clock, 20_000);
    const realMs = Date.now() - started;
    await syncUntilQuiet(c);
    const local = c.queue.activityLog.head();
    // The hub holds exactly the local head: sending again changes nothing and breaks nothing.
    const again = await h.storage.recordActivity(
      {
        userId: await userIdOf(h, 'ann'),
        chainId: c.queue.activityLog.chainId(),
        links: c.queue.activityLog.linksAfter(0, 500),
      },
      clock.now(),
    );
    expect(again).toEqual({ head: local, broken: null, flagged: 0 });
    const sub = (await h.storage.submissions(taskId))[0]!.annotation as { activeMs: number; wallMs: number };
    // 20 s of planned input, plus the real milliseconds the test itself took (a busy machine
    // stretches those, so the bound is what was measured, not a guess).
    expect(sub.activeMs).toBeGreaterThanOrEqual(20_000);
    expect(sub.activeMs).toBeLessThanOrEqual(20_000 + realMs);
    expect(sub.wallMs).toBeGreaterThanOrEqual(sub.activeMs);
    const m = await h.storage.teamMetrics(p, { from: 0, to: clock.now() + 1, tzOffset: 0 });
    expect(m.members).toMatchObject([
      { userId: await userIdOf(h, 'ann'), submitted: 1, activeMs: sub.activeMs },
    ]);
    expect(await h.storage.activityFlags(p)).toEqual([]);
  });

  it('an activity event edited on the device before sync is refused and flagged for the lead', async () => {
    const { h, c, p, clock } = await world();
    await work(c, clock, 5_000);
    await syncUntilQuiet(c);
    await work(c, clock, 5_000);
    // The annotator edits their own unsynced submission event: 5 s becomes 50 min.
    const row = c.db
      .prepare(
        "SELECT seq, event FROM activity_chain WHERE kind = 'task.submitted' ORDER BY seq DESC LIMIT 1",
      )
      .get() as { seq: number; event: string };
    const edited = { ...(JSON.parse(row.event) as object), activeMs: 3_000_000 };
    c.db.prepare('UPDATE activity_chain SET event = ? WHERE seq = ?').run(canonicalJson(edited), row.seq);
    await syncUntilQuiet(c);
    const flags = await h.storage.activityFlags(p);
    expect(flags).toMatchObject([
      { kind: 'chain', userName: 'ann', detail: expect.stringContaining('changed') },
    ]);
    expect(c.queue.activityLog.meta('hub_broken')).toContain('hash');

    // The lead's workbench lists the flag through the core (`metrics.flags` → the hub's route).
    const lead = await openClient(
      h.url,
      (await addUser(h.storage, { name: 'lee', role: 'lead', project: p })).token,
      {
        clock: clock.now,
      },
    );
    cleanup.push(() => lead.close());
    const asked = Math.trunc(clock.now());
    const listed = await lead.handlers['metrics.flags']({ projectId: p });
    // When the list was read: within the call (a millisecond may pass between the two reads).
    expect(listed.fetchedAt).toBeGreaterThanOrEqual(asked);
    expect(listed.fetchedAt).toBeLessThanOrEqual(Math.trunc(clock.now()));
    expect(listed.flags).toEqual(flags);
    expect(listed.flags).toMatchObject([{ kind: 'chain', userName: 'ann', seq: row.seq }]);
    // The annotator may not read the project's flags; signed out, the words say offline.
    await expect(c.handlers['metrics.flags']({ projectId: p })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await lead.handlers['sync.signOut']({});
    await expect(lead.handlers['metrics.flags']({ projectId: p })).rejects.toMatchObject({ code: 'OFFLINE' });
  });
});
