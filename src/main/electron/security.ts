import type { CustomScheme, Session, WebContents, WebPreferences } from 'electron';
import { rendererCsp } from '../../shared/security/csp';

/** Schemes of our own: the renderer's files, and content-addressed assets. */
export const APP_SCHEME = 'outrigger-app';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const ASSET_SCHEME = 'outrigger-asset';

/** The renderer is a web page with no Node and no way out but the bridge. */
export const secureWebPreferences = (preloadPath: string): WebPreferences => ({
  preload: preloadPath,
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webviewTag: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
});

/** The renderer's CSP (src/shared/security/csp.ts), with our asset scheme as an image source. */
export const contentSecurityPolicy = (dev = false): string =>
  rendererCsp({ assetSource: `${ASSET_SCHEME}:`, dev });

/** Registered before `app` is ready; `standard` + `secure` give them real origins. */
export const privilegedSchemes: CustomScheme[] = [
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  // corsEnabled so the renderer may fetch() an image to decode it off the main thread.
  {
    scheme: ASSET_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true },
  },
];

/**
 * Whether a URL belongs to the renderer we loaded. Compares scheme and host (custom schemes have
 * an opaque `origin` in WHATWG URL, so origin strings cannot be compared).
 */
export const createTrustedUrlCheck = (rendererUrl: string): ((url: string | undefined | null) => boolean) => {
  const trusted = new URL(rendererUrl);
  return (url) => {
    if (!url) return false;
    try {
      const u = new URL(url);
      return (
        u.protocol === trusted.protocol && u.host === trusted.host && u.username === '' && u.password === ''
      );
    } catch {
      return false;
    }
  };
};

/** The slices of WebContents and Session the guards touch; tests pass stand-ins. */
export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;
export type GuardedSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;

/** Every navigation, redirect, new window and <webview> is refused: the app is one page. */
export const denyNavigation = (
  contents: GuardedContents,
  log: (message: string) => void = () => {},
): void => {
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    log(`refused navigation to ${event.url}`);
  });
  contents.on('will-redirect', (event) => {
    event.preventDefault();
    log(`refused redirect to ${event.url}`);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('refused <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log(`refused window.open ${url}`);
    return { action: 'deny' };
  });
};

/** No camera, microphone, notifications, geolocation, USB …: a labeling tool needs none. */
export const denyPermissions = (session: GuardedSession): void => {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
};
