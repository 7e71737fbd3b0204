import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { signInToHub, startDemoHub, type DemoHub } from '../core/demo-hub';
import { fileTokenStore } from '../core/sync/token-store';
import { manageDemoHub, type DemoHubLifecycle } from '../core/demo-hub-lifecycle';
import { openWorkspaces } from '../core/workspaces';
import { serveWorkbench, type ServedHost } from './app';
import type { Clock } from '../../shared/clock';

export type { ServedHost } from './app';

export interface WebHostOptions {
  /** 0 or absent: a free port. */
  port?: number;
  dataDir: string;
  resourcesDir: string;
  /** The built renderer (`out/renderer`). */
  rendererDir: string;
  /** Absent: 32 random bytes, base64url. */
  token?: string;
  clock?: Clock;
  /** Seed the demo workspace into an empty database (default true; false with `demoHub`). */
  seedDemo?: boolean;
  /** Run the embedded demo hub (a child process on `<dataDir>/demo-hub`) and sign in to it as
   * the demo annotator (default false). If it cannot start, the local seeded demo is used. */
  demoHub?: boolean;
  /** The source tree with `src/hub/cli.ts` (default: the folder above `resourcesDir`). */
  rootDir?: string;
  /** Sign in to this hub at start unless already signed in (`--hub URL --token-file F`). */
  hub?: { url: string; token: string };
  log?: (message: string) => void;
}

const newSessionToken = (): string => randomBytes(32).toString('base64url');

/**
 * Web mode: the workbench core on the given data folder, served on 127.0.0.1. `close()` stops
 * the server (ending event streams) and then closes the database.
 */
export const startWebHost = async (opts: WebHostOptions): Promise<ServedHost> => {
  const log = opts.log ?? ((m: string) => console.log(`[outrigger] ${m}`));
  const startDemo = () =>
    startDemoHub({
      dataDir: opts.dataDir,
      resourcesDir: opts.resourcesDir,
      rootDir: opts.rootDir ?? dirname(opts.resourcesDir),
      log,
    });
  let demo: DemoHub | null = null;
  if (opts.demoHub) {
    try {
      demo = await startDemo();
    } catch (e) {
      log(
        `the demo hub could not start (${e instanceof Error ? e.message : String(e)}); using the local demo`,
      );
    }
  }
  let workbench;
  try {
    workbench = await openWorkspaces({
      dataDir: opts.dataDir,
      resourcesDir: opts.resourcesDir,
      mode: 'web',
      seedDemo: demo || opts.hub ? false : (opts.seedDemo ?? true),
      tokenStoreFor: fileTokenStore,
      log,
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
  } catch (e) {
    await demo?.close();
    throw e;
  }
  let host: ServedHost;
  let lifecycle: DemoHubLifecycle | null = null;
  try {
    const target = opts.hub ? { url: opts.hub.url, annotatorToken: opts.hub.token } : demo;
    // Offline-first: a hub that refuses or is unreachable leaves a working local workbench.
    if (target) await signInToHub(workbench.dispatch, target, log).catch((e: unknown) => log(String(e)));
    if (opts.demoHub && demo)
      lifecycle = manageDemoHub({
        first: demo,
        start: startDemo,
        dispatch: workbench.dispatch,
        events: workbench.events,
        log,
      });
    host = await serveWorkbench(workbench, {
      token: opts.token ?? newSessionToken(),
      rendererDir: opts.rendererDir,
      port: opts.port ?? 0,
    });
  } catch (e) {
    await lifecycle?.close();
    await workbench.close();
    await demo?.close();
    throw e;
  }
  return {
    ...host,
    close: async () => {
      try {
        await host.close();
      } finally {
        try {
          await workbench.close();
        } finally {
          await (lifecycle ? lifecycle.close() : demo?.close());
        }
      }
    },
  };
};
