import { useCallback, useEffect, useLayoutEffect, useState } from 'react';
import { checkCompleteness, describeDelivery, missingInWords } from '../../../../shared/model';
import { DeliveryPill } from '../sync/DeliveryPill';
import type { TaskView } from '../../../../shared/contract';
import { callOrToast, useConnection } from '../../hooks/api-context';
import { useRefreshCounts } from '../../hooks/queue-counts';
import { useKeyScope } from '../keyboard/keyboard-context';
import { taskKeys } from '../keyboard/screen-keys';
import { ReleaseButton } from '../queue/ReleaseButton';
import { LeaseExpiry } from '../sync';
import { useNow } from '../sync/use-sync-state';
import { showToast } from '../toast/toast-store';
import type { SaveState } from './autosave';
import { renderEditor } from './editor-registry';
import { type HistoryStep, historyStep } from './history-nav';
import type { WindowCarry } from './editor-carry';
import type { ImageRefetch } from '../../editor/types';
import { SidePanelContext, SlotPlacer, useSidePanelSlot } from './side-panel';
import { afterNextPaint } from './after-paint';
import { taskTitle } from './task-title';
import { useTaskSession } from './use-task-session';
import { ReworkHistory, ReworkPanel } from '../review/ReworkPanel';
import { useRework } from '../review/use-rework';

export interface TaskNavigation {
  /**
   * Open the next task: the one prepared after `from` (the task being left) at once when there is
   * one, else claim the next (or go to the queue when none is left).
   */
  next(from?: string): Promise<void>;
  /** Open a task (a finished one from history): at once when it is prepared. */
  open(taskId: string): Promise<void>;
  queue(): void;
  /** Whether Enter from `from` has a prepared task to show (then finishing runs in the background). */
  hasNext(from: string): boolean;
  /** Where ← / → lead from `from`, as last read; null when not known yet. */
  step(from: string, direction: 'back' | 'forward'): HistoryStep | null;
  isPrepared(taskId: string): boolean;
  /** Tracks a write left running in the background (reads that must see it wait for it). */
  background<T>(p: Promise<T>): Promise<T>;
  /** Prepare what the open task leads to (the next tasks, ← and →). */
  prepareFrom(taskId: string): void;
  /** A task left with work its background finish could not write: `save` writes it. */
  keepUnsaved(taskId: string, save: () => Promise<boolean>): void;
  /** Every background write so far has landed (reads that must see them wait for it). */
  settled(): Promise<void>;
}

/** After opening a task, how long preparing the next ones waits (the open task draws first). */
const PREPARE_AFTER_MS = 150;
/** Queue changes (sync, autosave) re-plan at most this often. */
const PREPARE_DEBOUNCE_MS = 1_000;

/** How long the second Enter of an empty submission counts as deliberate. */
const EMPTY_CONFIRM_MS = 4_000;

const saveLabel: Record<SaveState, string> = {
  idle: '',
  pending: 'Unsaved',
  saving: 'Saving…',
  saved: 'Saved',
  error: 'Not saved',
};

const statusLabel: Record<TaskView['status'], string> = {
  queued: 'Queued',
  in_progress: 'In progress',
  submitted: 'Submitted',
  skipped: 'Skipped',
};

