import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ReviewView, VerdictGiven } from '../../../../shared/contract';
import type { Annotation } from '../../../../shared/model';
import type { ReviewComment } from '../../../../shared/sync/review';
import { diffAnnotations, pinsFor, targetInWords } from '../../../../shared/review';
import type { EditorSelection, ReviewMarks } from '../../editor/review-marks';
import { callOrToast, useConnection } from '../../hooks/api-context';
import { usePresence } from '../activity/activity-context';
import { useKeyScope } from '../keyboard/keyboard-context';
import { editors } from '../task/editor-registry';
import { SidePanelContext } from '../task/side-panel';
import { taskTitle } from '../task/task-title';
import { formatDuration } from '../status-bar/format';
import { showToast } from '../toast/toast-store';
import { HistoryPanel } from './HistoryPanel';
import { ReviewActions } from './ReviewActions';
import { DiffSummary, PinnedComments } from './ReviewComments';
import { CommentDialog, RejectDialog } from './ReviewDialogs';
import { reviewKeys } from './review-keys';
import { afterNextPaint } from '../task/after-paint';
import {
  deliveryWords,
  commentTarget,
  fixStart,
  reviewTaskView,
  statusWords,
  versionLabel,
} from './review-model';
import './review.css';

export interface ReviewNavigation {
  open(submissionId: string): Promise<void>;
  /**
   * The next item waiting for a verdict after `after` (same project and batch), else the queue;
   * from its prepared copy when there is one.
   */
  next(after: ReviewView): Promise<void>;
  queue(): void;
  /** Whether `next` from `fromId` has a prepared item to show (then the verdict runs in the background). */
  hasNext(fromId: string): boolean;
  /** Tracks a verdict left running in the background (a later `next` read waits for it). */
  background<T>(p: Promise<T>): Promise<T>;
  /** Prepares the items the open one leads to. */
  prepareFrom(view: ReviewView): void;
}

/** As on the task screen: prepare once the item is drawn, and again when the queue settles. */
const PREPARE_AFTER_MS = 150;
const PREPARE_DEBOUNCE_MS = 1_000;

/**
 * One review item: the version under review in its editor, read only (editable while fixing),
 * the diff to the previous version (D), pinned comments (C), and the verdict keys — A accept,
 * E fix & accept (Enter saves), R reject, N next — with the task's history beside it.
 */
