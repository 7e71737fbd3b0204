import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { IpcRendererLike } from '../../src/preload/bridge';
import type { EventTarget } from '../../src/main/electron/ipc';

type MainListener = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;
type RendererListener = (event: unknown, ...args: unknown[]) => void;

/**
 * A stand-in for Electron's IPC pair: `ipcMain.handle` on one side, `ipcRenderer.invoke/on` on
 * the other, `webContents.send` for events. Every crossing is a structured clone, as in
 * Electron, and the invoke event carries the sender frame's URL for the origin check.
 */
export const createIpcStandIn = (frameUrl: string) => {
  const handlers = new Map<string, MainListener>();
  const listeners = new Map<string, Set<RendererListener>>();
  const frame = { url: frameUrl };

  const ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'> = {
    handle(channel: string, listener: MainListener) {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, listener);
    },
    removeHandler(channel: string) {
      handlers.delete(channel);
    },
  };

  const ipcRenderer: IpcRendererLike = {
    async invoke(channel, ...args) {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      const event = { senderFrame: { url: frame.url }, sender: {} } as unknown as IpcMainInvokeEvent;
      return structuredClone(await handler(event, ...structuredClone(args)));
    },
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)?.add(listener);
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
    },
  };

  const webContents: EventTarget = {
    isDestroyed: () => false,
    send(channel, message) {
      const copy = structuredClone(message);
      // Electron delivers on a later tick, never inside the sender's call stack.
      setImmediate(() => {
        for (const l of listeners.get(channel) ?? []) l({ sender: {} }, copy);
      });
    },
  };

  return { ipcMain, ipcRenderer, webContents, handlers, frame };
};
