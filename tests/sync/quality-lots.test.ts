import { describe, expect, it } from 'vitest';
import { addUser } from '../../src/hub';
import {
  createImageProject,
  openClient,
  startHub,
  closeAfterEach,
  syncUntilQuiet,
  type HubKind,
} from './harness';

/**
 * A lead makes a lot from the workbench (`quality.createLot` → the core → the hub's lots route):
 * the hub's refusals arrive in its words (no submitted work, a lot under audit), an annotator is
 * refused, and a signed-out workbench answers OFFLINE with nothing made.
 */

const closing = closeAfterEach();

const kinds: HubKind[] = process.env.OUTRIGGER_PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

describe.each(kinds)('making a lot from the workbench on %s', (kind) => {
  it('makes the lot on the hub, passes on its refusals, refuses an annotator, says offline', async () => {
    const hub = closing.hub(await startHub(kind));
    const projectId = await createImageProject(hub);
    const ann = await addUser(hub.storage, { name: 'ann', role: 'annotator', project: projectId });
    const lead = await addUser(hub.storage, { name: 'lena', role: 'lead', project: projectId });
    const a = await openClient(hub.url, ann.token);
    const l = await openClient(hub.url, lead.token);
    closing.clients(a, l);
    const input = { projectId, batch: 'default', level: 'II', aql: 2.5 } as const;

    // Nothing submitted yet: the hub's own words, as a request a person can act on.
    const empty = await l.dispatch('quality.createLot', input);
    expect(empty).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!empty.ok) expect(empty.error.message).toBe('batch "default" has no submitted work to audit');

    expect((await a.handlers['tasks.getMore']({ projectId, count: 3 })).leased).toBe(3);
    for (let i = 0; i < 3; i++) {
      const view = await a.handlers['tasks.claimNext']({});
      if (!view) throw new Error('no task');
      await a.handlers['tasks.submit']({ taskId: view.task.id, annotation: { results: [], activeMs: 10 } });
    }
    await syncUntilQuiet(a);

    // An annotator may not make lots.
    expect(await a.dispatch('quality.createLot', input)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    // The lead's lot: 3 items, letter A, AQL 2.5 arrows down to C (n 5 ≥ 3): inspected whole.
    const made = await l.dispatch('quality.createLot', input);
    expect(made).toMatchObject({
      ok: true,
      value: { lot: { batch: 'default', lotSize: 3, codeLetter: 'A', sampleSize: 3, inspectAll: true } },
    });
    const report = await l.handlers['quality.report']({ projectId });
    expect(report.report.batches).toEqual([{ batch: 'default', items: 3, openLotId: `${projectId}:lot-1` }]);
    // One lot under audit per batch.
    const again = await l.dispatch('quality.createLot', input);
    expect(again).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!again.ok) expect(again.error.message).toContain('already has lot');

    // Signed out: OFFLINE, nothing made.
    await l.handlers['sync.signOut']({});
    expect(await l.dispatch('quality.createLot', input)).toMatchObject({
      ok: false,
      error: { code: 'OFFLINE' },
    });
    expect((await hub.storage.qualityReport(projectId, Date.now())).lots).toHaveLength(1);
  });
});