export function TaskScreen({
  opened,
  nav,
  navigating,
  carry,
  prepared = false,
}: {
  opened: TaskView;
  /** Shown from its prepared copy (the benchmark and tests read it as data-opened-from). */
  prepared?: boolean;
  nav: TaskNavigation;
  navigating: boolean;
  /** Clipboard and the task left last, kept by the App across tasks. */
  carry: WindowCarry;
}) {
  const { api, assetUrl } = useConnection();
  const onAssetReady = useCallback(
    (sha256: string, listener: () => void) =>
      api.on('sync.assetReady', (e) => {
        if (e.sha256 === sha256) listener();
      }),
    [api],
  );
  const { session, view, saveState } = useTaskSession(opened);
  // The screen's first commit (the next-task bench reads the time from Enter to here).
  useLayoutEffect(() => void performance.mark('next-task:commit'), []);
  const refreshCounts = useRefreshCounts();
  // A task sent back by a reviewer: the comments beside what they point at, and its history.
  const rework = useRework(opened.task.id, opened.delivery.fromHub, session.initial);
  const [panelSlot, attachPanel, panelHostId] = useSidePanelSlot();
  const config = view.project.labelConfig;
  const now = useNow();
  const unfinished = view.status === 'queued' || view.status === 'in_progress';
  const refetchImage = useCallback(async (): Promise<ImageRefetch> => {
    const r = await api.call('tasks.refetchImage', { taskId: view.task.id });
    return r.ok ? r.value : { status: 'unavailable', detail: r.error.message };
  }, [api, view.task.id]);
  // The notice under the header; an "empty" one also arms the deliberate second Enter until `until`.
  const [notice, setNotice] = useState<{ text: string; kind: 'incomplete' | 'empty'; until: number } | null>(
    null,
  );
  const taskId = view.task.id;
  // A sync that answers this task's submission while it is open (refused, flagged, delivered)
  // changes what the header says: read its delivery record again when the counts move.
  useEffect(() => {
    let seen = '';
    return api.on('sync.stateChanged', (s) => {
      const key = `${s.refused}:${s.conflicts.length}:${s.unsynced}`;
      if (key === seen) return;
      seen = key;
      void session.refreshDelivery();
    });
  }, [api, session]);
  const [editorCarry] = useState(() => carry.forTask(taskId, view.project.id));
  // Leaving the task (any way) makes it the "previous task" of the next one.
  useEffect(() => () => carry.left(taskId, session.annotation), [carry, taskId, session]);

  /**
   * Submit or skip, then the next task. With the next task prepared, it is shown at once and the
   * write runs in the background: a failure is still reported the moment it happens (the session
   * keeps the work as a draft, retried until it is saved), and the task waits in the queue.
   */
  const finish = async (action: () => Promise<'done' | 'failed'>, what: 'submitted' | 'skipped') => {
    if (session.finishing) return;
    if (!nav.hasNext(taskId)) {
      if ((await action()) !== 'done') return;
      refreshCounts();
      await nav.next();
      return;
    }
    const title = taskTitle(view.task);
    // Written once the next task is painted: its requests (presence, then the submit) are a few
    // ms of main-thread work the switch does not wait for.
    void nav.background(afterNextPaint().then(action)).then((outcome) => {
      refreshCounts();
      if (outcome !== 'failed') return;
      // Its work waits in this session's draft: written before the task is read again.
      nav.keepUnsaved(taskId, async () => (await session.leave()) === 'done');
      showToast(`"${title}" was not ${what}: it stays in your queue with its work kept.`, 'error');
    });
    await nav.next(taskId);
  };
  const submit = async () => {
    // Nothing empty by accident (issue 16.4): the config's rules first, then a second Enter for
    // an empty submission. The same action (Enter or the button) is the deliberate second key.
    if (unfinished) {
      const check = checkCompleteness(view.project.labelConfig, session.annotation);
      if (check.kind === 'incomplete') {
        setNotice({ text: missingInWords(check.missing), kind: 'incomplete', until: 0 });
        return;
      }
      const armed = notice?.kind === 'empty' && Date.now() <= notice.until;
      if (check.kind === 'empty' && !armed) {
        setNotice({
          until: Date.now() + EMPTY_CONFIRM_MS,
          text: `Nothing is labeled on this task. Press Enter again within ${EMPTY_CONFIRM_MS / 1000} seconds to submit it empty.`,
          kind: 'empty',
        });
        return;
      }
    }
    setNotice(null);
    await finish(session.submit, 'submitted');
  };
  const skip = () => finish(session.skip, 'skipped');

  const move = async (direction: 'back' | 'forward') => {
    let step = nav.step(taskId, direction);
    if (!step) {
      // The finish just written behind the switch (started after its paint) is part of history.
      await nav.settled();
      const history = await callOrToast(api, 'tasks.history', { limit: 500 });
      if (!history) return;
      step = historyStep(history, taskId, direction);
    }
    if (step.kind === 'none') {
      showToast(direction === 'back' ? 'No earlier task in your history' : 'This is your current task');
      return;
    }
    const target = step.kind === 'next' ? null : step.taskId;
    const prepared = target ? nav.isPrepared(target) : nav.hasNext(taskId);
    // A prepared task opens at once; the draft of this one is saved on the way (and retried).
    if (prepared) void nav.background(session.leave());
    else if ((await session.leave()) !== 'done') return;
    await (target === null ? nav.next(taskId) : nav.open(target));
  };
  const toQueue = async () => {
    if ((await session.leave()) === 'done') nav.queue();
  };

  // Prepare what this task leads to once it is on screen, and again when the queue changes.
  useEffect(() => {
    let timer = setTimeout(() => nav.prepareFrom(taskId), PREPARE_AFTER_MS);
    const again = () => {
      clearTimeout(timer);
      timer = setTimeout(() => nav.prepareFrom(taskId), PREPARE_DEBOUNCE_MS);
    };
    const offQueue = api.on('queue.changed', again);
    const offAsset = api.on('sync.assetReady', again);
    return () => {
      clearTimeout(timer);
      offQueue();
      offAsset();
    };
  }, [api, nav, taskId]);

  useKeyScope({
    id: 'task',
    priority: 10,
    title: 'Task',
    table: taskKeys,
    ctx: () => ({
      submit: () => void submit(),
      skip: () => void skip(),
      move: (d: 'back' | 'forward') => void move(d),
      busy: navigating,
    }),
  });

  return (
    <div
      className="task-screen"
      data-testid="task-screen"
      data-task-id={view.task.id}
      data-status={view.status}
      data-save-state={saveState}
      data-state={navigating ? 'busy' : 'ready'}
      data-opened-from={prepared ? 'prepared' : 'core'}
    >
      <header className="topbar">
        <button
          type="button"
          className="button ghost"
          onClick={() => void toQueue()}
          title="Back to the queue"
        >
          ← Queue
        </button>
        <div className="task-heading">
          <h1 className="task-title" data-testid="task-title">
            {taskTitle(view.task)}
          </h1>
          <span className="muted">{view.project.name}</span>
        </div>
        {/* The task's badges together: status (refused work is not "Submitted": the delivery pill
            alone says what happened), delivery, the lease's end; the save state after them. */}
        <span className="task-badges" data-testid="task-badges">
          {describeDelivery(view.delivery, view.status).state !== 'refused' && (
            <span className={`pill pill-${view.status}`} data-testid="task-status">
              {statusLabel[view.status]}
            </span>
          )}
          <DeliveryPill record={view.delivery} status={view.status} />
          {unfinished && <LeaseExpiry expiresAt={view.leaseExpiresAt} now={now} />}
        </span>
        <span className={`save-state save-${saveState}`} data-testid="save-state" aria-live="polite">
          {saveLabel[saveState]}
        </span>
        <span className="topbar-spacer" />
        {unfinished && view.leaseExpiresAt !== null && (
          <ReleaseButton taskId={view.task.id} beforeRelease={session.leave} onReleased={nav.queue} />
        )}
        <button
          type="button"
          className="button"
          onClick={() => void move('back')}
          title="Previous task (←)"
          aria-label="Previous task"
        >
          ←
        </button>
        <button
          type="button"
          className="button"
          onClick={() => void move('forward')}
          title="Forward (→)"
          aria-label="Forward"
        >
          →
        </button>
        {/* A finished task is not submitted or skipped again from here: changing it is what
            reopens it (and Enter then sends the change). */}
        {unfinished && (
          <>
            <button type="button" className="button" onClick={() => void skip()} data-testid="skip">
              Skip <kbd>Esc</kbd>
            </button>
            <button
              type="button"
              className="button primary"
              onClick={() => void submit()}
              data-testid="submit"
            >
              Submit <kbd>Enter</kbd>
            </button>
          </>
        )}
      </header>
      <p
        className={`submit-notice${notice ? ` submit-notice-${notice.kind}` : ''}`}
        data-testid="submit-notice"
        data-kind={notice?.kind ?? ''}
        role="alert"
        hidden={notice === null}
      >
        {notice?.text}
      </p>
      <div className="task-body">
        <main className="editor-area" data-testid="editor-area">
          <SlotPlacer slot={panelSlot} hostId={panelHostId} />
          <SidePanelContext.Provider value={panelSlot}>
            {renderEditor({
              view,
              initial: session.initial,
              onChange: session.change,
              onSubmit: () => void submit(),
              assetUrl,
              onAssetReady,
              ...(unfinished ? {} : { refetchImage }),
              carry: editorCarry,
              ...(rework.marks ? { review: rework.marks } : {}),
            })}
          </SidePanelContext.Provider>
        </main>
        <aside className="side-panel" data-testid="side-panel" aria-labelledby="side-panel-heading">
          {/* The panel's sections are h3s: this h2 keeps the heading order (h1 title, h2, h3). */}
          <h2 id="side-panel-heading" className="sr-only">
            Labels and details
          </h2>
          <ReworkPanel rework={rework} opened={session.initial} />
          <div id={panelHostId} ref={attachPanel} className="side-panel-slot" />
          <ReworkHistory rework={rework} />
          {config.instructions && (
            <section className="panel-section">
              <h3 className="panel-title">Instructions</h3>
              <p className="instructions">{config.instructions}</p>
            </section>
          )}
        </aside>
      </div>
    </div>
  );
}
