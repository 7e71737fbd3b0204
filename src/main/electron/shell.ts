import type * as ElectronModule from 'electron';
import type { Dispatch, EventBus } from '../core/dispatch';
import { registerIpcTransport } from './ipc';
import { buildMenuTemplate } from './menu';
import { electronNativeBinding, shellPaths } from './paths';
import { createAppProtocolHandler, createAssetProtocolHandler, type FetchFile } from './protocols';
import {
  APP_ORIGIN,
  APP_SCHEME,
  ASSET_SCHEME,
  contentSecurityPolicy,
  createTrustedUrlCheck,
  denyNavigation,
  denyPermissions,
  privilegedSchemes,
} from './security';
import { watchNetwork } from './network-watch';
import { watchPower } from './power-watch';
import { createMainWindow } from './window';
import { createSecretBox, safeStorageTokenStore } from './secrets';
import type { TokenStore } from '../core/sync/token-store';
import { signInToHub, type DemoHub } from '../core/demo-hub';
import { manageDemoHub, type DemoHubLifecycle } from '../core/demo-hub-lifecycle';

/** What the shell needs of the workbench core (src/main/core/workbench.ts). */
export interface ShellWorkbench {
  dispatch: Dispatch;
  events: Pick<EventBus, 'subscribe'>;
  assets: { path(sha256: string): string | null };
  /** The machine sleeps or wakes, or the screen locks or unlocks (./power-watch). */
  recordPower(kind: 'suspend' | 'resume'): void;
  close(): Promise<void>;
}

export type OpenShellWorkbench = (opts: {
  dataDir: string;
  resourcesDir: string;
  mode: 'electron';
  nativeBinding?: string;
  seedDemo?: boolean;
  /** Each workspace keeps its hub token in its own folder. */
  tokenStoreFor: (folder: string) => TokenStore;
  tokenStore?: TokenStore;
  revealPath?: (fullPath: string) => Promise<void>;
}) => Promise<ShellWorkbench>;

export type ElectronApis = Pick<
  typeof ElectronModule,
  | 'app'
  | 'BrowserWindow'
  | 'ipcMain'
  | 'protocol'
  | 'session'
  | 'Menu'
  | 'net'
  | 'dialog'
  | 'safeStorage'
  | 'powerMonitor'
  | 'shell'
>;

export interface ShellDeps {
  electron: ElectronApis;
  openWorkbench: OpenShellWorkbench;
  platform: NodeJS.Platform;
  /** Vite's dev server (ELECTRON_RENDERER_URL), used only when the app is not packaged. */
  devRendererUrl?: string;
  log?: (message: string) => void;
  /** Starts the embedded demo hub (src/main/core/demo-hub.ts) on the data folder; absent, the
   * local seeded demo is used. index.ts passes it when `npm start` names a Node binary. */
  startDemoHub?: (opts: { dataDir: string; resourcesDir: string }) => Promise<DemoHub>;
}

/**
 * App lifecycle: one instance, privileged schemes, the workbench opened on the user's data
 * folder, IPC and protocols wired to it, one secured window; the workbench closed before quit.
 */
