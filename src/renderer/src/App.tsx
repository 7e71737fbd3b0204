import {
  startTransition,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import type { ReviewView, TaskView } from '../../shared/contract';
import { ModeSwitch } from './features/review/ModeSwitch';
import { ReviewQueueScreen } from './features/review/ReviewQueueScreen';
import { ReviewPreparer } from './features/review/review-preparer';
import { afterNextPaint } from './features/task/after-paint';
import { ReviewScreen, type ReviewNavigation } from './features/review/ReviewScreen';
import { modesOf, useReviewRoles, type WorkMode } from './features/review/use-review-roles';
import { QueueScreen } from './features/queue/QueueScreen';
import { StatusBar } from './features/status-bar/StatusBar';
import { SyncDialog } from './features/status-bar/SyncDialog';
import { Dashboard } from './features/dashboard/Dashboard';
import { WindowCarry } from './features/task/editor-carry';
import { PendingWrites } from './features/task/pending-writes';
import { PrepareCache } from './features/task/prepare-cache';
import { taskAssets } from './features/task/task-assets';
import { TaskPreparer } from './features/task/task-preparer';
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

/** `prepared`: the task was shown from its prepared copy (no read on the way). */
type Route =
  | { screen: 'queue' }
  | { screen: 'task'; view: TaskView; seq: number; prepared?: boolean }
  | { screen: 'review'; view: ReviewView; seq: number; prepared?: boolean };

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
  const { api, assetUrl } = useConnection();
  const [route, setRoute] = useState<Route>({ screen: 'queue' });
  const [navigating, setNavigating] = useState(false);
  const [carry] = useState(() => new WindowCarry());
  const [syncOpen, setSyncOpen] = useState(false);
  const [dashboardOpen, setDashboardOpen] = useState(false);
  const appRef = useRef<HTMLDivElement>(null);
  const [writes] = useState(() => new PendingWrites());
  const [preparer] = useState(
    () => new TaskPreparer(api, new PrepareCache(taskAssets(assetUrl)), () => writes.settled()),
  );
  const [reviewPreparer] = useState(() => new ReviewPreparer(api, new PrepareCache(taskAssets(assetUrl))));
  // The prepared tasks' memory, on the app element for the benchmark and the curious.
  useEffect(
    () =>
      preparer.cache.subscribe(() => {
        const el = appRef.current;
        if (!el) return;
        const s = preparer.cache.stats();
        el.dataset.preparedTasks = `${s.ready}/${s.entries}`;
        el.dataset.preparedBytes = String(s.bytes);
        el.dataset.prepareBudget = String(s.budgetBytes);
        el.dataset.preparedFor = preparer.plannedFor ?? '';
      }),
    [preparer],
  );
  useEffect(
    () =>
      reviewPreparer.cache.subscribe(() => {
        const s = reviewPreparer.cache.stats();
        if (appRef.current) appRef.current.dataset.preparedReviews = `${s.ready}/${s.entries}`;
      }),
    [reviewPreparer],
  );
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
  useEffect(() => () => preparer.cache.clear(), [preparer]);
  useEffect(() => () => reviewPreparer.cache.clear(), [reviewPreparer]);
  // Another workspace (hub) in use: nothing prepared from the last one may be shown.
  useEffect(() => {
    let active: string | null = null;
    return api.on('workspaces.changed', (list) => {
      if (active !== null && list.activeId !== active) {
        preparer.forget();
        preparer.cache.clear();
        reviewPreparer.forget();
        reviewPreparer.cache.clear();
      }
      active = list.activeId;
    });
  }, [api, preparer, reviewPreparer]);

  const show = useCallback(
    (view: TaskView, prepared = false) => (
      performance.mark('next-task:route'),
      setRoute((r) => ({ screen: 'task', view, prepared, seq: (r.screen === 'task' ? r.seq : 0) + 1 }))
    ),
    [],
  );

  const go = useCallback(
    async (load: () => Promise<TaskView | null | undefined>) => {
      setNavigating(true);
      preparer.forget();
      try {
        const view = await load();
        if (view === undefined) return; // the error is in a toast; stay where we are
        if (view === null) {
          showToast('All tasks are done: nothing left in the queue');
          setRoute({ screen: 'queue' });
          // Not prepared: its screen renders in slices (a transition), so opening it never holds
          // the main thread for long; the image's fetch and decode start as the view arrives.
        } else startTransition(() => show(view));
      } finally {
        setNavigating(false);
      }
    },
    [preparer, show],
  );

  /**
   * The task on screen came from its prepared copy: claim it now (after it is shown). The answer
   * refreshes its status in place; if the task was taken away meanwhile, the claim's task opens.
   */
  const claimShown = useCallback(
    async (shown: TaskView) => {
      const v = await callOrToast(api, 'tasks.claimNext', { taskId: shown.task.id });
      if (v === undefined) return;
      setRoute((r) => {
        if (r.screen !== 'task' || r.view.task.id !== shown.task.id) return r; // moved on already
        if (v === null) {
          showToast('This task is no longer in your queue, and nothing is left');
          return { screen: 'queue' };
        }
        if (v.task.id === shown.task.id) return { ...r, view: v };
        showToast('That task is no longer in your queue: opened the next one');
        return { screen: 'task', view: v, seq: r.seq + 1 };
      });
    },
    [api],
  );

  /**
   * A finished or listed task shown from its prepared copy: read it again after it is shown, so
   * a change since it was prepared (claimed elsewhere, delivered, refused) is what the screen says.
   */
  const refreshShown = useCallback(
    async (shown: TaskView) => {
      const v = await callOrToast(api, 'tasks.open', { taskId: shown.task.id });
      if (!v) return;
      setRoute((r) => (r.screen === 'task' && r.view.task.id === v.task.id ? { ...r, view: v } : r));
    },
    [api],
  );

  const nav = useMemo<TaskNavigation>(
    () => ({
      next: (from) => {
        // takeNext carries the plan over to the task it hands out (it is not forgotten here).
        const taken = from ? preparer.takeNext(from) : null;
        // Prepared before its work was written (a failed background submit): read it again.
        const prepared = taken && !writes.hasUnsaved(taken.view.task.id) ? taken : null;
        if (prepared) {
          show(prepared.view, true);
          // Claimed once it is on screen: the request costs a few ms the switch should not wait for.
          void afterNextPaint().then(() => claimShown(prepared.view));
          return Promise.resolve();
        }
        // claimNext resumes a task in progress: a submit still on its way must land first.
        return go(async () => (await writes.settled(), callOrToast(api, 'tasks.claimNext', {})));
      },
      open: (taskId) => {
        // Work of this task not written yet (a failed background submit): written, then read.
        if (writes.hasUnsaved(taskId))
          return go(async () => (await writes.settled(), callOrToast(api, 'tasks.open', { taskId })));
        const prepared = preparer.take(taskId);
        if (prepared) {
          preparer.forget();
          show(prepared.view, true);
          void afterNextPaint().then(() => refreshShown(prepared.view));
          return Promise.resolve();
        }
        return go(() => callOrToast(api, 'tasks.open', { taskId }));
      },
      queue: () => {
        preparer.forget();
        setRoute({ screen: 'queue' });
      },
      hasNext: (from) => preparer.hasNext(from),
      step: (from, direction) => preparer.step(from, direction),
      isPrepared: (taskId) => preparer.cache.has(taskId),
      background: (p) => writes.track(p),
      prepareFrom: (taskId) => void preparer.refresh(taskId),
      keepUnsaved: (taskId, save) => writes.keepUnsaved(taskId, save),
      settled: () => writes.settled(),
    }),
    [api, go, show, claimShown, refreshShown, preparer, writes],
  );

  const showReview = useCallback(
    (view: ReviewView, prepared = false) =>
      setRoute((r) => ({
        screen: 'review',
        view,
        prepared,
        seq: (r.screen === 'review' ? r.seq : 0) + 1,
      })),
    [],
  );
  const goReview = useCallback(
    async (load: () => Promise<ReviewView | null | undefined>) => {
      setNavigating(true);
      reviewPreparer.forget();
      // Reviewing now: the annotation side's prepared tasks give their memory back.
      preparer.forget();
      preparer.cache.clear();
      try {
        const view = await load();
        if (view === undefined) return;
        if (view === null) {
          showToast('Nothing left to review here');
          setRoute({ screen: 'queue' });
        } else showReview(view);
      } finally {
        setNavigating(false);
      }
    },
    [preparer, reviewPreparer, showReview],
  );
  /** A review item shown from its prepared copy is read again once shown (decided elsewhere, lease renewed). */
  const refreshReview = useCallback(
    async (shown: ReviewView) => {
      const v = await callOrToast(api, 'review.open', { submissionId: shown.submission.id });
      if (!v) return;
      setRoute((r) =>
        r.screen === 'review' && r.view.submission.id === v.submission.id ? { ...r, view: v } : r,
      );
    },
    [api],
  );
  const reviewNav = useMemo<ReviewNavigation>(
    () => ({
      open: (submissionId) => goReview(() => callOrToast(api, 'review.open', { submissionId })),
      next: (after) => {
        const prepared = reviewPreparer.takeNext(after.submission.id);
        if (prepared) {
          reviewPreparer.forget();
          showReview(prepared.view, true);
          // Read again once it is painted: the first frame does not wait on the core.
          void afterNextPaint().then(() => refreshReview(prepared.view));
          return Promise.resolve();
        }
        return goReview(async () => {
          // A verdict still on its way must land first: the next pending item is read after it.
          await writes.settled();
          return callOrToast(api, 'review.next', {
            projectId: after.item.projectId,
            batch: after.item.batch,
            after: after.submission.id,
          });
        });
      },
      queue: () => {
        reviewPreparer.forget();
        reviewPreparer.cache.clear();
        setRoute({ screen: 'queue' });
      },
      hasNext: (fromId) => reviewPreparer.hasNext(fromId),
      background: (p) => writes.track(p),
      prepareFrom: (view) => void reviewPreparer.refresh(view),
    }),
    [api, goReview, showReview, refreshReview, reviewPreparer, writes],
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
        <div className="app" data-screen={route.screen} data-testid="app" ref={appRef}>
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
              prepared={route.prepared ?? false}
            />
          ) : (
            <TaskScreen
              key={`${route.view.task.id}:${route.seq}`}
              opened={route.view}
              nav={nav}
              navigating={navigating}
              carry={carry}
              prepared={route.prepared ?? false}
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
