import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  eventNames,
  events as contractEvents,
  methodNames,
  methods,
  type EventName,
  type MethodName,
} from '../../shared/contract';

const isEventName = (e: string): boolean => (eventNames as string[]).includes(e);
import { RESOURCES_DIR, manualClock, tempDir } from '../../../tests/db/helpers';
import { DatabaseOpenError } from './db/open';
import { openWorkspaces as openWorkbench, type Workspaces as Workbench } from './workspaces';

describe('openWorkbench', () => {
  let dir: string;
  let cleanup: () => void;
  let wb: Workbench;
  let events: { event: string; payload: unknown }[];
  const clock = manualClock();

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    wb = await openWorkbench({ dataDir: dir, resourcesDir: RESOURCES_DIR, mode: 'test', clock });
    events = [];
    wb.events.subscribe((event, payload) => events.push({ event, payload }));
  });
  afterEach(async () => {
    await wb.close();
    cleanup();
  });

  /** Calls through the dispatcher and checks the answer against the contract's output schema. */
  const call = async <M extends MethodName>(method: M, input: unknown) => {
    const r = await wb.dispatch(method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    const parsed = methods[method].output.safeParse(r.value);
    expect(parsed.success, `${method} output: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    return r.value as never;
  };

  it('has a handler for every contract method', () => {
    expect(Object.keys(wb.handlers).sort()).toEqual([...methodNames].sort());
  });

  it('answers every method with output that matches the contract, emitting events on changes', async () => {
    const info: { mode: string; dataDir: string; contractVersion: string } = await call('app.info', {});
    expect(info).toMatchObject({ mode: 'test', dataDir: path.resolve(dir) });
    expect(((await call('projects.list', {})) as unknown[]).length).toBe(3);
    const list: { total: number } = await call('tasks.list', { status: ['queued'] });
    expect(list.total).toBeGreaterThan(10);
    const view: { task: { id: string } } = await call('tasks.claimNext', {});
    const id = view.task.id;
    expect(events.map((e) => e.event)).toEqual(['queue.changed']);
    await call('tasks.open', { taskId: id });
    await call('activity.report', {
      window: 'w',
      signals: [{ kind: 'focus' }, { kind: 'task', taskId: id }],
    });
    clock.advance(900);
    await call('activity.report', { window: 'w', signals: [{ kind: 'input' }] });
    const ann = {
      results: [{ type: 'image-class', id: 'c', group: 'scene', labels: ['space'] }],
      activeMs: 900,
    };
    await call('tasks.saveDraft', { taskId: id, annotation: ann });
    expect(events.at(-2)).toEqual({ event: 'task.saved', payload: { taskId: id, savedAt: clock() } });
    await call('tasks.submit', { taskId: id, annotation: ann });
    const changed = events.at(-1) as {
      event: string;
      payload: { counts: { submittedToday: number; activeMsToday: number } };
    };
    expect(changed.event).toBe('queue.changed');
    expect(changed.payload.counts).toMatchObject({ submittedToday: 1, activeMsToday: 900 });
    const next: { task: { id: string } } = await call('tasks.claimNext', {});
    await call('tasks.skip', { taskId: next.task.id, reason: 'blurry' });
    const history: { id: string }[] = await call('tasks.history', {});
    expect(history.map((h) => h.id)).toEqual([next.task.id, id]);
    const reopened: { status: string; draft: unknown } = await call('tasks.reopen', { taskId: id });
    expect(reopened.status).toBe('in_progress');
    const counts: { submitted: number; skipped: number; inProgress: number } = await call('queue.counts', {});
    expect(counts).toMatchObject({ submitted: 0, skipped: 1, inProgress: 1 });
    // Every event payload matches the contract too.
    for (const e of events) {
      expect(isEventName(e.event), e.event).toBe(true);
      expect(contractEvents[e.event as EventName].safeParse(e.payload).success, e.event).toBe(true);
    }
  });

  it('turns bad input and service errors into error envelopes', async () => {
    const bad = await wb.dispatch('tasks.submit', {
      taskId: 'x',
      annotation: { results: [{ type: 'bbox', id: 'b', label: 'p', x: 0, y: 0, w: -1, h: 1 }] },
    });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', path: 'annotation.results.0.w' },
    });
    expect(await wb.dispatch('tasks.open', { taskId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await wb.dispatch('tasks.nope', {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_METHOD' },
    });
    const first = (await wb.dispatch('tasks.claimNext', {})) as { ok: true; value: { task: { id: string } } };
    await wb.dispatch('tasks.submit', { taskId: first.value.task.id, annotation: { results: [] } });
    expect(
      await wb.dispatch('tasks.saveDraft', { taskId: first.value.task.id, annotation: { results: [] } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
  });

  it('serves asset paths by sha256 only for stored assets', async () => {
    const r = (await wb.dispatch('tasks.open', { taskId: 'image-coins' })) as {
      ok: true;
      value: { task: { data: { image: { sha256: string } } } };
    };
    const sha = r.value.task.data.image.sha256;
    expect(wb.assets.path(sha)).toBe(path.join(path.resolve(dir), 'workspaces', 'local', 'assets', sha));
    expect(wb.assets.path('0'.repeat(64))).toBeNull();
    expect(wb.assets.path('../workspace.db')).toBeNull();
  });

  it('keeps the work across close and reopen', async () => {
    const v = (await wb.dispatch('tasks.claimNext', {})) as { ok: true; value: { task: { id: string } } };
    await wb.dispatch('tasks.submit', { taskId: v.value.task.id, annotation: { results: [], activeMs: 3 } });
    await wb.close();
    await wb.close(); // idempotent
    wb = await openWorkbench({ dataDir: dir, resourcesDir: RESOURCES_DIR, mode: 'test', clock });
    const counts = (await wb.dispatch('queue.counts', {})) as { ok: true; value: { submitted: number } };
    expect(counts.value.submitted).toBe(1);
  });

  it('refuses a damaged workspace file with DatabaseOpenError, leaving it as it was', async () => {
    const { dir: other, cleanup: done } = tempDir();
    try {
      const file = path.join(other, 'workspace.db');
      fs.writeFileSync(file, 'garbage'.repeat(100));
      await expect(
        openWorkbench({ dataDir: other, resourcesDir: RESOURCES_DIR, mode: 'test' }),
      ).rejects.toBeInstanceOf(DatabaseOpenError);
      expect(fs.readFileSync(file, 'utf8')).toBe('garbage'.repeat(100));
    } finally {
      done();
    }
  });
});
