import { useEffect, useState, useSyncExternalStore } from 'react';
import { callErrorWords, type AppErrorShape, type TaskView } from '../../../../shared/contract';
import { useConnection } from '../../hooks/api-context';
import { usePresence } from '../activity/activity-context';
import { showToast } from '../toast/toast-store';
import { TaskSession } from './task-session';

const report = (what: string, e: AppErrorShape) => {
  const { words, detail } = callErrorWords('task', e, what);
  showToast(words, 'error', detail ?? undefined);
};

/** The TaskSession of the open task, its state as React state, and its lifecycle hooks. */
export const useTaskSession = (opened: TaskView) => {
  const { api } = useConnection();
  const presence = usePresence();
  const [session] = useState(
    () => new TaskSession(api, opened, report, () => presence?.flush() ?? Promise.resolve()),
  );
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot);

  useEffect(() => {
    // Active time counts to the task open on screen (the core derives it from these signals).
    presence?.task(opened.task.id);
    // Closing the window or leaving the screen any other way still saves what is pending.
    window.addEventListener('pagehide', session.flush);
    return () => {
      presence?.task(null);
      window.removeEventListener('pagehide', session.flush);
      session.flush();
    };
  }, [session, presence, opened.task.id]);

  // The same task answered again by the core (its claim after a prepared open): newer state.
  useEffect(() => session.adopt(opened), [session, opened]);

  return { session, ...snapshot };
};
