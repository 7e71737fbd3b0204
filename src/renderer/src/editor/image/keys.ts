import type { LabelConfig } from '../../../../shared/model';
import { type Binding, Keymap } from '../core/keymap';

export type ImageAction =
  | 'tool:select'
  | 'tool:bbox'
  | 'tool:polygon'
  | 'tool:polyline'
  | 'tool:keypoints'
  | 'undo'
  | 'redo'
  | 'delete'
  | 'duplicate'
  | 'copy'
  | 'paste'
  | 'copy-previous'
  | 'select-all'
  | 'next-region'
  | 'prev-region'
  | 'zoom-in'
  | 'zoom-out'
  | 'fit'
  | 'actual'
  | 'toggle-labels'
  | 'toggle-crosshair'
  | 'hide'
  | 'show-all'
  | 'lock'
  | 'accept'
  | 'accept-all'
  | 'skip-point'
  | 'prev-point'
  | 'next-point'
  | 'cycle-point'
  | 'cheatsheet'
  | `label:${string}`
  | `class:${string}`;

/** Editor shortcuts. Label and class hotkeys from the config come first, so the data wins a clash. */
const editorBindings: Binding<ImageAction>[] = [
  { combo: 'v', action: 'tool:select', label: 'Select / move tool' },
  { combo: 'b', action: 'tool:bbox', label: 'Box tool' },
  { combo: 'p', action: 'tool:polygon', label: 'Polygon tool' },
  { combo: 'l', action: 'tool:polyline', label: 'Polyline tool' },
  { combo: 'k', action: 'tool:keypoints', label: 'Keypoints tool' },
  { combo: 'ctrl+z', action: 'undo', label: 'Undo' },
  { combo: 'ctrl+shift+z', action: 'redo', label: 'Redo' },
  { combo: 'ctrl+y', action: 'redo', label: 'Redo' },
  { combo: 'delete', action: 'delete', label: 'Delete selected regions' },
  { combo: 'ctrl+d', action: 'duplicate', label: 'Duplicate selected' },
  { combo: 'ctrl+c', action: 'copy', label: 'Copy selected' },
  { combo: 'ctrl+v', action: 'paste', label: 'Paste (also into the next task)' },
  { combo: 'ctrl+shift+v', action: 'copy-previous', label: 'Copy regions from the previous task' },
  { combo: 'ctrl+a', action: 'select-all', label: 'Select all regions' },
  { combo: 'tab', action: 'next-region', label: 'Select next region' },
  { combo: 'shift+tab', action: 'prev-region', label: 'Select previous region' },
  { combo: '+', action: 'zoom-in', label: 'Zoom in' },
  { combo: '=', action: 'zoom-in', label: 'Zoom in' },
  { combo: '-', action: 'zoom-out', label: 'Zoom out' },
  { combo: 'f', action: 'fit', label: 'Fit image' },
  { combo: 'ctrl+0', action: 'fit', label: 'Fit image' },
  { combo: 'ctrl+1', action: 'actual', label: 'Actual size (1:1)' },
  { combo: 'alt+l', action: 'toggle-labels', label: 'Region labels on/off' },
  { combo: 'alt+x', action: 'toggle-crosshair', label: 'Crosshair on/off' },
  { combo: 'h', action: 'hide', label: 'Hide / show selected' },
  { combo: 'shift+h', action: 'show-all', label: 'Show all hidden regions' },
  { combo: 'alt+k', action: 'lock', label: 'Lock / unlock selected' },
  { combo: 'a', action: 'accept', label: 'Accept selected suggestion' },
  { combo: 'shift+a', action: 'accept-all', label: 'Accept all shown suggestions' },
  { combo: 'n', action: 'skip-point', label: 'Keypoints: skip this point (not visible)' },
  { combo: ']', action: 'next-point', label: 'Keypoints: next point of the selected skeleton' },
  { combo: '[', action: 'prev-point', label: 'Keypoints: previous point' },
  {
    combo: 'o',
    action: 'cycle-point',
    label: 'Keypoints: point visible → occluded → absent (absent → place it)',
  },
  { combo: '?', action: 'cheatsheet', label: 'Show this cheat sheet' },
];

export const buildKeymap = (config: LabelConfig): Keymap<ImageAction> => {
  const data: Binding<ImageAction>[] = [];
  for (const l of config.labels)
    if (l.hotkey) data.push({ combo: l.hotkey, action: `label:${l.name}`, label: `Label: ${l.name}` });
  for (const g of config.classes) {
    for (const o of g.options) {
      if (o.hotkey)
        data.push({
          combo: o.hotkey,
          action: `class:${JSON.stringify([g.name, o.name])}`,
          label: `${g.name}: ${o.name}`,
        });
    }
  }
  const tools = new Set(config.tools);
  const offered = editorBindings.filter(
    (b) =>
      !b.action.startsWith('tool:') || b.action === 'tool:select' || tools.has(b.action.slice(5) as never),
  );
  return new Keymap([...data, ...offered]);
};

/** Pointer and gesture shortcuts, for the cheat sheet (they are not key bindings). */
export const pointerHints: [string, string][] = [
  ['Drag', 'Draw a box / move the selection'],
  ['Shift + click', 'Add to / remove from the selection'],
  ['Drag on empty space', 'Marquee select (Select tool)'],
  ['Ctrl + click', 'Select while a drawing tool is active'],
  ['Click first point, Enter, double-click', 'Close a polygon / end a polyline'],
  ['Backspace while drawing', 'Remove the last point'],
  ['Drag a handle', 'Resize, rotate, move a vertex; drag an edge dot to insert a vertex'],
  ['Alt + click a vertex', 'Delete it (keypoint: toggle occluded)'],
  ['Alt/Shift + click (keypoints)', 'Place the point as occluded'],
  ['Space + drag, middle drag', 'Pan'],
  ['Wheel', 'Zoom at the pointer'],
  ['Arrows (Shift: ×10)', 'Nudge the selection'],
  ['Esc', 'Cancel the gesture, then clear the selection'],
];
