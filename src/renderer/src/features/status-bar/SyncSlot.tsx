/**
 * The sync state's place in the status bar. Local-only until the sync engine (issue 4) replaces
 * this component with online / offline / syncing / error, unsynced count and last sync time.
 */
export function SyncSlot() {
  return (
    <span
      className="sync-slot"
      data-testid="sync-state"
      data-state="local"
      title="Work is stored on this computer only"
    >
      <span className="dot dot-local" aria-hidden="true" />
      Local only
    </span>
  );
}
