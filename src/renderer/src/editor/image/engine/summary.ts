/**
 * What the canvas says to a screen reader, since a canvas has no content of its own: the tool,
 * the label new regions get, how many regions there are and which are selected. Read into a
 * polite live region, so it is announced when it changes (not on every pan or zoom).
 */
import type { ImageEditorEngine } from './engine';
import type { Region } from './records';
import { TOOL_DEFS } from './tool-defs';

const KIND: Record<Region['type'], string> = {
  bbox: 'box',
  polygon: 'polygon',
  polyline: 'polyline',
  keypoints: 'keypoints',
};

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

export const canvasSummary = (engine: ImageEditorEngine): string => {
  const s = engine.session.get();
  const regions = engine.regions();
  const suggested = regions.filter((r) => r.suggested).length;
  const selected = engine.selected();
  const name = `${TOOL_DEFS.find((t) => t.id === s.tool)?.name ?? s.tool} tool`;
  const tool = s.tool === 'select' ? name : `${name}, new regions labelled ${s.label}`;
  const count =
    plural(regions.length - suggested, 'region') + (suggested ? `, ${plural(suggested, 'suggestion')}` : '');
  const sel =
    selected.length === 0
      ? 'nothing selected'
      : selected.length === 1
        ? `selected: ${selected[0]!.label} ${KIND[selected[0]!.type]}${selected[0]!.suggested ? ' (suggested)' : ''}`
        : `${selected.length} selected`;
  return `${tool}. ${count}; ${sel}.`;
};
