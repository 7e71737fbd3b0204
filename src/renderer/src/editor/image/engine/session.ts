import type { Camera, Size } from '../../core/camera';
import type { RegionType } from '../kinds';

/** The select tool, or the drawing tool of a region kind (named by its region type). */
export type ToolId = 'select' | RegionType;

/** Session scope of the image editor: UI state, never saved nor undone (see ../../core/store.ts). */
export interface ImageSession {
  tool: ToolId;
  /** Label new regions get. */
  label: string;
  selected: ReadonlySet<string>;
  hovered: string | null;
  hidden: ReadonlySet<string>;
  locked: ReadonlySet<string>;
  camera: Camera;
  viewport: Size;
  showLabels: boolean;
  crosshair: boolean;
  brightness: number;
  contrast: number;
  /** Suggestions scoring below this are not shown. */
  scoreThreshold: number;
  cheatSheet: boolean;
  /** Keypoint of the selected keypoints region that [ ] and O act on (its index in the skeleton). */
  activePoint: number;
  /** A never-placed keypoint being made present: the next click on the image places it. */
  placing: { id: string; index: number; v: 1 | 2 } | null;
}

export const initialSession = (tool: ToolId, label: string): ImageSession => ({
  tool,
  label,
  selected: new Set(),
  hovered: null,
  hidden: new Set(),
  locked: new Set(),
  camera: { x: 0, y: 0, scale: 1 },
  viewport: { width: 800, height: 600 },
  showLabels: true,
  crosshair: true,
  brightness: 1,
  contrast: 1,
  scoreThreshold: 0,
  cheatSheet: false,
  activePoint: 0,
  placing: null,
});

export const toggleIn = (s: ReadonlySet<string>, ids: Iterable<string>, on?: boolean): Set<string> => {
  const out = new Set(s);
  for (const id of ids) {
    const add = on ?? !out.has(id);
    if (add) out.add(id);
    else out.delete(id);
  }
  return out;
};
