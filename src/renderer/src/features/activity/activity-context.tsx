import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useConnection } from '../../hooks/api-context';
import { afterNextPaint } from '../task/after-paint';
import { PresenceReporter } from './presence-reporter';

interface ActivityState {
  reporter: PresenceReporter | null;
  /** Today's active ms as the core last said (a report's answer or the queue counts), null before. */
  activeMsToday: number | null;
  setActiveMsToday(ms: number): void;
}

const ActivityContext = createContext<ActivityState>({
  reporter: null,
  activeMsToday: null,
  setActiveMsToday: () => {},
});

/** The page's one presence reporter (issue 13.2), and today's active time as the core counts it. */
export function ActivityProvider({ children }: { children: ReactNode }) {
  const { api } = useConnection();
  const [reporter] = useState(
    () =>
      new PresenceReporter(
        async (window, signals) => {
          const r = await api.call('activity.report', { window, signals });
          return r.ok ? r.value.activeMsToday : null;
        },
        crypto.randomUUID(),
        undefined,
        // Sent after the frame the input led to: Enter's report never delays the next task's paint.
        (fn) => void afterNextPaint().then(fn),
      ),
  );
  const [activeMsToday, setActiveMsToday] = useState<number | null>(null);
  useEffect(() => reporter.attach(window), [reporter]);
  useEffect(() => reporter.onActiveToday(setActiveMsToday), [reporter]);
  const value = useMemo(() => ({ reporter, activeMsToday, setActiveMsToday }), [reporter, activeMsToday]);
  return <ActivityContext.Provider value={value}>{children}</ActivityContext.Provider>;
}

export const usePresence = (): PresenceReporter | null => useContext(ActivityContext).reporter;
export const useActiveToday = (): Pick<ActivityState, 'activeMsToday' | 'setActiveMsToday'> =>
  useContext(ActivityContext);
