import { useId, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { ModalDialog } from '../modal/ModalDialog';

/** Longest free-text reason the hub takes (`RejectReasonText`). */
const REASON_MAX = 200;
const NOTE_MAX = 2000;
const COMMENT_MAX = 2000;

/** Ctrl/⌘+Enter sends a form from any field of it (Enter alone writes a new line in a note). */
const ctrlEnterSubmits = (e: KeyboardEvent<HTMLFormElement>) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    e.currentTarget.requestSubmit();
  }
};

/** The review dialogs' modal: overlay, focus trap, labelled title, a form sent by Ctrl/⌘+Enter. */
function ReviewDialogShell({
  title,
  testId,
  onSubmit,
  onClose,
  children,
}: {
  title: ReactNode;
  testId: string;
  onSubmit(e: FormEvent): void;
  onClose(): void;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <ModalDialog
      onClose={onClose}
      className="review-dialog"
      name={{ labelledBy: `${id}-title` }}
      testId={testId}
    >
      <form onSubmit={onSubmit} onKeyDown={ctrlEnterSubmits}>
        <h2 id={`${id}-title`} className="review-dialog-title">
          {title}
        </h2>
        {children}
      </form>
    </ModalDialog>
  );
}

/**
 * Reject: a reason from the project's list (or free text when it lists none, or "Other"), an
 * optional note; the pinned comments already made are listed so the reviewer sees what goes back.
 */
export function RejectDialog({
  reasons,
  comments,
  initial,
  onConfirm,
  onClose,
}: {
  reasons: readonly string[];
  /** The comments that go with it, in words ("1 · box car: too loose"). */
  comments: readonly string[];
  initial: { reason?: string | undefined; note?: string | undefined };
  onConfirm(v: { reason: string; note: string }): void;
  onClose(): void;
}) {
  const listed = initial.reason !== undefined && reasons.includes(initial.reason);
  const [pick, setPick] = useState<string>(listed ? initial.reason! : reasons.length ? '' : 'other');
  const [other, setOther] = useState(listed ? '' : (initial.reason ?? ''));
  const [note, setNote] = useState(initial.note ?? '');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const reason = pick === 'other' ? other.trim() : pick;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!reason) {
      setError(pick === 'other' ? 'Write the reason.' : 'Pick a reason.');
      return;
    }
    onConfirm({ reason, note: note.trim() });
  };

  return (
    <ReviewDialogShell
      title="Reject and send back"
      testId="reject-dialog"
      onSubmit={submit}
      onClose={onClose}
    >
      <fieldset className="review-reasons">
        <legend>Reason</legend>
        {reasons.map((r, i) => (
          <label key={r} className="review-reason">
            <input
              type="radio"
              name={`${id}-reason`}
              value={r}
              checked={pick === r}
              onChange={() => setPick(r)}
              autoFocus={i === 0}
              data-testid="reject-reason"
            />
            {r}
          </label>
        ))}
        {reasons.length > 0 && (
          <label className="review-reason">
            <input
              type="radio"
              name={`${id}-reason`}
              value="other"
              checked={pick === 'other'}
              onChange={() => setPick('other')}
            />
            Other
          </label>
        )}
        {pick === 'other' && (
          <input
            className="field"
            aria-label="Reason in your words"
            placeholder="Reason in your words"
            maxLength={REASON_MAX}
            value={other}
            autoFocus
            onChange={(e) => setOther(e.target.value)}
            data-testid="reject-other"
          />
        )}
      </fieldset>
      <label className="review-field">
        <span>Note for the annotator (optional)</span>
        <textarea
          className="field"
          rows={3}
          maxLength={NOTE_MAX}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          data-testid="reject-note"
        />
      </label>
      <div className="review-dialog-comments">
        <h3 className="panel-title">Comments sent with it</h3>
        {comments.length === 0 ? (
          <p className="muted">None. Press C on a region or span to pin one before rejecting.</p>
        ) : (
          <ul>
            {comments.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        )}
      </div>
      {error && (
        <p className="review-dialog-error" role="alert">
          {error}
        </p>
      )}
      <div className="review-dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel <kbd>Esc</kbd>
        </button>
        <button type="submit" className="button danger" data-testid="reject-confirm">
          Reject <kbd>Ctrl+Enter</kbd>
        </button>
      </div>
    </ReviewDialogShell>
  );
}

/** A comment pinned to what is selected (or the whole task); Enter saves, Shift+Enter a new line. */
export function CommentDialog({
  target,
  keypointChoice,
  onSave,
  onClose,
}: {
  /** What it points at, in words. */
  target: string;
  /** For a keypoint set: the active point's words, offered beside the whole set. */
  keypointChoice: string | null;
  onSave(text: string, onPoint: boolean): void;
  onClose(): void;
}) {
  const [text, setText] = useState('');
  const [onPoint, setOnPoint] = useState(keypointChoice !== null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) onSave(text.trim(), onPoint);
  };
  return (
    <ReviewDialogShell
      title={<>Comment on {onPoint && keypointChoice ? keypointChoice : target}</>}
      testId="comment-dialog"
      onSubmit={submit}
      onClose={onClose}
    >
      {keypointChoice && (
        <label className="review-reason">
          <input type="checkbox" checked={onPoint} onChange={(e) => setOnPoint(e.target.checked)} />
          Only {keypointChoice}
        </label>
      )}
      <textarea
        className="field"
        rows={3}
        maxLength={COMMENT_MAX}
        aria-label="Comment"
        placeholder="What should change?"
        value={text}
        autoFocus
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.ctrlKey && !e.metaKey) {
            e.preventDefault();
            e.currentTarget.form?.requestSubmit();
          }
        }}
        data-testid="comment-text"
      />
      <div className="review-dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel <kbd>Esc</kbd>
        </button>
        <button type="submit" className="button primary" disabled={!text.trim()} data-testid="comment-save">
          Pin comment <kbd>Enter</kbd>
        </button>
      </div>
    </ReviewDialogShell>
  );
}
