import { useModal } from '../../../hooks/use-modal';
import { formatCombo, type Keymap } from '../../core/keymap';
import { type ImageAction, pointerHints } from '../keys';

const HOST_KEYS: [string, string][] = [
  ['Enter', 'Submit and open the next task (while not drawing)'],
  ['Esc / Backspace', 'Skip and open the next task (when nothing is selected or being drawn)'],
  ['← →', 'Task history (when nothing is selected)'],
];

/** Every shortcut the editor answers to, generated from the keymap itself so it cannot drift. */
export function CheatSheet({ keymap, onClose }: { keymap: Keymap<ImageAction>; onClose(): void }) {
  const conflicts = keymap.conflicts();
  // Modal: it takes focus (so ↑ ↓ PgUp PgDn scroll it), traps Tab, Esc or ? closes it.
  const { ref, dialogProps } = useModal<HTMLDivElement>({ onClose, closes: (e) => e.key === '?' });
  return (
    <div className="ie-sheet-backdrop" onClick={onClose} data-testid="cheat-sheet" data-modal-root="">
      <div
        ref={ref}
        {...dialogProps}
        className="ie-sheet"
        role="dialog"
        aria-label="Keyboard shortcuts"
        onClick={(e) => e.stopPropagation()}
      >
        <header>
          <h2>Keyboard shortcuts</h2>
          <button type="button" className="ie-btn ie-text" onClick={onClose}>
            Close <kbd>Esc</kbd>
          </button>
        </header>
        <div className="ie-sheet-cols">
          <dl>
            {keymap.bindings.map((b) => (
              <div key={b.combo + b.action} className="ie-sheet-row">
                <dt>
                  <kbd>{formatCombo(b.combo)}</kbd>
                </dt>
                <dd>{b.label}</dd>
              </div>
            ))}
          </dl>
          <dl>
            {[...pointerHints, ...HOST_KEYS].map(([k, v]) => (
              <div key={k} className="ie-sheet-row">
                <dt>
                  <kbd>{k}</kbd>
                </dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        </div>
        {conflicts.length > 0 && (
          <p className="ie-warn">Keys bound twice by the label config: {conflicts.join(', ')}</p>
        )}
      </div>
    </div>
  );
}
