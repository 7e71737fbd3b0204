import { useEffect, useRef } from 'react';
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
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Typing must still reach the fields, so no preventDefault except for the keys used here.
      e.stopPropagation();
      if (e.key === 'Escape' || (e.key === ',' && (e.ctrlKey || e.metaKey))) {
        e.preventDefault();
        onClose();
      }
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, [onClose]);

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
