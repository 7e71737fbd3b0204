import './review.css';
import type { WorkMode } from './use-review-roles';

/**
 * Annotate / Review, for a person whose roles offer both (shown in both queues' top bars). A
 * person who only reviews starts in Review and sees no switch.
 */
export function ModeSwitch({
  mode,
  offered,
  onChange,
}: {
  mode: WorkMode;
  offered: { annotate: boolean; review: boolean };
  onChange(mode: WorkMode): void;
}) {
  if (!offered.annotate || !offered.review) return null;
  return (
    <div className="mode-switch" role="group" aria-label="Work mode" data-testid="mode-switch">
      {(['annotate', 'review'] as const).map((m) => (
        <button
          key={m}
          type="button"
          className="mode-switch-item"
          aria-pressed={mode === m}
          onClick={() => onChange(m)}
          data-testid={`mode-${m}`}
        >
          {m === 'annotate' ? 'Annotate' : 'Review'}
        </button>
      ))}
    </div>
  );
}
