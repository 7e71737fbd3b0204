import { ActionTable } from '../../editor/core/keymap';

/** Keys of the app shell and its two screens, as action tables (cheat sheet + key handler). */
export interface AppKeyContext {
  showShortcuts(): void;
  openSync(): void;
  openExport(): void;
}

export const appKeys = new ActionTable<AppKeyContext>([
  { id: 'sync', keys: ['ctrl+,'], label: 'Sync settings: sign in to a hub', run: (c) => c.openSync() },
  { id: 'export', keys: ['ctrl+shift+e'], label: 'Export a dataset', run: (c) => c.openExport() },
  { id: 'shortcuts', keys: ['?'], label: 'Show this cheat sheet', run: (c) => c.showShortcuts() },
]);

export interface QueueKeyContext {
  start(): void;
  /** Moves focus through the list by `step` rows. */
  focusRow(step: 1 | -1): void;
  busy: boolean;
}

export const queueKeys = new ActionTable<QueueKeyContext>([
  {
    id: 'start',
    keys: ['enter'],
    label: 'Start labeling: open the next task (Enter on a row opens that task)',
    run: (c) => !c.busy && c.start(),
  },
  {
    id: 'down',
    keys: ['arrowdown'],
    label: 'Next task in the list',
    repeat: true,
    run: (c) => c.focusRow(1),
  },
  {
    id: 'up',
    keys: ['arrowup'],
    label: 'Previous task in the list',
    repeat: true,
    run: (c) => c.focusRow(-1),
  },
]);

export interface TaskKeyContext {
  submit(): void;
  skip(): void;
  move(direction: 'back' | 'forward'): void;
  busy: boolean;
}

/**
 * The task screen's keys. They come after the editor's: Esc first ends the editor's gesture or
 * clears its selection, and skips only when the editor had nothing to undo that way.
 */
export const taskKeys = new ActionTable<TaskKeyContext>([
  {
    id: 'submit',
    keys: ['enter'],
    label: 'Submit and open the next task',
    run: (c) => !c.busy && c.submit(),
  },
  {
    id: 'skip',
    keys: ['escape', 'backspace'],
    label: 'Skip and open the next task (when nothing is selected or being drawn)',
    run: (c) => !c.busy && c.skip(),
  },
  {
    id: 'back',
    keys: ['arrowleft'],
    label: 'Previous finished task (when the editor does not use the arrow)',
    repeat: true,
    run: (c) => !c.busy && c.move('back'),
  },
  {
    id: 'forward',
    keys: ['arrowright'],
    label: 'Forward through history, then the next task',
    repeat: true,
    run: (c) => !c.busy && c.move('forward'),
  },
]);
