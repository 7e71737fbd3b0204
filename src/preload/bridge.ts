import {
  BRIDGE_EVENT_CHANNEL,
  BRIDGE_INVOKE_CHANNEL,
  type BridgeEventMessage,
  type BridgePlatform,
  type OutriggerBridge,
} from '../shared/contract/bridge';
import type { Result } from '../shared/contract/result';

/** The slice of `ipcRenderer` the bridge uses; tests pass a stand-in. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

const isEventMessage = (m: unknown): m is BridgeEventMessage =>
  typeof m === 'object' && m !== null && typeof (m as { event?: unknown }).event === 'string';

/**
 * Builds the one narrow object the renderer gets. Only the two contract channels are reachable,
 * and listeners never receive Electron's event object (it would expose `sender`).
 */
export const createBridge = (ipc: IpcRendererLike, platform: BridgePlatform): OutriggerBridge => ({
  invoke: (method, input) => ipc.invoke(BRIDGE_INVOKE_CHANNEL, method, input) as Promise<Result<unknown>>,
  onEvent(handler) {
    const listener = (_event: unknown, message: unknown): void => {
      if (isEventMessage(message)) handler(message.event, message.payload);
    };
    ipc.on(BRIDGE_EVENT_CHANNEL, listener);
    return () => {
      ipc.removeListener(BRIDGE_EVENT_CHANNEL, listener);
    };
  },
  platform,
});
