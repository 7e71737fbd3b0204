// The Electron main entry (built by electron-vite to out/main/index.js). All logic is in shell.ts
// and the modules it composes, which take Electron's APIs as parameters so tests can stand in.
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, safeStorage, session } from 'electron';
import { openWorkbench } from '../core/workbench';
import { startShell } from './shell';

startShell({
  electron: { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, safeStorage, session },
  openWorkbench,
  platform: process.platform,
  devRendererUrl: process.env['ELECTRON_RENDERER_URL'],
});
