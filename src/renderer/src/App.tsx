import { useCallback, useMemo, useState, useSyncExternalStore } from 'react';
import type { ReviewView, TaskView } from '../../shared/contract';
import { ModeSwitch } from './features/review/ModeSwitch';
import { ReviewQueueScreen } from './features/review/ReviewQueueScreen';
import { ReviewScreen, type ReviewNavigation } from './features/review/ReviewScreen';
import { modesOf, useReviewRoles, type WorkMode } from './features/review/use-review-roles';
import { QueueScreen } from './features/queue/QueueScreen';
import { StatusBar } from './features/status-bar/StatusBar';
import { SyncDialog } from './features/status-bar/SyncDialog';
import { Dashboard } from './features/dashboard/Dashboard';
import { WindowCarry } from './features/task/editor-carry';
import { TaskScreen, type TaskNavigation } from './features/task/TaskScreen';
import { CheatSheet } from './features/keyboard/CheatSheet';
import { ExportDialog } from './features/export/ExportDialog';
import { useExportJob } from './features/export/use-export';
import { Toasts } from './features/toast/Toasts';
import { showToast } from './features/toast/toast-store';
import { callOrToast, useConnection } from './hooks/api-context';
import { QueueCountsProvider } from './hooks/queue-counts';
import { ActivityProvider } from './features/activity/activity-context';
import { KeyboardProvider, useKeyScope } from './features/keyboard/keyboard-context';
import { appKeys } from './features/keyboard/screen-keys';
import { useNetworkStatus } from './hooks/use-network-status';
import { SessionEnded } from './features/session/SessionEnded';
import { sessionStore } from './features/session/session-store';

type Route =
  | { screen: 'queue' }
  | { screen: 'task'; view: TaskView; seq: number }
  | { screen: 'review'; view: ReviewView; seq: number };

/** The shell: queue or task screen above the status bar; routes are plain state, no router. */
export function App() {
  const [cheatSheet, setCheatSheet] = useState(false);
  const showShortcuts = useCallback(() => setCheatSheet(true), []);
  const ended = useSyncExternalStore(sessionStore.subscribe, sessionStore.snapshot);
  if (ended) return <SessionEnded detail={ended.detail} />;
  return (
    <KeyboardProvider showShortcuts={showShortcuts}>
      <Shell cheatSheet={cheatSheet} setCheatSheet={setCheatSheet} />
    </KeyboardProvider>
  );
}

function Shell({ cheatSheet, setCheatSheet }: { cheatSheet: boolean; setCheatSheet(open: boolean): void }) {
  const { api } = useConnection();
  const [route, setRoute] = useState<Route>({ screen: 'queue' });
  const [navigating, setNavigating] = useState(false);
  const [carry] = useState(() => new WindowCarry());
  const [syncOpen, setSyncOpen] = useState(false);
  const [dashboardOpen, setDashboardOpen] = useState(false);
  const [exportOpen, setExportOpen] = useState(false);
  const exports = useExportJob();
  useNetworkStatus();
  // Annotating or reviewing, by the signed-in person's roles; a person who only reviews starts there.
  const roles = useReviewRoles();
  const offered = modesOf(roles);
  const [chosenMode, setMode] = useState<WorkMode | null>(null);
  const mode: WorkMode =
    chosenMode !== null && offered[chosenMode] ? chosenMode : offered.annotate ? 'annotate' : 'review';
  const modeSwitch = <ModeSwitch mode={mode} offered={offered} onChange={setMode} />;

  const go = useCallback(async (load: () => Promise<TaskView | null | undefined>) => {
    setNavigating(true);
    try {
      const view = await load();
      if (view === undefined) return; // the error is in a toast; stay where we are
      if (view === null) {
        showToast('All tasks are done: nothing left in the queue');
        setRoute({ screen: 'queue' });
      } else setRoute((r) => ({ screen: 'task', view, seq: (r.screen === 'task' ? r.seq : 0) + 1 }));
    } finally {
      setNavigating(false);
    }
  }, []);

  const nav = useMemo<TaskNavigation>(
    () => ({
      next: () => go(() => callOrToast(api, 'tasks.claimNext', {})),
      open: (taskId) => go(() => callOrToast(api, 'tasks.open', { taskId })),
      queue: () => setRoute({ screen: 'queue' }),
    }),
    [api, go],
  );

  const goReview = useCallback(async (load: () => Promise<ReviewView | null | undefined>) => {
    setNavigating(true);
    try {
      const view = await load();
      if (view === undefined) return;
      if (view === null) {
        showToast('Nothing left to review here');
        setRoute({ screen: 'queue' });
      } else setRoute((r) => ({ screen: 'review', view, seq: (r.screen === 'review' ? r.seq : 0) + 1 }));
    } finally {
      setNavigating(false);
    }
  }, []);
  const reviewNav = useMemo<ReviewNavigation>(
    () => ({
      open: (submissionId) => goReview(() => callOrToast(api, 'review.open', { submissionId })),
      next: (after) =>
        goReview(() =>
          callOrToast(api, 'review.next', {
            projectId: after.item.projectId,
            batch: after.item.batch,
            after: after.submission.id,
          }),
        ),
      queue: () => setRoute({ screen: 'queue' }),
    }),
    [api, goReview],
  );

  useKeyScope({
    id: 'app',
    priority: 0,
    title: 'Anywhere',
    table: appKeys,
    ctx: () => ({
      showShortcuts: () => setCheatSheet(true),
      openSync: () => setSyncOpen(true),
      openExport: () => setExportOpen(true),
    }),
  });
  const closeCheatSheet = useCallback(() => setCheatSheet(false), [setCheatSheet]);
  const closeSync = useCallback(() => setSyncOpen(false), []);
  const closeDashboard = useCallback(() => setDashboardOpen(false), []);
  const closeExport = useCallback(() => setExportOpen(false), []);

  return (
    <ActivityProvider>
      <QueueCountsProvider>
        <div className="app" data-screen={route.screen} data-testid="app">
          {route.screen === 'queue' && mode === 'review' ? (
            <ReviewQueueScreen
              roles={roles}
              modeSwitch={modeSwitch}
              onOpen={(id) => void reviewNav.open(id)}
              onStart={(scope) => void goReview(() => callOrToast(api, 'review.next', scope))}
              navigating={navigating}
            />
          ) : route.screen === 'queue' ? (
            <QueueScreen
              onStart={() => void nav.next()}
              onOpen={(id) => void nav.open(id)}
              onExport={() => setExportOpen(true)}
              navigating={navigating}
              modeSwitch={modeSwitch}
            />
          ) : route.screen === 'review' ? (
            <ReviewScreen
              key={`${route.view.submission.id}:${route.seq}`}
              opened={route.view}
              nav={reviewNav}
            />
          ) : (
            <TaskScreen
              key={`${route.view.task.id}:${route.seq}`}
              opened={route.view}
              nav={nav}
              navigating={navigating}
              carry={carry}
            />
          )}
          <StatusBar
            onShowShortcuts={() => setCheatSheet(true)}
            onOpenSync={() => setSyncOpen(true)}
            onOpenDashboard={() => setDashboardOpen(true)}
          />
        </div>
        {cheatSheet && <CheatSheet onClose={closeCheatSheet} />}
        {syncOpen && <SyncDialog onClose={closeSync} />}
        {dashboardOpen && <Dashboard onClose={closeDashboard} />}
        {exportOpen && <ExportDialog onClose={closeExport} exports={exports} />}
        <Toasts />
      </QueueCountsProvider>
    </ActivityProvider>
  );
}
