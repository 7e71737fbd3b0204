import { REGION_KINDS } from '../kinds';
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

/** Every tool, in toolbar order: select, then each region kind's (the config's `tools` decides which are offered). */
export const TOOL_DEFS: readonly ToolDef[] = [
  SELECT_TOOL,
  ...REGION_KINDS.flatMap((k) =>
    k.tool ? [{ id: k.type, name: k.tool.name, key: k.tool.key, icon: k.icon, hint: k.tool.hint }] : [],
  ),
];
