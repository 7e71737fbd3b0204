import type { Annotation, LabelConfig } from '../../../../shared/model';
import {
  ActionTable,
  configHotkeyActions,
  tablePerConfig,
  type KeyAction,
  type KeyHint,
} from '../core/keymap';
import type { ImageEditorEngine } from './engine/engine';
import { cycleKeypointVisibility, stepKeypoint } from './engine/keypoint-commands';
import { cycleRegion, selectAll } from './engine/selection-commands';
import { insertRegion, resizeSelected } from './engine/keyboard-draw';
import { TOOL_DEFS } from './engine/tool-defs';

/** What the image editor's actions run on. */
export interface ImageKeyContext {
  engine: ImageEditorEngine;
  /** A short note over the canvas ("Copied 3 regions"). */
  notify(text: string): void;
  /** The previous task's annotation, from the host (copy regions from the previous task). */
  previous(): Annotation | null;
}

type Action = KeyAction<ImageKeyContext>;

const selection = (c: ImageKeyContext): string[] => [...c.engine.session.get().selected];
const ARROWS: Record<string, readonly [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};
const nudge = (c: ImageKeyContext, key: string, k: number): boolean => {
  const d = ARROWS[key];
  return !!d && c.engine.nudge(d[0] * k, d[1] * k);
};
/** Alt+→/↓ grow the width/height, Alt+←/↑ shrink it. */
const resize = (c: ImageKeyContext, key: string, k: number): boolean => {
  const d = ARROWS[key];
  return !!d && resizeSelected(c.engine, d[0] * k, d[1] * k);
};

/**
 * The image editor's commands: the one table its key handler, toolbar tooltips and the cheat
 * sheet read. Label and class hotkeys from the config come first, so the data wins a clash (and
 * the clash is reported on the sheet).
 */
