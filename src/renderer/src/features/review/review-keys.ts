import { ActionTable } from '../../editor/core/keymap';

/** What the review screen's keys act on (the screen fills it per key press). */
export interface ReviewKeyContext {
  accept(): void;
  fix(): void;
  saveFix(): void;
  reject(): void;
  comment(): void;
  next(): void;
  toggleDiff(): void;
  queue(): void;
  /** Editing a fix: the editor has every key but Enter (save) and the buttons. */
  fixing: boolean;
  /** A verdict is on its way or a screen is loading: nothing decides twice. */
  busy: boolean;
}

/**
 * The review screen's keys (screen scope, under the read-only editor's view keys, which leave
 * letters free). Rows return false when they do not apply, so the key falls through.
 */
export const reviewKeys = new ActionTable<ReviewKeyContext>([
  {
    id: 'accept',
    keys: ['a'],
    label: 'Accept this version',
    run: (c) => !c.fixing && !c.busy && c.accept(),
  },
  {
    id: 'fix',
    keys: ['e'],
    label: 'Fix & accept: edit it in the editor (Enter saves the fix)',
    run: (c) => !c.fixing && !c.busy && c.fix(),
  },
  {
    id: 'save-fix',
    keys: ['enter'],
    label: 'While fixing: save the fix and accept it',
    run: (c) => c.fixing && !c.busy && c.saveFix(),
  },
  {
    id: 'reject',
    keys: ['r'],
    label: 'Reject: pick a reason, send it back with your comments',
    run: (c) => !c.fixing && !c.busy && c.reject(),
  },
  {
    id: 'comment',
    keys: ['c'],
    label: 'Comment on the selected region, span or keypoint (nothing selected: the whole task)',
    run: (c) => !c.fixing && c.comment(),
  },
  {
    id: 'diff',
    keys: ['d'],
    label: 'Show / hide what changed since the previous version',
    run: (c) => !c.fixing && c.toggleDiff(),
  },
  {
    id: 'next',
    keys: ['n'],
    label: 'Next item waiting for a verdict',
    run: (c) => !c.fixing && !c.busy && c.next(),
  },
  {
    id: 'queue',
    keys: ['escape'],
    label: 'Back to the review queue (when nothing is selected)',
    run: (c) => !c.fixing && c.queue(),
  },
]);

export interface ReviewQueueKeyContext {
  start(): void;
  focusRow(step: 1 | -1): void;
  busy: boolean;
}

export const reviewQueueKeys = new ActionTable<ReviewQueueKeyContext>([
  {
    id: 'start',
    keys: ['enter'],
    label: 'Start reviewing: open the next item waiting for a verdict (Enter on a row opens it)',
    run: (c) => !c.busy && c.start(),
  },
  {
    id: 'down',
    keys: ['arrowdown'],
    label: 'Next item in the list',
    repeat: true,
    run: (c) => c.focusRow(1),
  },
  {
    id: 'up',
    keys: ['arrowup'],
    label: 'Previous item in the list',
    repeat: true,
    run: (c) => c.focusRow(-1),
  },
]);
