import { createClient, type Connection } from '../../../shared/contract/client';
import { BRIDGE_GLOBAL, type OutriggerBridge } from '../../../shared/contract/bridge';
import { createIpcTransport } from './ipc-transport';
import { createHttpTransport } from './http-transport';
import { assetUrlFor } from './asset-url';
import { endSession } from '../features/session/session-store';

export { createIpcTransport } from './ipc-transport';
export {
  createHttpTransport,
  type HttpTransportOptions,
  type EventSourceLike,
  type EventSourceCtor,
} from './http-transport';
export { assetUrlFor, electronAssetUrl, webAssetUrl, type AssetUrlFn } from './asset-url';

const TOKEN_KEY = 'outrigger.token';

/**
 * Web mode's session token: taken from `?token=` once, kept for this tab in sessionStorage (so a
 * reload still works) and removed from the address bar (so it is not copied or screenshotted).
 */
const takeToken = (): string => {
  const url = new URL(window.location.href);
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) {
    try {
      window.sessionStorage.setItem(TOKEN_KEY, fromQuery);
      url.searchParams.delete('token');
      window.history.replaceState(window.history.state, '', url.toString());
    } catch {
      // storage blocked: keep the token in the URL, it still works for this page
    }
    return fromQuery;
  }
  try {
    return window.sessionStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
};

/** Picks the transport once: the preload's bridge in Electron, HTTP + SSE in a browser. */
export const connect = (): Connection => {
  const bridge = (window as unknown as Record<string, OutriggerBridge | undefined>)[BRIDGE_GLOBAL];
  if (bridge) {
    return {
      api: createClient(createIpcTransport(bridge)),
      assetUrl: assetUrlFor('electron'),
      mode: 'electron',
    };
  }
  const baseUrl = window.location.origin;
  const token = takeToken();
  return {
    api: createClient(createHttpTransport({ baseUrl, token, onSessionEnded: endSession })),
    assetUrl: assetUrlFor('web', { baseUrl, token }),
    mode: 'web',
  };
};
