// Two real hubs whose tasks have the same ids, one workbench signed in to both: each hub's tasks,
// drafts, submissions and outbox live in its own workspace, and each syncs on its own.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../src/shared/contract';
import { openWorkspaces, type Workspaces } from '../../src/main/core/workspaces';
import { hubWorkspaceId } from '../../src/main/core/workspaces/registry';
import { addAnnotator, createTextProject, REPO_ROOT, startHub, tmpDir, type HubHandle } from './harness';

const annotation = { results: [], activeMs: 0, dismissedSuggestions: ['hub-a'] };

describe('workspaces: several hubs on one workbench', () => {
  const hubs: HubHandle[] = [];
  let ws: Workspaces | null = null;
  let dataDir = '';
  afterEach(async () => {
    await ws?.close();
    ws = null;
    for (const h of hubs.splice(0)) await h.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const call = async <M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => {
    const r = await ws!.dispatch(method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value as MethodOutput<M>;
  };

  /** A hub with one text project of tasks t0…t4 (the same ids on every hub) and an annotator. */
  const hubWithTasks = async (): Promise<{ hub: HubHandle; token: string }> => {
    const hub = await startHub('sqlite');
    hubs.push(hub);
    const project = await createTextProject(hub, 5);
    return { hub, token: await addAnnotator(hub, project, 'ann') };
  };

  const open = async () =>
    (ws = await openWorkspaces({
      dataDir,
      resourcesDir: path.join(REPO_ROOT, 'resources'),
      mode: 'test',
      seedDemo: false,
      sync: { intervalMs: 60_000 },
    }));

  it('keeps same-id tasks apart, offers a first lease on sign-in, and delivers each submission to its own hub', async () => {
    dataDir = tmpDir('ws');
    const a = await hubWithTasks();
    const b = await hubWithTasks();
    await open();

    // Signing in opens the hub's own workspace, switches to it, and leases a first batch.
    await call('sync.signIn', { hubUrl: a.hub.url, token: a.token });
    const idA = hubWorkspaceId(a.hub.url);
    expect((await call('workspaces.list', {})).activeId).toBe(idA);
    expect((await call('tasks.list', {})).total).toBe(5);
    const first = await call('tasks.claimNext', {});
    expect(first?.task.id).toBe('p:t0');
    await call('tasks.submit', { taskId: 'p:t0', annotation });
    await call('tasks.saveDraft', { taskId: 'p:t1', annotation });

    await call('sync.signIn', { hubUrl: b.hub.url, token: b.token });
    const idB = hubWorkspaceId(b.hub.url);
    let list = await call('workspaces.list', {});
    expect(list.activeId).toBe(idB);
    expect(list.workspaces.map((w) => w.id)).toEqual(['local', idA, idB]);
    // Hub B's t0 is its own: queued, not "Submitted" because hub A's t0 was.
    const rowsB = (await call('tasks.list', {})).items;
    expect(rowsB.find((t) => t.id === 'p:t0')).toMatchObject({ status: 'queued', hasDraft: false });
    expect(rowsB.find((t) => t.id === 'p:t1')).toMatchObject({ hasDraft: false });
    expect((await call('queue.counts', {})).submitted).toBe(0);
    await call('tasks.claimNext', {});
    await call('tasks.submit', {
      taskId: 'p:t0',
      annotation: { results: [], activeMs: 0, dismissedSuggestions: ['hub-b'] },
    });
    await call('sync.now', {});

    // Hub A's workspace synced in the background too (its submit is delivered).
    await ws!.manager.workspace(idA)!.sync.syncNow();
    list = await call('workspaces.list', {});
    const [, wsA, wsB] = list.workspaces;
    expect(wsA).toMatchObject({ counts: { submitted: 1 }, outstanding: { unsynced: 0, drafts: 1 } });
    expect(wsB).toMatchObject({ counts: { submitted: 1 }, outstanding: { unsynced: 0, drafts: 0 } });
    // Each hub holds exactly its own submission of t0 (told apart by a mark the core keeps
    // verbatim; active time is the core's own now, not what the caller sends).
    for (const [h, mark] of [
      [a.hub, 'hub-a'],
      [b.hub, 'hub-b'],
    ] as const) {
      const subs = await h.storage.submissions('p:t0');
      expect(
        subs.map((x) => (x.annotation as { dismissedSuggestions?: string[] }).dismissedSuggestions),
      ).toEqual([[mark]]);
      expect(await h.storage.submissions('p:t1')).toEqual([]);
    }

    // Back to A: its draft and submission are where they were.
    await call('workspaces.switch', { workspaceId: idA });
    const rowsA = (await call('tasks.list', {})).items;
    expect(rowsA.find((t) => t.id === 'p:t0')?.status).toBe('submitted');
    expect(rowsA.find((t) => t.id === 'p:t1')?.hasDraft).toBe(true);

    // The list survives a restart, with the same workspace in use.
    await ws!.close();
    await open();
    expect((await call('workspaces.list', {})).activeId).toBe(idA);
    expect((await call('tasks.list', {})).items.find((t) => t.id === 'p:t1')?.hasDraft).toBe(true);
  }, 60_000);

  it('refuses to sign out while work is on no hub, unless the exact count to lose is confirmed', async () => {
    dataDir = tmpDir('ws');
    const a = await hubWithTasks();
    await open();
    await call('sync.signIn', { hubUrl: a.hub.url, token: a.token });
    const id = hubWorkspaceId(a.hub.url);
    await call('tasks.saveDraft', { taskId: 'p:t1', annotation });
    // The hub goes away: a submit waits in the outbox.
    await a.hub.close();
    hubs.splice(0);
    await call('tasks.submit', { taskId: 'p:t0', annotation });
    const out = (await call('workspaces.list', {})).workspaces.find((w) => w.id === id)!.outstanding;
    expect(out).toEqual({ unsynced: 1, refused: 0, drafts: 1, total: 2 });

    const refused = await ws!.dispatch('workspaces.signOut', { workspaceId: id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(!refused.ok && refused.error.message).toMatch(/2 items/);
    // A count that is not the current one (the person saw another number) is refused too.
    expect(
      await ws!.dispatch('workspaces.signOut', { workspaceId: id, discard: { count: 1 } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(fs.existsSync(path.join(dataDir, 'workspaces', id, 'workspace.db'))).toBe(true);

    const done = await call('workspaces.signOut', { workspaceId: id, discard: { count: 2 } });
    expect(done.lost).toBe(2);
    expect(done.list.activeId).toBe('local');
    expect(done.list.workspaces.map((w) => w.id)).toEqual(['local']);
    expect(fs.existsSync(path.join(dataDir, 'workspaces', id))).toBe(false);
    expect(
      await ws!.dispatch('workspaces.signOut', { workspaceId: 'local', discard: { count: 0 } }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  }, 60_000);

  it('signing out with nothing outstanding gives the hub its leases back at once', async () => {
    dataDir = tmpDir('ws');
    const a = await hubWithTasks();
    await open();
    await call('sync.signIn', { hubUrl: a.hub.url, token: a.token });
    const id = hubWorkspaceId(a.hub.url);
    await call('tasks.submit', { taskId: 'p:t0', annotation });
    await call('sync.now', {});
    await addAnnotator(a.hub, 'p', 'bob');
    const bobId = (await a.hub.storage.findUserByName('bob'))!.id;
    // Before: everything is leased to ann, bob gets nothing.
    expect(
      await a.hub.storage.claim({ userId: bobId, deviceId: 'd', projectId: 'p', count: 10 }, Date.now()),
    ).toEqual([]);
    const done = await call('workspaces.signOut', { workspaceId: id });
    expect(done.lost).toBe(0);
    // After: the four open tasks are free for bob (the submitted one is done).
    const claimed = await a.hub.storage.claim(
      { userId: bobId, deviceId: 'd', projectId: 'p', count: 10 },
      Date.now(),
    );
    expect(claimed.map((t) => t.task.id).sort()).toEqual(['p:t1', 'p:t2', 'p:t3', 'p:t4']);
  }, 60_000);

  it('leaves no workspace behind when the hub refuses the sign-in', async () => {
    dataDir = tmpDir('ws');
    const a = await hubWithTasks();
    await open();
    const r = await ws!.dispatch('sync.signIn', { hubUrl: a.hub.url, token: 'wrong' });
    expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const list = await call('workspaces.list', {});
    expect(list.workspaces.map((w) => w.id)).toEqual(['local']);
    expect(fs.readdirSync(path.join(dataDir, 'workspaces'))).toEqual(['local']);
  }, 60_000);
});
