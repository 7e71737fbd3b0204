import { describe, expect, it } from 'vitest';
import demo from '../../../../../../resources/demo/image-project.json';
import { LabelConfig } from '../../../../../shared/model';
import { ImageEditorEngine } from './engine';
import { canvasSummary } from './summary';

const config = LabelConfig.parse(demo.labelConfig);
const box = (id: string, label: string) =>
  ({ type: 'bbox', id, label, x: 0, y: 0, w: 5, h: 5, rotation: 0, attributes: {} }) as const;

describe('canvasSummary', () => {
  it('says the tool, the region count and the selection', () => {
    const label = config.labels[0]!.name;
    const e = new ImageEditorEngine({
      config,
      image: { width: 100, height: 100 },
      initial: { results: [box('a', label), box('b', label)], activeMs: 0 },
    });
    expect(canvasSummary(e)).toBe(`Box tool, new regions labelled ${label}. 2 regions; nothing selected.`);
    e.setTool('select');
    e.select(['a']);
    expect(canvasSummary(e)).toBe(`Select tool. 2 regions; selected: ${label} box.`);
    e.select(['a', 'b']);
    expect(canvasSummary(e)).toBe('Select tool. 2 regions; 2 selected.');
  });
});
