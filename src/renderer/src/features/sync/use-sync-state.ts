import { useEffect, useState } from 'react';
import type { SyncState } from '../../../../shared/contract';
import { useConnection } from '../../hooks/api-context';

/** The sync state, fetched once and kept current by `sync.stateChanged`; null while loading. */
export const useSyncState = (): SyncState | null => {
  const { api } = useConnection();
  const [state, setState] = useState<SyncState | null>(null);
  useEffect(() => {
    let live = true;
    const off = api.on('sync.stateChanged', (s) => {
      if (live) setState(s);
    });
    void api.call('sync.state', {}).then((r) => {
      if (live && r.ok) setState((prev) => prev ?? r.value);
    });
    return () => {
      live = false;
      off();
    };
  }, [api]);
  return state;
};

/** The current time, refreshed every `everyMs`, for "5 min ago" texts. */
export const useNow = (everyMs = 30_000): number => {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
};
