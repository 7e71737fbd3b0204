import { matchCombo } from '../../editor/core/keymap';
import { ModalDialog } from '../modal/ModalDialog';
import { SyncSettings, useSyncState } from '../sync';
import './sync-dialog.css';

/**
 * The sync settings as a modal over the current screen (opened from the status bar's sync item
 * or Ctrl/Cmd+,). `useModal` keeps focus and keys inside it (Enter must not submit the task
 * below, Esc must not skip it); Esc (or Ctrl/Cmd+, again) closes it.
 */
export function SyncDialog({ onClose }: { onClose(): void }) {
  const loaded = useSyncState() !== null;
  return (
    <ModalDialog
      onClose={onClose}
      closes={(e) => matchCombo('ctrl+,', e)}
      className="sync-dialog"
      name={{ label: 'Sync settings' }}
      testId="sync-dialog"
      // Once the panel has its fields: the first one, so the hub address can be pasted at once.
      focusFirst={{ selector: 'input', ready: loaded }}
    >
      <SyncSettings onClose={onClose} />
    </ModalDialog>
  );
}
