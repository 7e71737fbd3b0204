// Loads the real main entry (index.ts) with a stand-in `electron` module and a fake workbench,
// then checks what the shell did with them.
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, methodNames } from '../../shared/contract';
import type { ShellDeps } from './shell';
import { createFakeElectron, type FakeElectron } from './test-support/fake-electron';
import { createFakeCore, type FakeCore } from '../../../tests/contract/fake-core';
import { samples } from '../../../tests/contract/samples';

const state = vi.hoisted(() => ({
  fake: null as unknown as FakeElectron,
  core: null as unknown as FakeCore,
  opened: [] as Record<string, unknown>[],
}));

// Mocked modules are cached across vi.resetModules(), so the stand-in forwards to the current fake.
vi.mock('electron', () => {
  const current = () => state.fake.electron;
  return {
    get app() {
      return current().app;
    },
    get BrowserWindow() {
      return current().BrowserWindow;
    },
    get dialog() {
      return current().dialog;
    },
    get ipcMain() {
      return current().ipcMain;
    },
    get Menu() {
      return current().Menu;
    },
    get net() {
      return current().net;
    },
    get powerMonitor() {
      return current().powerMonitor;
    },
    get protocol() {
      return current().protocol;
    },
    get safeStorage() {
      return current().safeStorage;
    },
    get session() {
      return current().session;
    },
    get shell() {
      return current().shell;
    },
  };
});
vi.mock('../core/workspaces', () => ({
  openWorkspaces: async (opts: Record<string, unknown>) => {
    state.opened.push(opts);
    return state.core;
  },
}));

const APP_PATH = '/opt/outrigger';

const boot = async (singleInstance = true) => {
  vi.resetModules();
  state.fake = createFakeElectron({
    userData: '/home/u/.config/Outrigger',
    appPath: APP_PATH,
    singleInstance,
  });
  state.core = createFakeCore();
  state.opened = [];
  await import('./index');
  if (singleInstance) await vi.waitFor(() => expect(state.fake.windows).toHaveLength(1));
  return state.fake;
};

const trusted = { senderFrame: { url: 'outrigger-app://app/index.html' } };
const invoke = (fake: FakeElectron, event: unknown, method: unknown, input: unknown) => {
  const handler = fake.ipcHandlers.get(IPC_INVOKE_CHANNEL);
  if (!handler) throw new Error('no invoke handler');
  return (handler as (e: unknown, m: unknown, i: unknown) => Promise<unknown>)(event, method, input);
};

