import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventSource } from 'eventsource';
import type { Transport } from '../../src/shared/contract/client';
import type { Dispatch, EventBus } from '../../src/main/core/dispatch';
import { createInProcessTransport } from '../../src/main/core/transport-inprocess';
import { openWorkspaces } from '../../src/main/core/workspaces';
import { serveWorkbench } from '../../src/main/web-host/app';
import { registerIpcTransport } from '../../src/main/electron/ipc';
import { APP_ORIGIN, createTrustedUrlCheck } from '../../src/main/electron/security';
import { createBridge } from '../../src/preload/bridge';
import { createIpcTransport } from '../../src/renderer/src/api/ipc-transport';
import { createHttpTransport, type EventSourceCtor } from '../../src/renderer/src/api/http-transport';
import { createIpcStandIn } from './ipc-standin';
import { createFakeCore } from './fake-core';

/** What every transport is built on. */
export interface Core {
  dispatch: Dispatch;
  events: EventBus;
  assets: { path(sha256: string): string | null };
  close(): Promise<void>;
}

export interface Harness {
  transport: Transport;
  close(): Promise<void>;
}

const RENDERER_URL = `${APP_ORIGIN}/index.html`;

/** The three transports, each wired exactly as its host wires it. */
export const transports: Record<'in-process' | 'http' | 'ipc', (core: Core) => Promise<Harness>> = {
  'in-process': async (core) => ({ transport: createInProcessTransport(core), close: async () => {} }),
  http: async (core) => {
    const host = await serveWorkbench(core, {
      token: 'contract-token',
      rendererDir: join(tmpdir(), 'no-renderer-here'),
    });
    const transport = createHttpTransport({
      baseUrl: host.baseUrl,
      token: host.token,
      EventSource: EventSource as unknown as EventSourceCtor,
      reconnectDelayMs: 50,
    });
    return { transport, close: host.close };
  },
  ipc: async (core) => {
    const ipc = createIpcStandIn(RENDERER_URL);
    const dispose = registerIpcTransport({
      ipcMain: ipc.ipcMain,
      dispatch: core.dispatch,
      events: core.events,
      isTrustedUrl: createTrustedUrlCheck(RENDERER_URL),
      targets: () => [ipc.webContents],
    });
    const bridge = createBridge(ipc.ipcRenderer, {
      os: 'linux',
      versions: { electron: '41.7.1', chrome: '', node: '' },
    });
    return { transport: createIpcTransport(bridge), close: async () => dispose() };
  },
};

/** The cores the suite runs on: canned answers, and the real workbench on the demo data. */
export const cores: Record<'fake' | 'workbench', () => Promise<Core>> = {
  fake: async () => createFakeCore(),
  workbench: async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'outrigger-contract-'));
    const wb = await openWorkspaces({
      dataDir,
      resourcesDir: 'resources',
      mode: 'test',
      seedDemo: true,
      clock: () => Date.UTC(2026, 10, 28, 12),
    });
    return {
      ...wb,
      close: async () => {
        await wb.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
};
