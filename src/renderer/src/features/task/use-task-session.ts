import { useEffect, useState, useSyncExternalStore } from 'react';
import { callErrorWords, type AppErrorShape, type TaskView } from '../../../../shared/contract';
import { useConnection } from '../../hooks/api-context';
import { showToast } from '../toast/toast-store';
import { TaskSession } from './task-session';

const report = (what: string, e: AppErrorShape) => {
  const { words, detail } = callErrorWords('task', e, what);
  showToast(words, 'error', detail ?? undefined);
};

/** The TaskSession of the open task, its state as React state, and its lifecycle hooks. */
export const useTaskSession = (opened: TaskView) => {
  const { api } = useConnection();
  const [session] = useState(() => new TaskSession(api, opened, report));
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot);

  useEffect(() => {
    const kinds = ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const;
    session.touch();
    for (const k of kinds) window.addEventListener(k, session.touch, { passive: true });
    // Closing the window or leaving the screen any other way still saves what is pending.
    window.addEventListener('pagehide', session.flush);
    return () => {
      for (const k of kinds) window.removeEventListener(k, session.touch);
      window.removeEventListener('pagehide', session.flush);
      session.flush();
    };
  }, [session]);

  return { session, ...snapshot };
};
