import { useEffect } from 'react';
import { useConnection } from './api-context';

/**
 * Web mode: tells the core what the browser knows of the network (`navigator.onLine` and its
 * online/offline events), so sync spends no retries while offline and probes the hub the moment
 * the network returns. Electron's shell watches the OS itself (net, powerMonitor).
 */
export function useNetworkStatus(): void {
  const { api, mode } = useConnection();
  useEffect(() => {
    if (mode !== 'web') return;
    const tell = () => void api.call('sync.networkChanged', { online: navigator.onLine });
    tell();
    window.addEventListener('online', tell);
    window.addEventListener('offline', tell);
    return () => {
      window.removeEventListener('online', tell);
      window.removeEventListener('offline', tell);
    };
  }, [api, mode]);
}
