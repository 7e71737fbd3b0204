import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { annotation, manualClock, openQueue, RESOURCES_DIR, tempDir } from '../../../../tests/db/helpers';
import { checkpoint } from '../db/open';
import { SyncStore } from '../sync/store';
import { openWorkspaces, type Workspaces } from '.';
import { LEGACY_ITEMS, migrateLegacyDataFolder, MIGRATION_MARKER } from './migrate';
import { hubWorkspaceId, readRegistry, REGISTRY_FILE } from './registry';

// Nothing listens on port 9 of loopback: the resumed engine goes offline at once.
const HUB = 'http://127.0.0.1:9';

/**
 * A data folder as the workbench left it before workspaces: one `workspace.db` at the top (today's
 * schema, three tasks, one submitted and waiting in the outbox, one with a draft), `assets/`, the
 * hub image cache and the hub token; signed in to `hubUrl` when given.
 */
const legacyFolder = async (dir: string, hubUrl: string | null): Promise<void> => {
  const { db, queue } = openQueue(path.join(dir, 'workspace.db'), 3, manualClock());
  await queue.submit('t1', annotation(1000));
  await queue.saveDraft('t2', annotation(500));
  if (hubUrl) {
    const store = new SyncStore(db);
    store.setMeta('hubUrl', hubUrl);
    store.setMeta('cursor', '42');
  }
  checkpoint(db);
  db.close();
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'assets', 'a'.repeat(64)), 'image bytes');
  fs.mkdirSync(path.join(dir, 'hub-assets'));
  fs.writeFileSync(path.join(dir, 'hub-assets', 'b'.repeat(64)), 'cached bytes');
  if (hubUrl) fs.writeFileSync(path.join(dir, 'hub-token'), 'secret-token');
};

describe('moving a data folder from before workspaces', () => {
  let dir: string;
  let cleanup: () => void;
  let ws: Workspaces | null = null;
  const clock = manualClock();
  beforeEach(() => ({ dir, cleanup } = tempDir('outrigger-ws-migrate-')));
  afterEach(async () => {
    await ws?.close();
    ws = null;
    cleanup();
  });

  const open = async () =>
    (ws = await openWorkspaces({ dataDir: dir, resourcesDir: RESOURCES_DIR, mode: 'test', clock }));

  it('moves a hub sign-in into that hub’s workspace with every task, draft, outbox row and token', async () => {
    await legacyFolder(dir, HUB);
    await open();
    const id = hubWorkspaceId(HUB);
    const folder = path.join(dir, 'workspaces', id);
    for (const item of ['workspace.db', 'assets', 'hub-assets', 'hub-token'])
      expect(fs.existsSync(path.join(folder, item)), item).toBe(true);
    for (const item of LEGACY_ITEMS) expect(fs.existsSync(path.join(dir, item)), item).toBe(false);
    expect(fs.existsSync(path.join(dir, MIGRATION_MARKER))).toBe(false);

    const list = await ws!.manager.list();
    expect(list.activeId).toBe(id);
    expect(list.workspaces.map((w) => [w.id, w.kind])).toEqual([
      ['local', 'local'],
      [id, 'hub'],
    ]);
    const hub = list.workspaces[1]!;
    expect(hub).toMatchObject({
      hubUrl: HUB,
      name: '127.0.0.1:9',
      counts: { queued: 1, inProgress: 1, submitted: 1 },
      outstanding: { unsynced: 1, refused: 0, drafts: 1, total: 2 },
    });
    // The sign-in came along: the engine resumes it (offline here: nothing listens).
    expect(hub.sync.status).not.toBe('signed-out');
    expect(ws!.manager.active().sync.store.meta('cursor')).toBe('42');
    expect(fs.readFileSync(path.join(folder, 'assets', 'a'.repeat(64)), 'utf8')).toBe('image bytes');
    // The local workspace starts empty of these tasks: nothing of the hub's leaked into it.
    expect(list.workspaces[0]!.counts.submitted).toBe(0);
  });

  it('moves a folder never signed in into the local workspace', async () => {
    await legacyFolder(dir, null);
    await open();
    const list = await ws!.manager.list();
    expect(list.activeId).toBe('local');
    expect(list.workspaces).toHaveLength(1);
    // Its own three tasks; the demo is not seeded over them.
    expect(list.workspaces[0]!.counts).toMatchObject({ queued: 1, inProgress: 1, submitted: 1 });
  });

  it('runs once: a second start moves nothing and keeps the registry', async () => {
    await legacyFolder(dir, HUB);
    expect(migrateLegacyDataFolder(dir, { clock }).migrated?.id).toBe(hubWorkspaceId(HUB));
    const registry = fs.readFileSync(path.join(dir, REGISTRY_FILE), 'utf8');
    expect(migrateLegacyDataFolder(dir, { clock }).migrated).toBeNull();
    expect(fs.readFileSync(path.join(dir, REGISTRY_FILE), 'utf8')).toBe(registry);
  });

  it('finishes a move a crash cut short, into the same workspace, losing nothing', async () => {
    await legacyFolder(dir, HUB);
    // The plan was written and the database moved; the crash came before assets, token, registry.
    const id = hubWorkspaceId(HUB);
    const folder = path.join(dir, 'workspaces', id);
    migrateLegacyDataFolder(path.join(dir, 'nothing-here'), { clock }); // no-op on an empty folder
    fs.mkdirSync(folder, { recursive: true });
    const plan = {
      entry: {
        id,
        kind: 'hub',
        hubUrl: HUB,
        name: '127.0.0.1:9',
        folder: `workspaces/${id}`,
        demo: false,
        createdAt: 1,
      },
    };
    fs.writeFileSync(path.join(dir, MIGRATION_MARKER), JSON.stringify(plan));
    fs.renameSync(path.join(dir, 'workspace.db'), path.join(folder, 'workspace.db'));
    expect(readRegistry(dir)).toBeNull();

    await open();
    expect(fs.existsSync(path.join(dir, MIGRATION_MARKER))).toBe(false);
    expect(fs.readFileSync(path.join(folder, 'hub-token'), 'utf8')).toBe('secret-token');
    const hub = (await ws!.manager.list()).workspaces.find((w) => w.id === id);
    expect(hub?.outstanding).toMatchObject({ unsynced: 1, drafts: 1 });
  });

  it('refuses to overwrite: an item already in the workspace stays, and the start says where', async () => {
    await legacyFolder(dir, HUB);
    const folder = path.join(dir, 'workspaces', hubWorkspaceId(HUB));
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'hub-token'), 'other');
    expect(() => migrateLegacyDataFolder(dir, { clock })).toThrow(/exists already/);
    expect(fs.readFileSync(path.join(folder, 'hub-token'), 'utf8')).toBe('other');
    expect(fs.readFileSync(path.join(dir, 'hub-token'), 'utf8')).toBe('secret-token');
  });

  it('starts a new data folder with the local workspace only, seeded with the demo', async () => {
    await open();
    const list = await ws!.manager.list();
    expect(list.workspaces.map((w) => w.id)).toEqual(['local']);
    expect(list.workspaces[0]!.counts.queued).toBeGreaterThan(0);
    expect(readRegistry(dir)?.activeId).toBe('local');
  });

  it('refuses a damaged registry, naming the field, instead of guessing', async () => {
    fs.writeFileSync(
      path.join(dir, REGISTRY_FILE),
      JSON.stringify({ version: 1, activeId: 'x', workspaces: [] }),
    );
    await expect(open()).rejects.toThrow(/workspaces/);
  });
});
