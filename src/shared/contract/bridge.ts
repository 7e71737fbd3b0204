import type { Result } from './result';

/** What the preload tells the renderer about the machine it runs on (no paths, no secrets). */
export interface BridgePlatform {
  /** `process.platform` of the main process: 'darwin' | 'win32' | 'linux' | … */
  os: string;
  /** Versions a bug report needs. */
  versions: { electron: string; chrome: string; node: string };
}

/**
 * The one object the preload exposes as `window.outrigger`. It carries exactly one invoke
 * channel and one event channel; the renderer never sees `ipcRenderer` itself.
 */
export interface OutriggerBridge {
  invoke(method: string, input: unknown): Promise<Result<unknown>>;
  /** Calls `handler` for every event the core pushes; returns an unsubscribe function. */
  onEvent(handler: (event: string, payload: unknown) => void): () => void;
  platform: BridgePlatform;
}

/** The message on the event channel: one envelope per event. */
export interface BridgeEventMessage {
  event: string;
  payload: unknown;
}

/** The name under which the preload exposes the bridge on `window`. */
export const BRIDGE_GLOBAL = 'outrigger';

/**
 * Channel names, repeated from api.ts on purpose: the sandboxed preload imports this file only,
 * so it does not bundle zod and the method table. bridge.test.ts checks they stay equal.
 */
export const BRIDGE_INVOKE_CHANNEL = 'outrigger:invoke';
export const BRIDGE_EVENT_CHANNEL = 'outrigger:event';
