import type { Vec } from '../../../../../../shared/geometry';
import type { ToolId } from '../session';

export interface ToolPointer {
  world: [number, number];
  button: number;
  shift: boolean;
  alt: boolean;
  ctrl: boolean;
}

/** Keys a tool may consume; the editor maps keyboard events to these. */
export type ToolKey = 'enter' | 'backspace' | 'escape' | 'skip-point';

/** An in-progress shape the view draws on the overlay (not yet a record). */
export interface ToolDraft {
  kind: 'polygon' | 'polyline' | 'keypoints' | 'marquee';
  points: Vec[];
  /** For keypoints: visibility of each placed point. */
  visibility?: (0 | 1 | 2)[];
  cursor: Vec | null;
  label: string;
}

/**
 * A tool is a small state machine (idle → pointing → drawing/moving …) driven by pointer and key
 * input in world coordinates. It calls engine methods and never touches Konva or the DOM.
 */
export interface Tool {
  readonly id: ToolId;
  state(): string;
  down(p: ToolPointer): void;
  move(p: ToolPointer): void;
  up(p: ToolPointer): void;
  dblclick(p: ToolPointer): void;
  /** Returns true when the key was consumed. */
  key(k: ToolKey): boolean;
  /** Abort whatever is in progress (tool switch, Esc); returns true if something was aborted. */
  cancel(): boolean;
  draft(): ToolDraft | null;
}
