// A stand-in for the `electron` module, just wide enough for the shell (tests only: Electron
// cannot start on the CI machines, and `import 'electron'` throws under plain Node).
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

type Listener = (...args: never[]) => unknown;

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => unknown) | null = null;
  sent: { channel: string; message: unknown }[] = [];
  destroyed = false;
  setWindowOpenHandler(handler: (details: { url: string }) => unknown): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, message: unknown): void {
    this.sent.push({ channel, message: structuredClone(message) });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export const createFakeElectron = (opts: { userData: string; appPath: string; singleInstance?: boolean }) => {
  const appEvents = new EventEmitter();
  const windows: FakeBrowserWindow[] = [];
  const ipcHandlers = new Map<string, Listener>();
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();

  class FakeBrowserWindow extends EventEmitter {
    static getAllWindows = () => [...windows];
    readonly webContents = new FakeWebContents();
    readonly loadURL = vi.fn(async (_url: string) => {});
    readonly show = vi.fn();
    readonly focus = vi.fn();
    readonly restore = vi.fn();
    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
      appEvents.emit('web-contents-created', {}, this.webContents);
    }
    isMinimized(): boolean {
      return false;
    }
  }

  const permission = { request: null as Listener | null, check: null as Listener | null };
  const electron = {
    app: {
      on: (event: string, l: Listener) => appEvents.on(event, l as (...a: unknown[]) => void),
      whenReady: () => Promise.resolve(),
      requestSingleInstanceLock: () => opts.singleInstance ?? true,
      quit: vi.fn(),
      exit: vi.fn(),
      getPath: (name: string) => (name === 'userData' ? opts.userData : `/fake/${name}`),
      getAppPath: () => opts.appPath,
      getName: () => 'Outrigger',
      isPackaged: true,
    },
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handle: vi.fn((channel: string, l: Listener) => {
        if (ipcHandlers.has(channel)) throw new Error(`second handler for ${channel}`);
        ipcHandlers.set(channel, l);
      }),
      removeHandler: vi.fn((channel: string) => ipcHandlers.delete(channel)),
    },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(),
      handle: vi.fn((scheme: string, h: (request: Request) => Promise<Response>) =>
        protocolHandlers.set(scheme, h),
      ),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: Listener) => (permission.request = h),
        setPermissionCheckHandler: (h: Listener) => (permission.check = h),
        webRequest: { onHeadersReceived: vi.fn() },
      },
    },
    Menu: { buildFromTemplate: vi.fn((t: unknown) => t), setApplicationMenu: vi.fn() },
    net: { fetch: vi.fn(async () => new Response('file')), isOnline: () => true },
    powerMonitor: { on: vi.fn() },
    dialog: { showErrorBox: vi.fn() },
    shell: { showItemInFolder: vi.fn() },
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => Buffer.from(`sealed:${s}`),
      decryptString: (b: Buffer) => b.toString().replace(/^sealed:/, ''),
      getSelectedStorageBackend: () => 'basic_text' as const,
    },
  };
  return { electron, appEvents, windows, ipcHandlers, protocolHandlers, permission };
};
export type FakeElectron = ReturnType<typeof createFakeElectron>;