describe('Electron shell (with a stand-in electron module)', () => {
  it('creates one window with the secure webPreferences and loads our renderer', async () => {
    const fake = await boot();
    const win = fake.windows[0];
    expect(win?.options['webPreferences']).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      preload: join(APP_PATH, 'out', 'preload', 'index.cjs'),
    });
    expect(win?.loadURL).toHaveBeenCalledWith('outrigger-app://app/index.html');
  });

  it('opens the workbench on userData in electron mode', async () => {
    await boot();
    expect(state.opened).toEqual([
      expect.objectContaining({
        dataDir: '/home/u/.config/Outrigger',
        resourcesDir: join(APP_PATH, 'resources'),
        mode: 'electron',
        nativeBinding: undefined,
      }),
    ]);
    const reveal = state.opened[0]?.['revealPath'] as (p: string) => Promise<void>;
    await reveal('/home/u/exports/a-coco');
    expect(state.fake.electron.shell.showItemInFolder).toHaveBeenCalledWith('/home/u/exports/a-coco');
  });

  it("tells the core's activity recorder of sleep, wake and the screen lock", async () => {
    const fake = await boot();
    const on = fake.electron.powerMonitor.on as unknown as { mock: { calls: [string, () => void][] } };
    for (const e of ['suspend', 'lock-screen', 'unlock-screen', 'resume'])
      on.mock.calls.filter(([name]) => name === e).forEach(([, fn]) => fn());
    expect(state.core.power).toEqual(['suspend', 'suspend', 'resume', 'resume']);
  });

  it('keeps the hub token with safeStorage, and passes on the basic_text warning', async () => {
    await boot();
    const storeFor = state.opened[0]?.['tokenStoreFor'] as
      ((folder: string) => { warning: string | null }) | undefined;
    const store = storeFor?.('/home/u/.config/Outrigger/workspaces/local');
    expect(store?.warning).toMatch(/No keyring/);
  });

  it('denies navigation, redirects, webviews and new windows', async () => {
    const contents = (await boot()).windows[0]?.webContents;
    if (!contents) throw new Error('no window');
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = { url: 'https://evil.example/', preventDefault: vi.fn() };
      contents.emit(name, event, 'https://evil.example/');
      expect(event.preventDefault, name).toHaveBeenCalled();
    }
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('denies every permission request and check', async () => {
    const fake = await boot();
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      const callback = vi.fn();
      (fake.permission.request as unknown as (...a: unknown[]) => void)({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect((fake.permission.check as unknown as () => boolean)()).toBe(false);
  });

  it('registers exactly one invoke channel, behind which every contract method dispatches', async () => {
    const fake = await boot();
    expect([...fake.ipcHandlers.keys()]).toEqual([IPC_INVOKE_CHANNEL]);
    expect(fake.electron.ipcMain.handle).toHaveBeenCalledTimes(1);
    for (const method of methodNames) {
      const answer = await invoke(fake, trusted, method, samples[method]?.({ taskId: 'task-1' }));
      expect(answer, method).toHaveProperty('ok');
    }
    expect(new Set(state.core.calls.map((c) => c.method))).toEqual(new Set(methodNames));
    expect(await invoke(fake, trusted, 'no.such', {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_METHOD' },
    });
  });

  it('refuses a message from a foreign frame before it reaches a service', async () => {
    const fake = await boot();
    for (const event of [
      { senderFrame: { url: 'https://evil.example/' } },
      { senderFrame: { url: 'file:///etc/passwd' } },
      { senderFrame: { url: 'outrigger-asset://app/index.html' } },
      { senderFrame: { url: 'outrigger-app://evil/index.html' } },
      { senderFrame: null },
    ]) {
      expect(await invoke(fake, event, 'queue.counts', {}), JSON.stringify(event)).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    // The shell's own network watch reports to the core at start; nothing from the frames got through.
    expect(state.core.calls.filter((c) => c.method !== 'sync.networkChanged')).toEqual([]);
  });

  it('forwards core events to the window on the one event channel', async () => {
    const fake = await boot();
    state.core.events.emit('task.saved', { taskId: 't', savedAt: 1 });
    expect(fake.windows[0]?.webContents.sent).toEqual([
      { channel: IPC_EVENT_CHANNEL, message: { event: 'task.saved', payload: { taskId: 't', savedAt: 1 } } },
    ]);
  });

  it('registers the privileged schemes and serves both', async () => {
    const fake = await boot();
    expect(fake.electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledTimes(1);
    expect([...fake.protocolHandlers.keys()].sort()).toEqual(['outrigger-app', 'outrigger-asset']);
  });

  it('sets a menu with keyboard accelerators', async () => {
    const fake = await boot();
    const template = fake.electron.Menu.buildFromTemplate.mock.calls[0]?.[0] as {
      submenu?: { accelerator?: string }[];
    }[];
    const accelerators = template
      .flatMap((m) => m.submenu ?? [])
      .map((i) => i.accelerator)
      .filter(Boolean);
    expect(accelerators).toEqual(
      expect.arrayContaining(['Ctrl+Q', 'CmdOrCtrl+Z', 'CmdOrCtrl+R', 'CmdOrCtrl+0']),
    );
    expect(fake.electron.Menu.setApplicationMenu).toHaveBeenCalledTimes(1);
  });

  it('closes the workbench before quitting', async () => {
    const fake = await boot();
    const close = vi.spyOn(state.core, 'close');
    const event = { preventDefault: vi.fn() };
    fake.appEvents.emit('before-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(fake.electron.app.quit).toHaveBeenCalled());
    expect(close).toHaveBeenCalledTimes(1);
    fake.appEvents.emit('before-quit', { preventDefault: vi.fn() }); // the second pass lets it quit
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('quits at once when another instance holds the lock', async () => {
    const fake = await boot(false);
    expect(fake.electron.app.quit).toHaveBeenCalled();
    await new Promise((r) => setImmediate(r));
    expect(fake.windows).toHaveLength(0);
    expect(state.opened).toEqual([]);
  });
});

describe('Electron shell in dev (Vite dev server)', () => {
  it('loads the dev server, trusts only its origin, and sets the dev CSP on its responses', async () => {
    const { startShell } = await import('./shell');
    const fake = createFakeElectron({ userData: '/tmp/ud', appPath: APP_PATH });
    const electron = { ...fake.electron, app: { ...fake.electron.app, isPackaged: false } };
    const core = createFakeCore();
    const { ready } = startShell({
      electron: electron as never,
      openWorkbench: async () => core,
      platform: 'linux',
      devRendererUrl: 'http://localhost:5173/',
      log: () => {},
    });
    await ready;
    expect(fake.windows[0]?.loadURL).toHaveBeenCalledWith('http://localhost:5173/');
    const onHeaders = fake.electron.session.defaultSession.webRequest.onHeadersReceived;
    const callback = vi.fn();
    (onHeaders.mock.calls[0]?.[0] as (d: unknown, cb: unknown) => void)({ responseHeaders: {} }, callback);
    expect(callback.mock.calls[0]?.[0].responseHeaders['Content-Security-Policy'][0]).toContain(
      "default-src 'none'",
    );
    const ok = await invoke(fake, { senderFrame: { url: 'http://localhost:5173/' } }, 'queue.counts', {});
    expect(ok).toMatchObject({ ok: true });
    const refused = await invoke(fake, trusted, 'queue.counts', {}); // the app scheme is not the renderer here
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('Electron shell with the embedded demo hub', () => {
  const syncState = (status: string, hubUrl: string | null) => ({
    status,
    hubUrl,
    userName: hubUrl ? 'demo-annotator' : null,
    unsynced: 0,
    lastSyncAt: null,
    lastError: null,
    problem: null,
    nextRetryAt: null,
    conflicts: [],
    refused: 0,
    tokenWarning: null,
  });

  const localOnly = {
    activeId: 'local',
    workspaces: [
      {
        id: 'local',
        kind: 'local',
        name: 'This computer',
        hubUrl: null,
        demo: false,
        userName: null,
        active: true,
        counts: {
          queued: 0,
          inProgress: 0,
          submitted: 0,
          skipped: 0,
          submittedToday: 0,
          skippedToday: 0,
          activeMsToday: 0,
        },
        sync: { status: 'signed-out', lastSyncAt: null, lastError: null, problem: null },
        outstanding: { unsynced: 0, refused: 0, drafts: 0, total: 0 },
      },
    ],
  };

  const start = async (startDemoHub: NonNullable<ShellDeps['startDemoHub']>) => {
    const { startShell } = await import('./shell');
    const fake = createFakeElectron({ userData: '/tmp/ud', appPath: APP_PATH });
    const core = createFakeCore();
    const opened: Record<string, unknown>[] = [];
    const calls: { method: string; input: unknown }[] = [];
    const dispatch = async (method: string, input: unknown) => {
      calls.push({ method, input });
      if (method === 'sync.state') return { ok: true as const, value: syncState('signed-out', null) };
      if (method === 'workspaces.list') return { ok: true as const, value: localOnly };
      if (method === 'sync.signIn')
        return { ok: true as const, value: syncState('online', (input as { hubUrl: string }).hubUrl) };
      if (method === 'tasks.getMore') return { ok: true as const, value: { leased: 2 } };
      return core.dispatch(method, input);
    };
    const { ready } = startShell({
      electron: fake.electron as never,
      openWorkbench: async (o) => {
        opened.push(o);
        return { ...core, dispatch };
      },
      platform: 'linux',
      log: () => {},
      startDemoHub,
    });
    await ready;
    return { fake, opened, calls };
  };

  it('starts the hub, opens the workbench without the local seed, signs in and leases; stops the hub on quit', async () => {
    const close = vi.fn(async () => {});
    const { fake, opened, calls } = await start(async () => ({
      url: 'http://127.0.0.1:4100',
      annotatorToken: 'demo-token',
      projectIds: ['p1', 'p2'],
      close,
      onExit: () => {},
    }));
    expect(opened[0]).toMatchObject({ seedDemo: false });
    expect(calls).toContainEqual({
      method: 'sync.signIn',
      input: { hubUrl: 'http://127.0.0.1:4100', token: 'demo-token' },
    });
    expect(calls.filter((c) => c.method === 'tasks.getMore').map((c) => c.input)).toEqual([
      { count: 20, projectId: 'p1' },
      { count: 20, projectId: 'p2' },
    ]);
    fake.appEvents.emit('before-quit', { preventDefault: vi.fn() });
    await vi.waitFor(() => expect(close).toHaveBeenCalled());
  });

  it('falls back to the local seeded demo when the hub cannot start', async () => {
    const { opened, calls } = await start(async () => {
      throw new Error('no node');
    });
    expect(opened[0]).toMatchObject({ seedDemo: true });
    expect(calls.some((c) => c.method === 'sync.signIn')).toBe(false);
  });
});
