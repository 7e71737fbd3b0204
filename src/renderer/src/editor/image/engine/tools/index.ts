import type { ImageEditorEngine } from '../engine';
import type { ToolId } from '../session';
import { BBoxTool } from './bbox';
import { KeypointsTool } from './keypoints';
import { PathTool } from './path-tool';
import { SelectTool } from './select';
import type { Tool } from './types';

export const createTools = (engine: ImageEditorEngine): Record<ToolId, Tool> => ({
  select: new SelectTool(engine),
  bbox: new BBoxTool(engine),
  polygon: new PathTool(engine, 'polygon'),
  polyline: new PathTool(engine, 'polyline'),
  keypoints: new KeypointsTool(engine),
});

export type { Tool, ToolDraft, ToolKey, ToolPointer } from './types';
export { KeypointsTool };