const commands: Action[] = [
  { id: 'undo', keys: ['ctrl+z'], label: 'Undo', group: 'Edit', run: (c) => void c.engine.undo() },
  {
    id: 'redo',
    keys: ['ctrl+shift+z', 'ctrl+y'],
    label: 'Redo',
    group: 'Edit',
    run: (c) => void c.engine.redo(),
  },
  {
    id: 'insert',
    keys: ['i'],
    label: 'Insert a box at the centre of the view (then arrows move it, Alt+arrows resize it)',
    group: 'Draw',
    run: (c) => insertRegion(c.engine),
  },
  {
    id: 'resize',
    keys: ['alt+arrowleft', 'alt+arrowright', 'alt+arrowup', 'alt+arrowdown'],
    label: 'Resize the selected box (Shift: by 10)',
    group: 'Draw',
    repeat: true,
    run: (c, e) => resize(c, e.key, 1),
  },
  {
    id: 'resize-far',
    keys: ['shift+alt+arrowleft', 'shift+alt+arrowright', 'shift+alt+arrowup', 'shift+alt+arrowdown'],
    label: 'Resize by 10 pixels',
    group: 'Draw',
    listed: false,
    repeat: true,
    run: (c, e) => resize(c, e.key, 10),
  },
  {
    id: 'finish',
    keys: ['enter'],
    label: 'Close a polygon / finish a polyline or skeleton (else Enter submits)',
    group: 'Draw',
    run: (c) => c.engine.toolKey('enter'),
  },
  {
    id: 'cancel',
    keys: ['escape'],
    label: 'Cancel the gesture, then clear the selection (else Esc skips)',
    group: 'Draw',
    run: (c) => {
      if (c.engine.toolKey('escape')) return true;
      if (c.engine.session.get().selected.size === 0) return false;
      c.engine.select([]);
      return true;
    },
  },
  {
    id: 'backspace',
    keys: ['backspace'],
    label: 'Remove the last point while drawing, else delete the selection',
    group: 'Draw',
    run: (c) => c.engine.toolKey('backspace') || c.engine.deleteSelected(),
  },
  {
    id: 'delete',
    keys: ['delete'],
    label: 'Delete selected regions',
    group: 'Edit',
    run: (c) => c.engine.deleteSelected(),
  },
  {
    id: 'duplicate',
    keys: ['ctrl+d'],
    label: 'Duplicate selected',
    group: 'Edit',
    run: (c) => c.engine.duplicateSelected(),
  },
  {
    id: 'copy',
    keys: ['ctrl+c'],
    label: 'Copy selected',
    group: 'Edit',
    run: (c) => c.notify(`Copied ${c.engine.copy()} region(s)`),
  },
  {
    id: 'paste',
    keys: ['ctrl+v'],
    label: 'Paste (also into the next task)',
    group: 'Edit',
    run: (c) => c.notify(`Pasted ${c.engine.paste()} region(s)`),
  },
  {
    id: 'copy-previous',
    keys: ['ctrl+shift+v'],
    label: 'Copy regions from the previous task',
    group: 'Edit',
    run: (c) => {
      const prev = c.previous();
      c.notify(
        prev
          ? `Copied ${c.engine.copyFrom(prev)} region(s) from the previous task`
          : 'No previous task to copy from',
      );
    },
  },
  {
    id: 'select-all',
    keys: ['ctrl+a'],
    label: 'Select all regions',
    group: 'Select',
    run: (c) => selectAll(c.engine),
  },
  {
    id: 'next-region',
    keys: ['.'],
    label: 'Select the next region',
    group: 'Select',
    repeat: true,
    run: (c) => cycleRegion(c.engine, 1),
  },
  {
    id: 'prev-region',
    keys: [','],
    label: 'Select the previous region',
    group: 'Select',
    repeat: true,
    run: (c) => cycleRegion(c.engine, -1),
  },
  {
    id: 'nudge',
    keys: ['arrowleft', 'arrowright', 'arrowup', 'arrowdown'],
    label: 'Nudge the selection a pixel (nothing selected: task history)',
    group: 'Select',
    repeat: true,
    run: (c, e) => nudge(c, e.key, 1),
  },
  {
    id: 'nudge-far',
    keys: ['shift+arrowleft', 'shift+arrowright', 'shift+arrowup', 'shift+arrowdown'],
    label: 'Nudge by 10 pixels',
    group: 'Select',
    repeat: true,
    run: (c, e) => nudge(c, e.key, 10),
  },
  {
    id: 'zoom-in',
    keys: ['+', '='],
    label: 'Zoom in',
    group: 'View',
    repeat: true,
    run: (c) => c.engine.zoomBy(1.25),
  },
  {
    id: 'zoom-out',
    keys: ['-'],
    label: 'Zoom out',
    group: 'View',
    repeat: true,
    run: (c) => c.engine.zoomBy(1 / 1.25),
  },
  { id: 'fit', keys: ['f', 'ctrl+0'], label: 'Fit image', group: 'View', run: (c) => c.engine.fit() },
  {
    id: 'actual',
    keys: ['ctrl+1'],
    label: 'Actual size (1:1)',
    group: 'View',
    run: (c) => c.engine.actualSize(),
  },
  {
    id: 'toggle-labels',
    keys: ['alt+l'],
    label: 'Region labels on/off',
    group: 'View',
    run: (c) => c.engine.session.set((s) => ({ showLabels: !s.showLabels })),
  },
  {
    id: 'toggle-crosshair',
    keys: ['alt+x'],
    label: 'Crosshair on/off',
    group: 'View',
    run: (c) => c.engine.session.set((s) => ({ crosshair: !s.crosshair })),
  },
  {
    id: 'hide',
    keys: ['h'],
    label: 'Hide / show selected',
    group: 'View',
    run: (c) => c.engine.setHidden(selection(c)),
  },
  {
    id: 'show-all',
    keys: ['shift+h'],
    label: 'Show all hidden regions',
    group: 'View',
    run: (c) => c.engine.session.set({ hidden: new Set() }),
  },
  {
    id: 'lock',
    keys: ['alt+k'],
    label: 'Lock / unlock selected',
    group: 'View',
    run: (c) => c.engine.setLocked(selection(c)),
  },
  {
    id: 'accept',
    keys: ['a'],
    label: 'Accept selected suggestion',
    group: 'Suggestions',
    run: (c) => void c.engine.acceptSuggestions(selection(c)),
  },
  {
    id: 'accept-all',
    keys: ['shift+a'],
    label: 'Accept all shown suggestions',
    group: 'Suggestions',
    run: (c) => void c.engine.acceptSuggestions(),
  },
  {
    id: 'skip-point',
    keys: ['n'],
    label: 'Skip this point (not visible)',
    group: 'Keypoints',
    run: (c) => void c.engine.toolKey('skip-point'),
  },
  {
    id: 'next-point',
    keys: [']'],
    label: 'Next point of the selected skeleton',
    group: 'Keypoints',
    run: (c) => stepKeypoint(c.engine, 1),
  },
  {
    id: 'prev-point',
    keys: ['['],
    label: 'Previous point',
    group: 'Keypoints',
    run: (c) => stepKeypoint(c.engine, -1),
  },
  {
    id: 'cycle-point',
    keys: ['o'],
    label: 'Point visible → occluded → absent (absent → place it)',
    group: 'Keypoints',
    run: (c) => void cycleKeypointVisibility(c.engine),
  },
];

