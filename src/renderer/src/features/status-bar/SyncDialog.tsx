import { useEffect, useRef } from 'react';
import { matchCombo } from '../../editor/core/keymap';
import { useKeyLayer } from '../keyboard/keyboard-context';
import { SyncSettings, useSyncState } from '../sync';
import './sync-dialog.css';

/**
 * The sync settings as a modal over the current screen (opened from the status bar's sync item
 * or Ctrl/Cmd+,). Keys stay inside it: Enter must not submit the task below, Esc must not skip
 * it; Esc (or Ctrl/Cmd+, again) closes it.
 */
export function SyncDialog({ onClose }: { onClose(): void }) {
  const dialog = useRef<HTMLDivElement>(null);
  const loaded = useSyncState() !== null;
  useEffect(() => {
    const before = document.activeElement;
    dialog.current?.focus();
    return () => {
      if (before instanceof HTMLElement) before.focus();
    };
  }, []);
  // Once the panel has its fields: the first one, so the hub address can be pasted at once.
  useEffect(() => {
    if (loaded) dialog.current?.querySelector<HTMLElement>('input')?.focus();
  }, [loaded]);
  // A modal layer of the one key handler: Esc (or Ctrl/Cmd+, again) closes it, other keys reach
  // only its fields.
  useKeyLayer(true, onClose, true, (e) => {
    if (!matchCombo('ctrl+,', e)) return false;
    onClose();
    return true;
  });

  return (
    <div className="overlay" onClick={onClose}>
      <div
        ref={dialog}
        className="sync-dialog"
        tabIndex={-1}
        role="dialog"
        aria-modal="true"
        aria-label="Sync settings"
        data-testid="sync-dialog"
        onClick={(e) => e.stopPropagation()}
      >
        <SyncSettings onClose={onClose} />
      </div>
    </div>
  );
}
