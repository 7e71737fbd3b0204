import { randomBytes } from 'node:crypto';
import { openWorkbench } from '../core/workbench';
import { serveWorkbench, type ServedHost } from './app';

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
  clock?: () => number;
  /** Seed the demo workspace into an empty database (default true). */
  seedDemo?: boolean;
}

export const newSessionToken = (): string => randomBytes(32).toString('base64url');

/**
 * Web mode: the workbench core on the given data folder, served on 127.0.0.1. `close()` stops
 * the server (ending event streams) and then closes the database.
 */
export const startWebHost = async (opts: WebHostOptions): Promise<ServedHost> => {
  const workbench = await openWorkbench({
    dataDir: opts.dataDir,
    resourcesDir: opts.resourcesDir,
    mode: 'web',
    seedDemo: opts.seedDemo ?? true,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  let host: ServedHost;
  try {
    host = await serveWorkbench(workbench, {
      token: opts.token ?? newSessionToken(),
      rendererDir: opts.rendererDir,
      port: opts.port ?? 0,
    });
  } catch (e) {
    await workbench.close();
    throw e;
  }
  return {
    ...host,
    close: async () => {
      try {
        await host.close();
      } finally {
        await workbench.close();
      }
    },
  };
};
