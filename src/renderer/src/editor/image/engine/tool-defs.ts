import type { ToolId } from './session';

/** A tool as the toolbar, the status line and the key table show it. */
export interface ToolDef {
  id: ToolId;
  name: string;
  /** Its key (a letter). */
  key: string;
  /** SVG path of its icon (24×24). */
  icon: string;
  /** The status line's hint while it is active. */
  hint: string;
}

export const SELECT_TOOL: ToolDef = {
  id: 'select',
  name: 'Select',
  key: 'V',
  icon: 'M5 3l14 8-6 1.5L10 19z',
  hint: 'Click to select · Shift+click adds · drag empty space to marquee · drag to move',
};

/** Every tool, in toolbar order (the config's `tools` decides which are offered). */
export const TOOL_DEFS: readonly ToolDef[] = [
  SELECT_TOOL,
  {
    id: 'bbox',
    name: 'Box',
    key: 'B',
    icon: 'M4 6h16v12H4z',
    hint: 'Drag to draw a box · drag handles to resize',
  },
  {
    id: 'polygon',
    name: 'Polygon',
    key: 'P',
    icon: 'M12 3l8 6-3 11H7L4 9z',
    hint: 'Click to add points · click the first point, Enter or double-click to close',
  },
  {
    id: 'polyline',
    name: 'Polyline',
    key: 'L',
    icon: 'M3 18l6-9 5 5 7-10',
    hint: 'Click to add points · Enter or double-click to finish',
  },
  {
    id: 'keypoints',
    name: 'Keypoints',
    key: 'K',
    icon: 'M12 5v7M12 12l-5 7M12 12l5 7M6 9h12',
    hint: 'Click to place each point · Alt+click: occluded · N: skip · Enter: finish',
  },
];
