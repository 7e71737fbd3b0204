import { describe, expect, it } from 'vitest';
import demo from '../../../../../../resources/demo/image-project.json';
import { LabelConfig } from '../../../../../shared/model';
import type { Region } from '../engine/records';
import { TOOL_DEFS } from '../engine/tool-defs';
import { imageKeys } from '../keys';
import { REGION_KINDS, regionArea, regionBounds, regionHit, translateRegion, regionKind } from '.';

const base = { label: 'person', attributes: {} };
const samples: Region[] = [
  { ...base, type: 'bbox', id: 'b', x: 10, y: 20, w: 30, h: 40, rotation: 0 },
  {
    ...base,
    type: 'polygon',
    id: 'pg',
    points: [
      [0, 0],
      [40, 0],
      [40, 30],
      [0, 30],
    ],
  },
  {
    ...base,
    type: 'polyline',
    id: 'pl',
    points: [
      [0, 0],
      [40, 30],
    ],
  },
  {
    ...base,
    type: 'keypoints',
    id: 'k',
    points: [
      { x: 5, y: 5, v: 2 },
      { x: 25, y: 15, v: 1 },
      { x: 0, y: 0, v: 0 },
    ],
  },
];

describe('region kinds registry', () => {
  it('has one kind per region type, each with a sample here', () => {
    const types = REGION_KINDS.map((k) => k.type);
    expect(new Set(types).size).toBe(types.length);
    expect(samples.map((r) => r.type).sort()).toEqual([...types].sort());
  });

  it('every kind translates consistently with its bounds, and hits its own outline', () => {
    for (const r of samples) {
      const b = regionBounds(r)!;
      const moved = translateRegion(r, 7, -3);
      expect(regionBounds(moved)).toEqual({
        minX: b.minX + 7,
        minY: b.minY - 3,
        maxX: b.maxX + 7,
        maxY: b.maxY - 3,
      });
      expect(regionHit(r, [b.minX, b.minY], 2) || regionHit(r, [b.maxX, b.maxY], 2)).toBe(true);
      expect(regionHit(r, [b.maxX + 100, b.maxY + 100], 2)).toBe(false);
      expect(regionArea(r)).toBeGreaterThan(0);
      expect(regionKind(r).summary(r)).not.toBe('');
    }
  });

  it('tools, toolbar buttons and tool keys come from the kinds', () => {
    const keys = imageKeys(LabelConfig.parse(demo.labelConfig));
    for (const k of REGION_KINDS) {
      if (!k.tool) continue;
      expect(TOOL_DEFS.find((t) => t.id === k.type)).toMatchObject({ key: k.tool.key, icon: k.icon });
      expect(keys.get(`tool:${k.type}`)?.keys).toEqual([k.tool.key.toLowerCase()]);
    }
  });
});