export function ReviewScreen({
  opened,
  nav,
  prepared = false,
}: {
  opened: ReviewView;
  nav: ReviewNavigation;
  /** Shown from its prepared copy (the benchmark and tests read it as data-opened-from). */
  prepared?: boolean;
}) {
  const { api, assetUrl } = useConnection();
  const presence = usePresence();
  const view = opened;
  const sub = view.submission;
  const decided = view.item.status !== 'pending';
  const [panel, setPanel] = useState<HTMLElement | null>(null);
  const [comments, setComments] = useState<ReviewComment[]>(() => view.draft?.comments ?? []);
  const [showDiff, setShowDiff] = useState(view.previous !== null);
  const [activePin, setActivePin] = useState<number | null>(null);
  const [selection, setSelection] = useState<EditorSelection | null>(null);
  /** The annotation a fix started from; null while not fixing. */
  const [fixFrom, setFixFrom] = useState<Annotation | null>(null);
  const fixing = fixFrom !== null;
  const [dialog, setDialog] = useState<'reject' | 'comment' | null>(null);
  const [busy, setBusy] = useState(false);
  const fixed = useRef<Annotation>(fixStart(view));
  // The latest comments for saves made from stable callbacks (the fixing editor's onChange).
  const commentsRef = useRef(comments);
  useEffect(() => {
    commentsRef.current = comments;
  }, [comments]);
  const taskId = view.task.id;

  // Active time is the core's (its activity recorder), counted to the task open on screen.
  useEffect(() => {
    presence?.task(taskId);
    return () => presence?.task(null);
  }, [presence, taskId]);

  // Prepare the next items once this one is on screen, and again when the review queue changes.
  const viewRef = useRef(view);
  useEffect(() => {
    viewRef.current = view;
  }, [view]);
  useEffect(() => {
    let timer = setTimeout(() => nav.prepareFrom(viewRef.current), PREPARE_AFTER_MS);
    const off = api.on('review.changed', () => {
      clearTimeout(timer);
      timer = setTimeout(() => nav.prepareFrom(viewRef.current), PREPARE_DEBOUNCE_MS);
    });
    return () => {
      clearTimeout(timer);
      off();
    };
  }, [api, nav, sub.id]);

  const onAssetReady = useCallback(
    (sha256: string, listener: () => void) =>
      api.on('sync.assetReady', (e) => {
        if (e.sha256 === sha256) listener();
      }),
    [api],
  );

  const taskView = useMemo(() => reviewTaskView(view), [view]);
  const Editor = editors[view.task.data.kind];
  const diff = useMemo(
    () => (view.previous ? diffAnnotations(view.previous.annotation.results, sub.annotation.results) : null),
    [view.previous, sub],
  );
  const pins = useMemo(() => pinsFor(comments, sub.annotation.results), [comments, sub]);
  const marks = useMemo<ReviewMarks>(
    () => ({ diff, showDiff: showDiff && !fixing, pins, activePin }),
    [diff, showDiff, fixing, pins, activePin],
  );

  // Comments and a fix in progress are saved as they change: a crash or restart loses nothing.
  const save = useCallback(
    (next: { comments?: ReviewComment[]; annotation?: Annotation }) => {
      void callOrToast(api, 'review.saveDraft', {
        submissionId: sub.id,
        draft: {
          comments: next.comments ?? commentsRef.current,
          ...(next.annotation ? { annotation: next.annotation } : {}),
        },
      });
    },
    [api, sub.id],
  );

  /**
   * A verdict, then the next item. The presence reports so far go first, so the core counts the
   * time up to the key press. With the next item prepared it is shown at once and the verdict is
   * written in the background (a failure is still reported; the item stays pending in the queue).
   */
  const run = async (give: () => Promise<VerdictGiven | undefined>, words: string) => {
    if (busy || decided) return;
    const title = taskTitle(view.task);
    const flushed = () => presence?.flush() ?? Promise.resolve();
    if (nav.hasNext(sub.id)) {
      // Written once the next item is painted: its first frame does not share the machine with
      // the verdict's transaction. The reports so far (the key press included) still go first.
      const given = nav.background(afterNextPaint().then(flushed).then(give));
      void given.then((g) => {
        if (g) showToast(`${words}: ${title} (waiting to send)`);
        else showToast(`The verdict on "${title}" was not saved: it is still waiting in the queue.`, 'error');
      });
      await nav.next(view);
      return;
    }
    setBusy(true);
    try {
      const g = await flushed().then(give);
      if (!g) return;
      showToast(`${words}: ${title} (waiting to send)`);
      if (g.nextSubmissionId) await nav.open(g.nextSubmissionId);
      else {
        showToast('No more items waiting for a verdict in this batch');
        nav.queue();
      }
    } finally {
      setBusy(false);
    }
  };
  const accept = () =>
    void run(() => callOrToast(api, 'review.accept', { submissionId: sub.id, comments }), 'Accepted');
  const saveFix = () =>
    void run(
      () => callOrToast(api, 'review.fix', { submissionId: sub.id, comments, annotation: fixed.current }),
      'Fixed & accepted',
    );
  const reject = (reason: string, note: string) =>
    void run(
      () =>
        callOrToast(api, 'review.reject', {
          submissionId: sub.id,
          comments,
          reason,
          ...(note ? { note } : {}),
        }),
      'Rejected',
    );

  const startFix = () => setFixFrom(fixed.current);
  const addComment = (text: string, onPoint: boolean) => {
    const sel = selection && !onPoint ? { ...selection, keypoint: undefined } : selection;
    const next = [...comments, { target: commentTarget(sel), text }];
    setComments(next);
    setActivePin(next.length);
    save({ comments: next });
    setDialog(null);
  };
  const removeComment = (n: number) => {
    const next = comments.filter((_, i) => i !== n - 1);
    setComments(next);
    setActivePin(null);
    save({ comments: next });
  };

  useKeyScope({
    id: 'review',
    priority: 10,
    title: 'Review',
    table: reviewKeys,
    ctx: () => ({
      accept,
      fix: () => !decided && startFix(),
      saveFix,
      reject: () => !decided && setDialog('reject'),
      comment: () => !decided && setDialog('comment'),
      next: () => void nav.next(view),
      toggleDiff: () => diff !== null && setShowDiff((s) => !s),
      queue: nav.queue,
      fixing,
      busy: busy || decided,
    }),
  });

  // The selection names what a comment points at; a keypoint set offers its active point too.
  const selWords = useMemo(() => {
    if (!selection) return { target: 'the whole task', point: null };
    const pin = pinsFor(
      [{ target: commentTarget({ ...selection, keypoint: undefined }), text: '-' }],
      sub.annotation.results,
    )[0]!;
    const point =
      selection.keypoint !== undefined
        ? targetInWords(
            pinsFor([{ target: commentTarget(selection), text: '-' }], sub.annotation.results)[0]!,
            sub.annotation.results,
          )
        : null;
    return { target: targetInWords(pin, sub.annotation.results), point };
  }, [selection, sub]);

  const saveFixRef = useRef(saveFix);
  useEffect(() => {
    saveFixRef.current = saveFix;
  });
  const onEditorSubmit = useCallback(() => {
    if (fixing) saveFixRef.current();
  }, [fixing]);

  const onFixChange = useCallback(
    (a: Annotation) => {
      fixed.current = a;
      save({ annotation: a });
    },
    [save],
  );

  return (
    <div
      className="task-screen review-screen"
      data-testid="review-screen"
      data-submission-id={sub.id}
      data-task-id={view.task.id}
      data-status={view.item.status}
      data-fixing={fixing || undefined}
      data-state={busy ? 'busy' : 'ready'}
      data-opened-from={prepared ? 'prepared' : 'core'}
    >
      <header className="topbar">
        <button
          type="button"
          className="button ghost"
          onClick={nav.queue}
          title="Back to the review queue (Esc)"
        >
          ← Review queue
        </button>
        <div className="task-heading">
          <h1 className="task-title" data-testid="task-title">
            {taskTitle(view.task)}
          </h1>
          <span className="muted">
            {view.project.name} · {view.item.batch}
          </span>
        </div>
        <span className="review-meta" data-testid="review-meta">
          <span title="Annotator">{sub.userName}</span>
          <span data-testid="review-version">{versionLabel(view)}</span>
          <span title="The annotator's active time on this version">
            {formatDuration(sub.activeMs)} active
          </span>
        </span>
        <span className={`pill pill-review-${view.item.status}`} data-testid="review-status">
          {statusWords[view.item.status]}
          {view.item.delivery ? ` · ${deliveryWords[view.item.delivery]}` : ''}
        </span>
        <span className="topbar-spacer" />
        <ReviewActions
          fixing={fixing}
          decided={decided}
          busy={busy}
          on={{
            next: () => void nav.next(view),
            comment: () => setDialog('comment'),
            fix: () => startFix(),
            reject: () => setDialog('reject'),
            accept,
            stopFix: () => setFixFrom(null),
            saveFix,
          }}
        />
      </header>
      <div className="task-body">
        <main className="editor-area" data-testid="editor-area">
          <SidePanelContext.Provider value={panel}>
            {/* A fresh editor when fixing starts or stops: read only ↔ editable. */}
            <Editor
              key={fixing ? 'fix' : 'view'}
              view={taskView}
              initial={fixFrom ?? sub.annotation}
              onChange={fixing ? onFixChange : () => {}}
              onSubmit={onEditorSubmit}
              assetUrl={assetUrl}
              onAssetReady={onAssetReady}
              readOnly={!fixing}
              review={marks}
              onSelectionChange={setSelection}
            />
          </SidePanelContext.Provider>
        </main>
        <aside
          className="side-panel"
          data-testid="side-panel"
          aria-labelledby="side-panel-heading"
          // Scrolls with the keyboard too, when a read-only panel has no control to Tab to.
          tabIndex={0}
        >
          <h2 id="side-panel-heading" className="sr-only">
            Review details
          </h2>
          <PinnedComments
            pins={pins}
            results={sub.annotation.results}
            active={activePin}
            onPick={setActivePin}
            {...(decided ? {} : { onRemove: removeComment })}
            empty="Select a region or span and press C to pin a comment to it; with nothing selected it is on the whole task."
          />
          <DiffSummary diff={diff} shown={showDiff} onToggle={() => setShowDiff((s) => !s)} toggleKey="D" />
          <div ref={setPanel} className="side-panel-editor" />
          <HistoryPanel versions={view.versions} verdicts={view.verdicts} current={sub.id} />
        </aside>
      </div>
      {dialog === 'reject' && (
        <RejectDialog
          reasons={view.rejectReasons}
          comments={pins.map((p) => `${p.n} · ${targetInWords(p, sub.annotation.results)}: ${p.text}`)}
          initial={{ reason: view.draft?.reason, note: view.draft?.note }}
          onConfirm={({ reason, note }) => {
            setDialog(null);
            reject(reason, note);
          }}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'comment' && (
        <CommentDialog
          target={selWords.target}
          keypointChoice={selWords.point}
          onSave={addComment}
          onClose={() => setDialog(null)}
        />
      )}
    </div>
  );
}
