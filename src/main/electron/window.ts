import type { BrowserWindow as BrowserWindowType, BrowserWindowConstructorOptions } from 'electron';
import { secureWebPreferences } from './security';

type BrowserWindowCtor = new (options: BrowserWindowConstructorOptions) => BrowserWindowType;

export const mainWindowOptions = (preloadPath: string): BrowserWindowConstructorOptions => ({
  width: 1280,
  height: 820,
  minWidth: 880,
  minHeight: 560,
  title: 'Outrigger',
  // Shown once painted, so the user never sees a white flash before the dark theme loads.
  show: false,
  backgroundColor: '#15171c',
  webPreferences: secureWebPreferences(preloadPath),
});

/** The one workbench window, loading our renderer. */
export const createMainWindow = (
  BrowserWindow: BrowserWindowCtor,
  opts: { preloadPath: string; url: string; log?: (m: string) => void },
) => {
  const win = new BrowserWindow(mainWindowOptions(opts.preloadPath));
  win.once('ready-to-show', () => win.show());
  win.loadURL(opts.url).catch((e: unknown) => opts.log?.(`could not load ${opts.url}: ${String(e)}`));
  return win;
};
