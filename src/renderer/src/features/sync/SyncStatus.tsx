import type { SyncState } from '../../../../shared/contract';
import { describeSync } from './sync-format';
import { useNow, useSyncState } from './use-sync-state';

/** The presentational part, for tests and screenshots: one state in, one status-bar item out. */
export function SyncStatusView({
  state,
  now,
  onOpen,
}: {
  state: SyncState;
  now: number;
  onOpen?: () => void;
}) {
  const d = describeSync(state, now);
  // Refusals are in the label (never "Synced"); the badge counts work kept but flagged.
  const conflicts = state.conflicts.filter((c) => c.kind === 'conflict').length;
  return (
    <button
      type="button"
      className={`statusbar-button sync-status sync-${d.tone}`}
      data-testid="sync-state"
      data-state={state.status === 'signed-out' ? 'local' : state.status}
      data-unsynced={state.unsynced}
      data-refused={state.refused}
      title={d.title}
      onClick={onOpen}
    >
      <span className={`dot sync-dot${state.status === 'syncing' ? ' pulse' : ''}`} aria-hidden="true" />
      <span>{d.label}</span>
      {conflicts > 0 && (
        <span
          className="sync-conflict-badge"
          data-testid="sync-conflicts"
          title="Work the hub kept but flagged: open Sync to see it"
        >
          {conflicts} flagged
        </span>
      )}
    </button>
  );
}

/**
 * The status bar's sync item (replaces the "Local only" placeholder): online / offline /
 * syncing / error, unsynced count, last good sync on hover, and a conflict badge. Clicking it
 * opens the sync settings (`onOpen`).
 */
export function SyncStatus({ onOpen }: { onOpen?: () => void }) {
  const state = useSyncState();
  const now = useNow();
  if (!state)
    return (
      <span
        className="statusbar-button sync-status sync-local"
        data-testid="sync-state"
        data-state="loading"
      />
    );
  return <SyncStatusView state={state} now={now} {...(onOpen ? { onOpen } : {})} />;
}
