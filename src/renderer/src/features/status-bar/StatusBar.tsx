import { useQueueCounts } from '../../hooks/queue-counts';
import { ThemeToggle } from '../theme/ThemeToggle';
import { formatDuration } from './format';
import { SyncStatus } from '../sync';

export function StatusBar({ onShowShortcuts, onOpenSync }: { onShowShortcuts(): void; onOpenSync(): void }) {
  const counts = useQueueCounts();
  return (
    <footer className="statusbar" data-testid="status-bar" data-state={counts ? 'ready' : 'loading'}>
      <SyncStatus onOpen={onOpenSync} />
      <span className="statusbar-spacer" />
      {counts && (
        <span className="statusbar-today" title="Today on this workbench">
          <span className="muted">Today</span>
          <span>
            <strong data-testid="submitted-today" data-value={counts.submittedToday}>
              {counts.submittedToday}
            </strong>{' '}
            submitted
          </span>
          <span>
            <strong data-testid="skipped-today">{counts.skippedToday}</strong> skipped
          </span>
          <span>
            <strong data-testid="active-today">{formatDuration(counts.activeMsToday)}</strong> active
          </span>
        </span>
      )}
      <ThemeToggle />
      <button
        type="button"
        className="statusbar-button"
        onClick={onShowShortcuts}
        title="Keyboard shortcuts (?)"
      >
        <kbd>?</kbd> Shortcuts
      </button>
    </footer>
  );
}