export const startShell = (deps: ShellDeps): { ready: Promise<void> } => {
  const {
    app,
    BrowserWindow,
    ipcMain,
    protocol,
    session,
    Menu,
    net,
    dialog,
    safeStorage,
    powerMonitor,
    shell,
  } = deps.electron;
  const log = deps.log ?? ((m: string) => console.log(`[outrigger] ${m}`));

  // Must happen before `ready`, and before the single-instance check quits a second copy.
  protocol.registerSchemesAsPrivileged(privilegedSchemes);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { ready: Promise.resolve() };
  }

  const dev = !app.isPackaged && deps.devRendererUrl !== undefined;
  const rendererUrl = dev && deps.devRendererUrl ? deps.devRendererUrl : `${APP_ORIGIN}/index.html`;
  const isTrustedUrl = createTrustedUrlCheck(rendererUrl);
  const appRoot = app.getAppPath();
  const paths = shellPaths(appRoot);
  let workbench: ShellWorkbench | null = null;
  let demoHub: DemoHub | null = null;
  let demoLifecycle: DemoHubLifecycle | null = null;
  let window: ElectronModule.BrowserWindow | null = null;
  let closed = false;

  const openWindow = () => {
    window = createMainWindow(BrowserWindow, { preloadPath: paths.preload, url: rendererUrl, log });
    window.on('closed', () => (window = null));
  };

  app.on('web-contents-created', (_event, contents) => denyNavigation(contents, log));
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => {
    if (deps.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (workbench && BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  // Close the database cleanly (WAL checkpoint, no half-written row) before the process ends.
  app.on('before-quit', (event) => {
    if (!workbench || closed) return;
    event.preventDefault();
    const wb = workbench;
    workbench = null;
    wb.close()
      .catch((e: unknown) => log(`closing the workbench failed: ${String(e)}`))
      .then(() => (demoLifecycle ? demoLifecycle.close() : demoHub?.close()))
      .catch((e: unknown) => log(`stopping the demo hub failed: ${String(e)}`))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });

  const ready = app.whenReady().then(async () => {
    const dataDir = app.getPath('userData');
    // safeStorage is usable only after ready (Linux picks its keyring then).
    const secretBox = createSecretBox(safeStorage, deps.platform);
    const tokenStoreFor = (folder: string) => safeStorageTokenStore(secretBox, folder);
    const startDemo = deps.startDemoHub
      ? () => deps.startDemoHub!({ dataDir, resourcesDir: paths.resourcesDir })
      : null;
    if (startDemo) {
      try {
        demoHub = await startDemo();
      } catch (e) {
        log(
          `the demo hub could not start (${e instanceof Error ? e.message : String(e)}); using the local demo`,
        );
      }
    }
    try {
      workbench = await deps.openWorkbench({
        dataDir,
        tokenStoreFor,
        resourcesDir: paths.resourcesDir,
        mode: 'electron',
        nativeBinding: electronNativeBinding(appRoot),
        seedDemo: demoHub === null,
        // "Open folder" of a finished export: the file manager with the export selected.
        revealPath: async (p) => shell.showItemInFolder(p),
      });
    } catch (e) {
      await demoHub?.close();
      dialog.showErrorBox('Outrigger cannot open its data', e instanceof Error ? e.message : String(e));
      app.exit(1);
      return;
    }
    // Offline-first: a demo hub that refuses leaves a working local workbench.
    if (demoHub && startDemo) {
      await signInToHub(workbench.dispatch, demoHub, log).catch((e: unknown) => log(String(e)));
      // The demo hub runs only while its workspace is the one in use.
      demoLifecycle = manageDemoHub({
        first: demoHub,
        start: startDemo,
        dispatch: workbench.dispatch,
        events: workbench.events,
        log,
      });
    }
    const ses = session.defaultSession;
    denyPermissions(ses);
    if (dev) {
      ses.webRequest.onHeadersReceived((details, callback) =>
        callback({
          responseHeaders: {
            ...details.responseHeaders,
            'Content-Security-Policy': [contentSecurityPolicy(true)],
          },
        }),
      );
    }
    const fetchFile: FetchFile = (url, init) => net.fetch(url, init);
    protocol.handle(APP_SCHEME, createAppProtocolHandler({ rendererDir: paths.rendererDir, fetchFile }));
    const assets = workbench.assets;
    protocol.handle(
      ASSET_SCHEME,
      createAssetProtocolHandler({
        assetPath: (sha) => assets.path(sha),
        fetchFile,
        allowOrigin: dev ? new URL(rendererUrl).origin : APP_ORIGIN,
      }),
    );
    watchNetwork({ net, powerMonitor, dispatch: workbench.dispatch, log });
    const core = workbench;
    watchPower({ powerMonitor, recordPower: (kind) => core.recordPower(kind), log });
    registerIpcTransport({
      ipcMain,
      dispatch: workbench.dispatch,
      events: workbench.events,
      isTrustedUrl,
      targets: () => BrowserWindow.getAllWindows().map((w) => w.webContents),
      log,
    });
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate({ appName: app.getName(), isMac: deps.platform === 'darwin', isDev: dev }),
      ),
    );
    openWindow();
  });
  return { ready };
};
