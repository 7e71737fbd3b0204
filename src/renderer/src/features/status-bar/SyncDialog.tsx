import { useEffect } from 'react';
import { matchCombo } from '../../editor/core/keymap';
import { useModal } from '../../hooks/use-modal';
import { SyncSettings, useSyncState } from '../sync';
import './sync-dialog.css';

/**
 * The sync settings as a modal over the current screen (opened from the status bar's sync item
 * or Ctrl/Cmd+,). `useModal` keeps focus and keys inside it (Enter must not submit the task
 * below, Esc must not skip it); Esc (or Ctrl/Cmd+, again) closes it.
 */
export function SyncDialog({ onClose }: { onClose(): void }) {
  const { ref, dialogProps } = useModal<HTMLDivElement>({ onClose, closes: (e) => matchCombo('ctrl+,', e) });
  const loaded = useSyncState() !== null;
  // Once the panel has its fields: the first one, so the hub address can be pasted at once.
  useEffect(() => {
    if (loaded) ref.current?.querySelector<HTMLElement>('input')?.focus();
  }, [loaded, ref]);

  return (
    <div className="overlay" onClick={onClose}>
      <div
        ref={ref}
        {...dialogProps}
        className="sync-dialog"
        role="dialog"
        aria-label="Sync settings"
        data-testid="sync-dialog"
        onClick={(e) => e.stopPropagation()}
      >
        <SyncSettings onClose={onClose} />
      </div>
    </div>
  );
}
