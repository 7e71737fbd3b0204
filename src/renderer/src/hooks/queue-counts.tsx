import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { QueueCounts } from '../../../shared/contract';
import { callOrToast, useConnection } from './api-context';

const CountsContext = createContext<QueueCounts | null>(null);

/** Today's counts, fetched once and kept current by `queue.changed` events; shared app-wide. */
export function QueueCountsProvider({ children }: { children: ReactNode }) {
  const { api } = useConnection();
  const [counts, setCounts] = useState<QueueCounts | null>(null);
  useEffect(() => {
    let live = true;
    const off = api.on('queue.changed', (e) => {
      if (live) setCounts(e.counts);
    });
    void callOrToast(api, 'queue.counts', {}).then((c) => {
      // An event that arrived while the call was in flight is newer: keep it.
      if (live && c) setCounts((prev) => prev ?? c);
    });
    return () => {
      live = false;
      off();
    };
  }, [api]);
  return <CountsContext.Provider value={counts}>{children}</CountsContext.Provider>;
}

export const useQueueCounts = (): QueueCounts | null => useContext(CountsContext);
