import { useModal } from '../../hooks/use-modal';
import { TEXT_SHORTCUTS } from './text-keys';

/**
 * The text editor's own shortcuts (the toolbar's "?"), a small modal: focus moves into it, Tab
 * stays inside, Esc closes it (and only it: the task is not skipped), focus returns to "?".
 */
export function TextKeysSheet({ onClose }: { onClose(): void }) {
  const { ref, dialogProps } = useModal<HTMLDivElement>({ onClose });
  return (
    <div className="tt-keys-backdrop" data-modal-root="" onClick={onClose}>
      <div
        ref={ref}
        {...dialogProps}
        className="tt-keys"
        role="dialog"
        aria-labelledby="tt-keys-title"
        data-testid="text-keys"
        onClick={(e) => e.stopPropagation()}
      >
        <header>
          <h2 id="tt-keys-title">Text shortcuts</h2>
          <button type="button" className="button ghost" onClick={onClose}>
            Close <kbd>Esc</kbd>
          </button>
        </header>
        <dl>
          {TEXT_SHORTCUTS.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </div>
    </div>
  );
}
