// Sandboxed preload: `electron` and `process` are the only things available here.
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL } from '../shared/contract/bridge';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld(
  BRIDGE_GLOBAL,
  createBridge(ipcRenderer, {
    os: process.platform,
    versions: {
      electron: process.versions.electron ?? '',
      chrome: process.versions.chrome ?? '',
      node: process.versions.node,
    },
  }),
);
