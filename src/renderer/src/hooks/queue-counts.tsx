import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { QueueCounts } from '../../../shared/contract';
import { callOrToast, useConnection } from './api-context';

interface CountsState {
  counts: QueueCounts | null;
  /** Fetches the counts now (after our own changes, or when events may have been missed). */
  refresh(): void;
}

const CountsContext = createContext<CountsState>({ counts: null, refresh: () => {} });

/**
 * Today's counts, shared app-wide: fetched on start, kept current by `queue.changed` events, and
 * fetched again after our own changes and when the window regains focus, because events sent
 * while the event stream was down (host restarted, laptop asleep) are not replayed.
 */
export function QueueCountsProvider({ children }: { children: ReactNode }) {
  const { api } = useConnection();
  const [counts, setCounts] = useState<QueueCounts | null>(null);
  // Bumped by every event: a fetch issued before the latest event answers with older counts.
  const eventSeq = useRef(0);

  const refresh = useCallback(() => {
    const seq = eventSeq.current;
    void callOrToast(api, 'queue.counts', {}).then((c) => {
      if (c && seq === eventSeq.current) setCounts(c);
    });
  }, [api]);

  useEffect(() => {
    const off = api.on('queue.changed', (e) => {
      eventSeq.current++;
      setCounts(e.counts);
    });
    refresh();
    window.addEventListener('focus', refresh);
    return () => {
      off();
      window.removeEventListener('focus', refresh);
    };
  }, [api, refresh]);

  const value = useMemo(() => ({ counts, refresh }), [counts, refresh]);
  return <CountsContext.Provider value={value}>{children}</CountsContext.Provider>;
}

export const useQueueCounts = (): QueueCounts | null => useContext(CountsContext).counts;
export const useRefreshCounts = (): (() => void) => useContext(CountsContext).refresh;
