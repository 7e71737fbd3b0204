import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where the shell finds its pieces, all relative to the app root (the folder of package.json). */
export const shellPaths = (appRoot: string) => ({
  preload: join(appRoot, 'out', 'preload', 'index.cjs'),
  rendererDir: join(appRoot, 'out', 'renderer'),
  resourcesDir: join(appRoot, 'resources'),
  /** better-sqlite3 built for Electron's ABI by scripts/start.mjs; node_modules keeps Node's. */
  nativeBinding: join(appRoot, '.native', 'electron', 'better_sqlite3.node'),
});

/** The Electron build of better-sqlite3 when start.mjs made one, else undefined (use the default). */
export const electronNativeBinding = (
  appRoot: string,
  exists: (p: string) => boolean = existsSync,
): string | undefined => {
  const p = shellPaths(appRoot).nativeBinding;
  return exists(p) ? p : undefined;
};
