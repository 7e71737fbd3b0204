import { useEffect } from 'react';
import { useQueueCounts } from '../../hooks/queue-counts';
import { useActiveToday } from '../activity/activity-context';
import { ThemeToggle } from '../theme/ThemeToggle';
import { formatDuration } from './format';
import { SyncStatus } from '../sync';

/** Tasks per active hour, or null before there is an active minute to divide by. */
export const pace = (submitted: number, activeMs: number): number | null =>
  activeMs >= 60_000 ? submitted / (activeMs / 3_600_000) : null;

export function StatusBar({
  onShowShortcuts,
  onOpenSync,
  onOpenDashboard,
}: {
  onShowShortcuts(): void;
  onOpenSync(): void;
  onOpenDashboard(): void;
}) {
  const counts = useQueueCounts();
  const { activeMsToday, setActiveMsToday } = useActiveToday();
  // The counts and each activity report's answer both carry the core's figure: the latest wins.
  useEffect(() => {
    if (counts) setActiveMsToday(counts.activeMsToday);
  }, [counts, setActiveMsToday]);
  const activeMs = activeMsToday ?? counts?.activeMsToday ?? 0;
  const perHour = counts ? pace(counts.submittedToday, activeMs) : null;
  return (
    <footer className="statusbar" data-testid="status-bar" data-state={counts ? 'ready' : 'loading'}>
      <SyncStatus onOpen={onOpenSync} />
      <span className="statusbar-spacer" />
      {counts && (
        <button
          type="button"
          className="statusbar-today statusbar-button"
          title="Today on this workbench: open my figures"
          onClick={onOpenDashboard}
          data-testid="open-dashboard"
        >
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
            <strong data-testid="active-today" data-ms={activeMs}>
              {formatDuration(activeMs)}
            </strong>{' '}
            active
          </span>
          <span>
            <strong data-testid="pace-today">{perHour === null ? '—' : perHour.toFixed(1)}</strong> / h
          </span>
        </button>
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
