import { afterEach, describe, expect, it } from 'vitest';
import { describeDelivery } from '../../src/shared/model';
import {
  addAnnotator,
  createTextProject,
  openClient,
  startHub,
  submitNext,
  syncUntilQuiet,
  type Client,
  type HubHandle,
} from './harness';

/** Issue 16.2: the state shown is the one the hub's answer recorded, across restarts. */
describe('delivery states from the hub answers (SQLite hub)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });
  const setup = async (): Promise<{ h: HubHandle; c: Client; token: string }> => {
    const h = await startHub('sqlite');
    cleanup.push(() => h.close());
    const p = await createTextProject(h, 6);
    const token = await addAnnotator(h, p, 'ann');
    const c = await openClient(h.url, token);
    cleanup.push(() => c.close());
    expect(await c.handlers['tasks.getMore']({ count: 4 })).toMatchObject({ leased: 4 });
    return { h, c, token };
  };
  const stateOf = async (c: Client, taskId: string) => {
    const view = await c.handlers['tasks.open']({ taskId });
    const row = (await c.handlers['tasks.list']({ limit: 100, offset: 0 })).items.find(
      (t) => t.id === taskId,
    )!;
    // The list and the view carry the same record, worded by the one shared function.
    expect(row.delivery).toEqual(view.delivery);
    return describeDelivery(view.delivery, view.status).state;
  };

  it('a refused submission is stored as refused, survives a restart, and blocks "Synced"', async () => {
    const { h, c, token } = await setup();
    const delivered = (await submitNext(c, 1))!;
    const view = (await c.handlers['tasks.claimNext']({}))!;
    // The hub will not know this lease: its answer is NO_LEASE, a refusal.
    c.db.prepare('UPDATE tasks SET hub_lease_epoch = 999 WHERE id = ?').run(view.task.id);
    await c.handlers['tasks.submit']({ taskId: view.task.id, annotation: { results: [], activeMs: 2 } });
    expect(await stateOf(c, view.task.id)).toBe('waiting');
    await syncUntilQuiet(c);
    expect(await stateOf(c, delivered)).toBe('delivered');
    expect(await stateOf(c, view.task.id)).toBe('refused');
    const s = c.sync.state();
    expect(s).toMatchObject({ unsynced: 0, refused: 1 });
    expect(s.conflicts).toEqual([
      expect.objectContaining({
        taskId: view.task.id,
        kind: 'rejected',
        mutationKind: 'submit',
        reason: 'NO_LEASE',
      }),
    ]);

    // Reopen the workspace: the state is read from the stored answer, not from memory.
    const dataDir = c.dataDir;
    await c.close();
    cleanup.pop();
    const c2 = await openClient(h.url, token, { dataDir });
    cleanup.push(() => c2.close());
    expect(await stateOf(c2, view.task.id)).toBe('refused');
    expect(c2.sync.state().refused).toBe(1);

    // Export keeps the work; resubmitting needs a live lease the hub knows: refused in words.
    const file = await c2.handlers['tasks.exportSubmission']({ taskId: view.task.id });
    expect(JSON.parse(file.json)).toMatchObject({ taskId: view.task.id, refused: { reason: 'NO_LEASE' } });
    // Discarding closes the refusal: shown as discarded, and "Synced" is true again.
    await c2.handlers['tasks.discardRefused']({ taskId: view.task.id });
    expect(await stateOf(c2, view.task.id)).toBe('discarded');
    expect(c2.sync.state()).toMatchObject({ refused: 0, conflicts: [] });
  });

  it('resubmits refused work under the current lease; delivered afterwards', async () => {
    const { c } = await setup();
    const view = (await c.handlers['tasks.claimNext']({}))!;
    const epoch = c.db.prepare('SELECT hub_lease_epoch AS e FROM tasks WHERE id = ?').get(view.task.id) as {
      e: number;
    };
    c.db.prepare('UPDATE tasks SET hub_lease_epoch = 999 WHERE id = ?').run(view.task.id);
    await c.handlers['tasks.submit']({ taskId: view.task.id, annotation: { results: [], activeMs: 3 } });
    await syncUntilQuiet(c);
    expect(await stateOf(c, view.task.id)).toBe('refused');
    // The hub still leases it under the real epoch (as after a new lease).
    c.db
      .prepare('UPDATE tasks SET hub_lease_epoch = ?, lease_expires_at = ? WHERE id = ?')
      .run(epoch.e, Date.now() + 3_600_000, view.task.id);
    await c.handlers['tasks.resubmitRefused']({ taskId: view.task.id });
    expect(await stateOf(c, view.task.id)).toBe('waiting');
    await syncUntilQuiet(c);
    expect(await stateOf(c, view.task.id)).toBe('delivered');
    expect(c.sync.state().refused).toBe(0);
  });

  it('a skip refused after reopening a delivered submission is shown refused, not "skipped"', async () => {
    const { c } = await setup();
    const id = (await submitNext(c, 4))!;
    await syncUntilQuiet(c);
    expect(await stateOf(c, id)).toBe('delivered');
    await c.handlers['tasks.reopen']({ taskId: id });
    await c.handlers['tasks.skip']({ taskId: id });
    await syncUntilQuiet(c);
    const view = await c.handlers['tasks.open']({ taskId: id });
    const words = describeDelivery(view.delivery, view.status);
    expect(words).toMatchObject({ state: 'refused', label: 'Skip refused' });
    expect(words.detail).toContain('still counts');
    expect(c.sync.state().refused).toBe(1);
  });
});
