import { REGION_KINDS } from '../../kinds';
import type { ImageEditorEngine } from '../engine';
import type { ToolId } from '../session';
import { KeypointsTool } from './keypoints';
import { SelectTool } from './select';
import type { Tool } from './types';

/** The select tool and each region kind's drawing tool. */
export const createTools = (engine: ImageEditorEngine): Partial<Record<ToolId, Tool>> => {
  const tools: Partial<Record<ToolId, Tool>> = { select: new SelectTool(engine) };
  for (const k of REGION_KINDS) if (k.tool) tools[k.type] = k.tool.create(engine);
  return tools;
};

export type { Tool, ToolDraft, ToolKey, ToolPointer } from './types';
export { KeypointsTool };
