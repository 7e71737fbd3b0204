import { useCallback, useEffect, useState } from 'react';
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
import { historyStep } from './history-nav';
import type { WindowCarry } from './editor-carry';
import type { ImageRefetch } from '../../editor/types';
import { SidePanelContext } from './side-panel';
import { taskTitle } from './task-title';
import { useTaskSession } from './use-task-session';

export interface TaskNavigation {
  /** Claim and open the next task (or go to the queue when none is left). */
  next(): Promise<void>;
  open(taskId: string): Promise<void>;
  queue(): void;
}

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
}: {
  opened: TaskView;
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
  const refreshCounts = useRefreshCounts();
  const [panel, setPanel] = useState<HTMLElement | null>(null);
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
  const [editorCarry] = useState(() => carry.forTask(taskId));
  // Leaving the task (any way) makes it the "previous task" of the next one.
  useEffect(() => () => carry.left(taskId, session.annotation), [carry, taskId, session]);

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
    if ((await session.submit()) !== 'done') return;
    refreshCounts();
    await nav.next();
  };
  const skip = async () => {
    if ((await session.skip()) !== 'done') return;
    refreshCounts();
    await nav.next();
  };
  const move = async (direction: 'back' | 'forward') => {
    const history = await callOrToast(api, 'tasks.history', { limit: 500 });
    if (!history) return;
    const step = historyStep(history, view.task.id, direction);
    if (step.kind === 'none') {
      showToast(direction === 'back' ? 'No earlier task in your history' : 'This is your current task');
      return;
    }
    if ((await session.leave()) !== 'done') return;
    await (step.kind === 'next' ? nav.next() : nav.open(step.taskId));
  };
  const toQueue = async () => {
    if ((await session.leave()) === 'done') nav.queue();
  };

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
        {/* Refused work is not "Submitted": the delivery pill alone says what happened. */}
        {describeDelivery(view.delivery, view.status).state !== 'refused' && (
          <span className={`pill pill-${view.status}`} data-testid="task-status">
            {statusLabel[view.status]}
          </span>
        )}
        <DeliveryPill record={view.delivery} status={view.status} />
        <span className={`save-state save-${saveState}`} data-testid="save-state" aria-live="polite">
          {saveLabel[saveState]}
        </span>
        {unfinished && <LeaseExpiry expiresAt={view.leaseExpiresAt} now={now} />}
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
        <button type="button" className="button" onClick={() => void skip()} data-testid="skip">
          Skip <kbd>Esc</kbd>
        </button>
        <button type="button" className="button primary" onClick={() => void submit()} data-testid="submit">
          Submit <kbd>Enter</kbd>
        </button>
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
          <SidePanelContext.Provider value={panel}>
            {renderEditor({
              view,
              initial: session.initial,
              onChange: session.change,
              onSubmit: () => void submit(),
              assetUrl,
              onAssetReady,
              ...(unfinished ? {} : { refetchImage }),
              carry: editorCarry,
            })}
          </SidePanelContext.Provider>
        </main>
        <aside className="side-panel" data-testid="side-panel" aria-labelledby="side-panel-heading">
          {/* The panel's sections are h3s: this h2 keeps the heading order (h1 title, h2, h3). */}
          <h2 id="side-panel-heading" className="sr-only">
            Labels and details
          </h2>
          <div ref={setPanel} className="side-panel-editor" />
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
