import { reviewKeys } from './review-keys';

/** What the review top bar's buttons do; the screen owns the state behind them. */
export interface ReviewActionHandlers {
  next(): void;
  comment(): void;
  fix(): void;
  reject(): void;
  accept(): void;
  stopFix(): void;
  saveFix(): void;
}

interface ActionButton {
  label: string;
  keyName: string;
  testId?: string;
  tone?: 'danger' | 'primary';
  /** Whether a decided item (or a verdict in flight) turns it off. */
  needsUndecided: boolean;
  needsIdle?: boolean;
  title?: string;
  run: keyof ReviewActionHandlers;
}

const VERDICT_BUTTONS: readonly ActionButton[] = [
  { label: 'Next', keyName: 'N', run: 'next', needsUndecided: false, title: reviewKeys.tip('next') },
  { label: 'Comment', keyName: 'C', run: 'comment', testId: 'comment', needsUndecided: true },
  { label: 'Fix', keyName: 'E', run: 'fix', testId: 'fix', needsUndecided: true },
  { label: 'Reject', keyName: 'R', run: 'reject', testId: 'reject', tone: 'danger', needsUndecided: true },
  {
    label: 'Accept',
    keyName: 'A',
    run: 'accept',
    testId: 'accept',
    tone: 'primary',
    needsUndecided: true,
    needsIdle: true,
  },
];

/**
 * The verdict buttons (each names its key), or while fixing, stop / save. The keys themselves
 * are bound by the screen's key scope; these are the same actions for the pointer.
 */
export function ReviewActions({
  fixing,
  decided,
  busy,
  on,
}: {
  fixing: boolean;
  decided: boolean;
  busy: boolean;
  on: ReviewActionHandlers;
}) {
  if (fixing) {
    return (
      <>
        <span className="review-fixing" role="status">
          Fixing: edit, then save
        </span>
        <button type="button" className="button" onClick={on.stopFix} data-testid="cancel-fix">
          Stop fixing
        </button>
        <button
          type="button"
          className="button primary"
          onClick={on.saveFix}
          disabled={busy}
          data-testid="save-fix"
        >
          Save fix & accept <kbd>Enter</kbd>
        </button>
      </>
    );
  }
  return (
    <>
      {VERDICT_BUTTONS.map((b) => (
        <button
          key={b.run}
          type="button"
          className={b.tone ? `button ${b.tone}` : 'button'}
          onClick={on[b.run]}
          disabled={(b.needsUndecided && decided) || (b.needsIdle === true && busy)}
          data-testid={b.testId}
          title={b.title}
        >
          {b.label} <kbd>{b.keyName}</kbd>
        </button>
      ))}
    </>
  );
}