/** Pointer and gesture shortcuts, for the cheat sheet (they are not key bindings). */
export const pointerHints: KeyHint[] = [
  { keys: 'Drag', label: 'Draw a box / move the selection' },
  { keys: 'Shift+click', label: 'Add to / remove from the selection' },
  { keys: 'Drag on empty space', label: 'Marquee select (Select tool)' },
  { keys: 'Ctrl+click', label: 'Select while a drawing tool is active' },
  { keys: 'Click the first point', label: 'Close a polygon (double-click ends a polyline)' },
  { keys: 'Drag a handle', label: 'Resize, rotate, move a vertex; drag an edge dot to insert a vertex' },
  { keys: 'Alt+click a vertex', label: 'Delete it (keypoint: toggle occluded)' },
  { keys: 'Alt/Shift+click', label: 'Keypoints: place the point as occluded' },
  { keys: 'Space+drag', label: 'Pan (or drag with the middle button)' },
  { keys: 'Wheel', label: 'Zoom at the pointer' },
];

/** The table for one label config: its label/class hotkeys, the tools it offers, the commands. */
export const imageKeys = tablePerConfig((config: LabelConfig): ActionTable<ImageKeyContext> => {
  const data: Action[] = configHotkeyActions<ImageKeyContext>(config, {
    label: (c, name) => c.engine.setLabel(name),
    toggleClass: (c, group, option) => c.engine.toggleClass(group, option),
    classGroup: 'Image classes',
  });
  const tools: Action[] = TOOL_DEFS.filter((t) => t.id === 'select' || config.tools.includes(t.id)).map(
    (t) => ({
      id: `tool:${t.id}`,
      keys: [t.key.toLowerCase()],
      label: `${t.name} tool`,
      group: 'Tools',
      run: (c) => c.engine.setTool(t.id),
    }),
  );
  return new ActionTable([...data, ...tools, ...commands], pointerHints);
});

/** What a read-only image (a version under review) still answers: selecting and looking. */
const VIEW_ONLY = new Set([
  'cancel',
  'next-region',
  'prev-region',
  'zoom-in',
  'zoom-out',
  'fit',
  'actual',
  'toggle-labels',
  'toggle-crosshair',
  'hide',
  'show-all',
  'next-point',
  'prev-point',
]);

/** Built once: the read-only table depends on no config. */
let viewTable: ActionTable<ImageKeyContext> | undefined;

/**
 * The read-only table: no labels, tools or edits, so letters stay free for the review screen's
 * own keys (accept, reject, comment…) below it.
 */
export const imageViewKeys = (): ActionTable<ImageKeyContext> =>
  (viewTable ??= new ActionTable(
    commands.filter((a) => VIEW_ONLY.has(a.id)),
    pointerHints.filter((h) => h.keys === 'Wheel' || h.keys.startsWith('Space')),
  ));
