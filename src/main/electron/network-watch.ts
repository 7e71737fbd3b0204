import type * as ElectronModule from 'electron';
import type { Dispatch } from '../core/dispatch';

/** How often the OS's online flag is read (a local call, no traffic). */
export const NETWORK_POLL_MS = 5_000;

/**
 * Tells sync what the OS knows of the network: `net.isOnline()` read every few seconds and
 * reported when it changes (offline: no retries are spent; back online: the hub is probed at
 * once), and a sync right after the machine wakes (a backoff wait may have outlived the sleep).
 * Electron stays here in the shell; the core only hears `sync.networkChanged` and `sync.now`.
 */
export const watchNetwork = (o: {
  net: Pick<typeof ElectronModule.net, 'isOnline'>;
  powerMonitor: Pick<typeof ElectronModule.powerMonitor, 'on'>;
  dispatch: Dispatch;
  log: (message: string) => void;
}): (() => void) => {
  let last: boolean | null = null;
  const read = () => {
    const online = o.net.isOnline();
    if (online === last) return;
    last = online;
    void o.dispatch('sync.networkChanged', { online });
  };
  read();
  const timer = setInterval(read, NETWORK_POLL_MS);
  timer.unref();
  o.powerMonitor.on('resume', () => {
    o.log('woke from sleep: syncing');
    void o.dispatch('sync.now', {});
  });
  return () => clearInterval(timer);
};
