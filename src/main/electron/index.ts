// The Electron main entry (built by electron-vite to out/main/index.js). All logic is in shell.ts
// and the modules it composes, which take Electron's APIs as parameters so tests can stand in.
import * as electron from 'electron';
import { startDemoHub } from '../core/demo-hub';
import { openWorkspaces } from '../core/workspaces';
import { startShell } from './shell';

// `npm start` (scripts/start.mjs) names its Node binary: the demo hub runs the hub CLI from the
// source tree through tsx, which Electron's own Node (another ABI for better-sqlite3) cannot.
const nodePath = process.env['OUTRIGGER_NODE'];

startShell({
  electron,
  openWorkbench: openWorkspaces,
  platform: process.platform,
  devRendererUrl: process.env['ELECTRON_RENDERER_URL'],
  ...(nodePath && !electron.app.isPackaged
    ? {
        startDemoHub: (o: { dataDir: string; resourcesDir: string }) =>
          startDemoHub({
            ...o,
            rootDir: electron.app.getAppPath(),
            nodePath,
            log: (m) => console.log(`[outrigger] ${m}`),
          }),
      }
    : {}),
});
