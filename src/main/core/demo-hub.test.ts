// Runs the real hub CLI (a child process, as `npm start` does) on a temp folder.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoHub, signInToHub, type DemoHub } from './demo-hub';
import { openWorkspaces, type Workspaces } from './workspaces';

const ROOT = resolve(__dirname, '../../..');
const RESOURCES = join(ROOT, 'resources');

const value = async <T>(
  p: Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>,
): Promise<T> => {
  const r = await p;
  if (!r.ok) throw new Error(r.error?.message);
  return r.value as T;
};

describe('the embedded demo hub', () => {
  let dir: string;
  let hub: DemoHub | null = null;
  let wb: Workspaces | null = null;

  afterEach(async () => {
    await wb?.close();
    await hub?.close();
    wb = null;
    hub = null;
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds, serves, signs the workbench in; tasks arrive, a submit reaches the hub; reused on restart', async () => {
    dir = mkdtempSync(join(tmpdir(), 'outrigger-demo-hub-'));
    hub = await startDemoHub({ dataDir: dir, resourcesDir: RESOURCES, rootDir: ROOT, timeoutMs: 60_000 });
    expect(hub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(hub.annotatorToken).toBeTruthy();
    expect(hub.projectIds).toHaveLength(3);

    wb = await openWorkspaces({ dataDir: dir, resourcesDir: RESOURCES, mode: 'test', seedDemo: false });
    await signInToHub(wb.dispatch, hub);
    const state = await value<{ status: string; userName: string; hubUrl: string }>(
      wb.dispatch('sync.state', {}),
    );
    expect(state).toMatchObject({ userName: 'demo-annotator', hubUrl: hub.url });
    // Its own workspace, marked as the demo's (the port matches), and the one in use.
    const listed = await wb.manager.list();
    expect(listed.workspaces.find((w) => w.active)).toMatchObject({ demo: true, hubUrl: hub.url });

    // A first batch from each of the three demo projects.
    const projects = await value<{ id: string }[]>(wb.dispatch('projects.list', {}));
    expect(projects.map((p) => p.id).sort()).toEqual([...hub.projectIds].sort());
    const list = await value<{ total: number }>(wb.dispatch('tasks.list', {}));
    expect(list.total).toBeGreaterThan(3);
    const view = await value<{ task: { id: string } } | null>(wb.dispatch('tasks.claimNext', {}));
    expect(view).not.toBeNull();
    await value(wb.dispatch('tasks.submit', { taskId: view!.task.id, annotation: { results: [] } }));
    const after = await value<{ unsynced: number; lastError: string | null; conflicts: unknown[] }>(
      wb.dispatch('sync.now', {}),
    );
    expect(after).toMatchObject({ unsynced: 0, lastError: null, conflicts: [] });
    // The hub's own database (read, not imported: src/main does not depend on src/hub).
    const hubDb = new Database(join(dir, 'demo-hub', 'hub.sqlite'), { readonly: true });
    try {
      expect(hubDb.prepare('SELECT task_id FROM submissions').pluck().all()).toContain(view!.task.id);
    } finally {
      hubDb.close();
    }

    // A later start reuses the seeded hub on the same port; the token comes from the token store.
    const port = new URL(hub.url).port;
    await wb.close();
    await hub.close();
    expect(existsSync(join(dir, 'demo-hub', 'seeded'))).toBe(true);
    hub = await startDemoHub({ dataDir: dir, resourcesDir: RESOURCES, rootDir: ROOT, timeoutMs: 60_000 });
    expect(hub.annotatorToken).toBeNull();
    expect(new URL(hub.url).port).toBe(port);
    expect(readFileSync(join(dir, 'demo-hub', 'port'), 'utf8')).toBe(port);
    wb = await openWorkspaces({ dataDir: dir, resourcesDir: RESOURCES, mode: 'test', seedDemo: false });
    // Already signed in there (the workspace kept its token): nothing to do.
    await signInToHub(wb.dispatch, hub);
    expect(await value<{ status: string }>(wb.dispatch('sync.now', {}))).toMatchObject({ status: 'online' });

    // The hub dies: the workbench goes offline and keeps working; the submit waits in the outbox.
    let exitCode: number | null | undefined;
    hub.onExit((code) => (exitCode = code));
    const { hub: hubPid } = JSON.parse(readFileSync(join(dir, 'demo-hub', 'pid'), 'utf8')) as { hub: number };
    process.kill(hubPid, 'SIGKILL');
    await expect.poll(() => exitCode !== undefined).toBe(true);
    const next = await value<{ task: { id: string } } | null>(wb.dispatch('tasks.claimNext', {}));
    await value(wb.dispatch('tasks.submit', { taskId: next!.task.id, annotation: { results: [] } }));
    const offline = await value<{ status: string; unsynced: number }>(wb.dispatch('sync.now', {}));
    expect(offline.status).toMatch(/^(offline|error)$/);
    expect(offline.unsynced).toBe(1);
  }, 120_000);

  it('stops a hub left by a killed host, but not one whose host still runs', async () => {
    dir = mkdtempSync(join(tmpdir(), 'outrigger-demo-hub-'));
    const opts = { dataDir: dir, resourcesDir: RESOURCES, rootDir: ROOT, timeoutMs: 60_000 };
    const left = await startDemoHub(opts);
    const pidFile = join(dir, 'demo-hub', 'pid');
    const { hub: leftPid } = JSON.parse(readFileSync(pidFile, 'utf8')) as { hub: number };
    // Another live host owns it: refused, and its hub keeps running.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      writeFileSync(pidFile, JSON.stringify({ hub: leftPid, host: other.pid }));
      await expect(startDemoHub(opts)).rejects.toThrow(/in use by another Outrigger/);
      expect(() => process.kill(leftPid, 0)).not.toThrow();
    } finally {
      other.kill('SIGKILL');
      await new Promise((r) => other.once('exit', r));
    }
    // Its host is gone (killed outright): the orphan is stopped and a new hub serves the folder.
    hub = await startDemoHub(opts);
    await left.close(); // resolves: the orphan has exited
    expect(() => process.kill(leftPid, 0)).toThrow();
    expect(JSON.parse(readFileSync(pidFile, 'utf8'))).toMatchObject({ host: process.pid });
  }, 120_000);

  it('fails clearly when the demo cannot be seeded, leaving no half-seeded hub', async () => {
    dir = mkdtempSync(join(tmpdir(), 'outrigger-demo-hub-'));
    await expect(
      startDemoHub({
        dataDir: dir,
        resourcesDir: join(dir, 'no-resources'),
        rootDir: ROOT,
        timeoutMs: 60_000,
      }),
    ).rejects.toThrow(/seeding the demo hub failed/);
    expect(existsSync(join(dir, 'demo-hub', 'seeded'))).toBe(false);
  }, 60_000);
});
