import { describe, expect, it, vi } from 'vitest';
import demo from '../../../../../../resources/demo/image-project.json';
import { LabelConfig, type Annotation } from '../../../../../shared/model';
import { ImageEditorEngine } from './engine';
import type { ToolPointer } from './tools/types';
import { cycleKeypointVisibility, stepKeypoint } from './keypoint-commands';

const config = LabelConfig.parse(demo.labelConfig);

const make = (
  initial: Annotation = { results: [], activeMs: 0 },
  extra: Partial<ConstructorParameters<typeof ImageEditorEngine>[0]> = {},
) => {
  const e = new ImageEditorEngine({ config, image: { width: 4000, height: 3000 }, initial, ...extra });
  e.setViewport({ width: 1000, height: 800 });
  e.setCamera({ x: 0, y: 0, scale: 1 }); // world = screen: easy arithmetic
  return e;
};
const pt = (x: number, y: number, mods: Partial<ToolPointer> = {}): ToolPointer => ({
  world: [x, y],
  button: 0,
  shift: false,
  alt: false,
  ctrl: false,
  ...mods,
});
const drag = (
  e: ImageEditorEngine,
  from: [number, number],
  to: [number, number],
  mods: Partial<ToolPointer> = {},
) => {
  e.pointerDown(pt(...from, mods));
  e.pointerMove(pt((from[0] + to[0]) / 2, (from[1] + to[1]) / 2, mods));
  e.pointerMove(pt(...to, mods));
  e.pointerUp(pt(...to, mods));
};
const click = (e: ImageEditorEngine, x: number, y: number, mods: Partial<ToolPointer> = {}) => {
  e.pointerDown(pt(x, y, mods));
  e.pointerUp(pt(x, y, mods));
};
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('annotation ↔ records', () => {
  it('round-trips results, keeps results of other tools, drops unaccepted suggestions', () => {
    const initial: Annotation = {
      activeMs: 1200,
      results: [
        {
          type: 'bbox',
          id: 'b1',
          label: 'person',
          x: 1,
          y: 2,
          w: 3,
          h: 4,
          rotation: 10,
          attributes: { pose: 'sitting' },
        },
        {
          type: 'polygon',
          id: 'p1',
          label: 'animal',
          points: [
            [0, 0],
            [10, 0],
            [5, 5],
          ],
          attributes: {},
        },
        { type: 'image-class', id: 'whatever', group: 'scene', labels: ['animal'] },
        { type: 'span', id: 's1', label: 'x', start: 0, end: 1, text: 'a', attributes: {} },
      ],
    };
    const e = make(initial, {
      predictions: [
        {
          model: 'm',
          score: 0.9,
          results: [
            { type: 'bbox', id: 'x', label: 'star', x: 0, y: 0, w: 5, h: 5, rotation: 0, attributes: {} },
          ],
        },
      ],
    });
    expect(e.regions()).toHaveLength(3);
    const out = e.annotation();
    expect(out.activeMs).toBe(1200);
    expect(out.results).toEqual([
      initial.results[0],
      initial.results[1],
      { type: 'image-class', id: 'class:scene', group: 'scene', labels: ['animal'] },
      initial.results[3],
    ]);
  });
});

describe('bbox tool', () => {
  it('draws a box as one gesture = one undo step; Esc mid-draw rolls back', async () => {
    const onChange = vi.fn();
    const e = make(undefined, { onChange });
    e.setTool('bbox');
    e.setLabel('animal');
    e.pointerDown(pt(100, 100));
    e.pointerMove(pt(150, 120));
    e.pointerMove(pt(300, 250));
    await flush();
    expect(onChange).not.toHaveBeenCalled(); // not during the gesture
    e.pointerUp(pt(300, 250));
    await flush();
    expect(onChange).toHaveBeenCalledTimes(1);
    const [box] = e.regions();
    expect(box).toMatchObject({
      type: 'bbox',
      label: 'animal',
      x: 100,
      y: 100,
      w: 200,
      h: 150,
      attributes: { occluded: false },
    });
    expect(e.session.get().selected.has(box!.id)).toBe(true);
    e.undo();
    expect(e.regions()).toHaveLength(0);
    e.redo();
    expect(e.regions()).toHaveLength(1);

    e.select([]);
    e.pointerDown(pt(500, 500));
    e.pointerMove(pt(600, 600));
    expect(e.regions()).toHaveLength(2);
    expect(e.toolKey('escape')).toBe(true);
    expect(e.regions()).toHaveLength(1);
    expect(e.history.canRedo).toBe(false);
    e.undo();
    expect(e.regions()).toHaveLength(0);
  });

  it('clamps to the image, ignores a click without drag, moves and resizes by handles, rotates', () => {
    const e = make();
    e.setTool('bbox');
    drag(e, [-50, -50], [100, 80]);
    const id = e.regions()[0]!.id;
    expect(e.region(id)).toMatchObject({ x: 0, y: 0, w: 100, h: 80 });
    click(e, 2000, 2000);
    expect(e.regions()).toHaveLength(1);
    expect(e.session.get().selected.size).toBe(0);

    e.setTool('select');
    drag(e, [50, 40], [70, 50]); // body drag moves it
    expect(e.region(id)).toMatchObject({ x: 20, y: 10, w: 100, h: 80 });
    drag(e, [120, 90], [220, 190]); // SE handle
    expect(e.region(id)).toMatchObject({ x: 20, y: 10, w: 200, h: 180 });
    // Rotation knob sits 28px above the top edge's midpoint.
    drag(e, [120, 10 - 28], [400, 100]);
    expect((e.region(id) as { rotation: number }).rotation).toBeCloseTo(90);
    expect(e.history.canUndo).toBe(true);
    e.undo();
    e.undo();
    e.undo();
    expect(e.region(id)).toMatchObject({ x: 0, y: 0, w: 100, h: 80, rotation: 0 });
  });
});

describe('select tool', () => {
  it('marquee, shift toggles, delete, duplicate, copy/paste, relabel by hotkey', () => {
    const e = make();
    e.setTool('bbox');
    drag(e, [0, 0], [10, 10]);
    drag(e, [100, 100], [110, 110]);
    drag(e, [1000, 1000], [1010, 1010]);
    e.setTool('select');
    drag(e, [-20, -20], [200, 200]);
    expect(e.session.get().selected.size).toBe(2);
    click(e, 1005, 1005, { shift: true });
    expect(e.session.get().selected.size).toBe(3);
    e.setLabel('star');
    expect(e.regions().every((r) => r.label === 'star')).toBe(true);
    e.undo();
    expect(e.regions().every((r) => r.label === 'person')).toBe(true);

    click(e, 5, 5);
    e.duplicateSelected();
    expect(e.regions()).toHaveLength(4);
    expect(e.selected()[0]).toMatchObject({ x: 10, y: 10 });
    expect(e.copy()).toBe(1);
    expect(e.paste()).toBe(1);
    expect(e.selected()[0]).toMatchObject({ x: 20, y: 20 });
    e.deleteSelected();
    expect(e.regions()).toHaveLength(4);
    e.setLocked([e.regions()[0]!.id]);
    expect(e.hitTest([2, 2])).toBeNull();
  });

  it('picks the smallest region under the pointer and skips hidden ones', () => {
    const e = make();
    e.setTool('bbox');
    drag(e, [0, 0], [500, 500]);
    drag(e, [100, 100], [150, 150]);
    const [big, small] = e.regions();
    expect(e.hitTest([120, 120])!.id).toBe(small!.id);
    e.setHidden([small!.id]);
    expect(e.hitTest([120, 120])!.id).toBe(big!.id);
  });
});

describe('polygon and polyline tools', () => {
  it('closes on the first point, edits vertices, inserts at a midpoint, alt+click deletes', () => {
    const e = make();
    e.setTool('polygon');
    click(e, 0, 0);
    click(e, 100, 0);
    click(e, 100, 100);
    expect(e.tool.draft()?.points).toHaveLength(3);
    click(e, 2, 2); // near the first point: closes
    const [poly] = e.regions();
    expect(poly).toMatchObject({
      type: 'polygon',
      points: [
        [0, 0],
        [100, 0],
        [100, 100],
      ],
    });
    drag(e, [100, 100], [120, 130]); // vertex drag
    expect(e.region(poly!.id)).toMatchObject({
      points: [
        [0, 0],
        [100, 0],
        [120, 130],
      ],
    });
    drag(e, [50, 0], [50, -20]); // midpoint of edge 0 → new vertex
    expect(e.region(poly!.id)).toMatchObject({
      points: [
        [0, 0],
        [50, -20],
        [100, 0],
        [120, 130],
      ],
    });
    click(e, 50, -20, { alt: true });
    expect(e.region(poly!.id)).toMatchObject({
      points: [
        [0, 0],
        [100, 0],
        [120, 130],
      ],
    });
    e.undo();
    e.undo();
    expect(e.region(poly!.id)).toMatchObject({
      points: [
        [0, 0],
        [100, 0],
        [120, 130],
      ],
    });
    e.undo();
    expect(e.region(poly!.id)).toMatchObject({
      points: [
        [0, 0],
        [100, 0],
        [100, 100],
      ],
    });
  });

  it('finishes a polyline with a double-click or Enter; Backspace and Esc edit the draft', () => {
    const e = make();
    e.setTool('polyline');
    click(e, 0, 0);
    click(e, 50, 50);
    click(e, 90, 0);
    e.pointerDown(pt(90, 0));
    e.pointerUp(pt(90, 0));
    e.dblclick(pt(90, 0));
    expect(e.regions()[0]).toMatchObject({
      type: 'polyline',
      points: [
        [0, 0],
        [50, 50],
        [90, 0],
      ],
    });
    e.select([]);
    click(e, 500, 500);
    click(e, 600, 500);
    click(e, 700, 500);
    expect(e.toolKey('backspace')).toBe(true);
    expect(e.toolKey('enter')).toBe(true);
    expect(e.regions()[1]).toMatchObject({
      points: [
        [500, 500],
        [600, 500],
      ],
    });
    click(e, 900, 900);
    expect(e.toolKey('escape')).toBe(true);
    expect(e.tool.state()).toBe('idle');
    expect(e.regions()).toHaveLength(2);
  });
});

describe('keypoints tool', () => {
  it('places the skeleton in order with occluded and skipped points', () => {
    const e = make();
    e.setTool('keypoints');
    click(e, 10, 10);
    click(e, 20, 20, { alt: true });
    expect(e.toolKey('skip-point')).toBe(true);
    click(e, 40, 40);
    click(e, 50, 50);
    const [k] = e.regions();
    expect(k).toMatchObject({
      type: 'keypoints',
      points: [
        { x: 10, y: 10, v: 2 },
        { x: 20, y: 20, v: 1 },
        { x: 0, y: 0, v: 0 },
        { x: 40, y: 40, v: 2 },
        { x: 50, y: 50, v: 2 },
      ],
    });
    click(e, 10, 10, { alt: true }); // toggles occlusion of the selected region's point
    expect(
      e.region(k!.id)!.type === 'keypoints' && (e.region(k!.id) as { points: { v: number }[] }).points[0]!.v,
    ).toBe(1);
    drag(e, [40, 40], [45, 44]);
    expect((e.region(k!.id) as { points: { x: number; y: number }[] }).points[3]).toMatchObject({
      x: 45,
      y: 44,
    });
    e.select([]);
    click(e, 100, 100);
    expect(e.toolKey('enter')).toBe(true);
    expect(e.regions()).toHaveLength(2);
  });
});

describe('keypoint states', () => {
  type Kps = { points: { x: number; y: number; v: number }[] };
  const skipped = () => {
    const e = make();
    e.setTool('keypoints');
    click(e, 10, 10);
    e.toolKey('skip-point'); // point 1 never placed
    click(e, 30, 30);
    click(e, 40, 40);
    click(e, 50, 50);
    const id = e.regions()[0]!.id;
    return { e, id, pts: () => (e.region(id) as unknown as Kps).points };
  };

  it('an absent point with a position is shown again where it was; one never placed is placed by the next click', async () => {
    const { e, id, pts } = skipped();
    expect(e.setKeypointVisibility(id, 2, 0)).toBe('done');
    expect(pts()[2]).toEqual({ x: 30, y: 30, v: 0 });
    expect(e.setKeypointVisibility(id, 2, 1)).toBe('done');
    expect(pts()[2]).toEqual({ x: 30, y: 30, v: 1 });
    // Never placed: armed, then the click places it (and does not start a new skeleton).
    expect(e.setKeypointVisibility(id, 1, 2)).toBe('placing');
    expect(pts()[1]!.v).toBe(0);
    click(e, 22, 24);
    expect(pts()[1]).toEqual({ x: 22, y: 24, v: 2 });
    expect(e.regions()).toHaveLength(1);
    expect(e.session.get().placing).toBeNull();
    e.undo();
    expect(pts()[1]).toEqual({ x: 0, y: 0, v: 0 });
    await flush();
  });

  it('Esc cancels placing; clicks outside the image are clamped to it', () => {
    const { e, id, pts } = skipped();
    e.setKeypointVisibility(id, 1, 1);
    expect(e.toolKey('escape')).toBe(true);
    expect(e.session.get().placing).toBeNull();
    click(e, 5000, -20); // no longer placing: the keypoints tool starts a new skeleton point
    expect(pts()[1]!.v).toBe(0);
    e.toolKey('escape');
    e.select([id]);
    e.setKeypointVisibility(id, 1, 1);
    click(e, 5000, -20);
    expect(pts()[1]).toEqual({ x: 4000, y: 0, v: 1 });
  });

  it('[ ] pick the point and O cycles it visible → occluded → absent → visible, each one undo step', () => {
    const { e, id, pts } = skipped();
    e.select([id]);
    expect(e.session.get().activePoint).toBe(0);
    expect(stepKeypoint(e, -1)).toBe(true);
    expect(e.session.get().activePoint).toBe(4);
    stepKeypoint(e, 1);
    stepKeypoint(e, 1);
    stepKeypoint(e, 1);
    expect(e.session.get().activePoint).toBe(2);
    const states: number[] = [];
    for (let i = 0; i < 3; i++) {
      cycleKeypointVisibility(e);
      states.push(pts()[2]!.v);
    }
    expect(states).toEqual([1, 0, 2]);
    expect(pts()[2]).toMatchObject({ x: 30, y: 30 });
    e.undo();
    expect(pts()[2]!.v).toBe(0);
    // The skipped point: O from absent arms placing.
    stepKeypoint(e, -1);
    cycleKeypointVisibility(e);
    expect(e.session.get().placing).toMatchObject({ id, index: 1, v: 2 });
    // Nothing selected: the keys are not used.
    e.select([]);
    expect(stepKeypoint(e, 1)).toBe(false);
    expect(cycleKeypointVisibility(e)).toBe(false);
  });
});

describe('rejected suggestions', () => {
  const box = (id: string, x: number) => ({
    type: 'bbox' as const,
    id,
    label: 'star',
    x,
    y: 0,
    w: 5,
    h: 5,
    rotation: 0,
    attributes: {},
    score: 0.9,
  });
  const predictions = [{ model: 'det', results: [box('a', 0), box('b', 100), box('c', 200), box('d', 300)] }];

  it('are saved as dismissedSuggestions and not offered again on reopen; accepted ones are not offered twice', () => {
    const e = make(undefined, { predictions });
    const byOrigin = (of: string) => e.regions().find((r) => r.suggested?.of === of)!;
    expect(e.rejectSuggestions([byOrigin('a').id])).toBe(1);
    e.select([byOrigin('b').id]);
    e.deleteSelected(); // deleting a suggestion rejects it too
    e.acceptSuggestions([byOrigin('c').id]);
    const saved = e.annotation();
    expect(saved.dismissedSuggestions).toEqual(['a', 'b']);
    expect(saved.results.map((r) => r.id)).toEqual(['c']);

    const again = make(saved, { predictions });
    expect(again.suggestions().map((r) => r.suggested!.of)).toEqual(['d']);
    expect(again.regions()).toHaveLength(2);
    expect(again.annotation()).toEqual(saved);
  });

  it('rejecting is undoable (the dismissal goes with it); reject all records each one', () => {
    const e = make(undefined, { predictions });
    e.rejectSuggestions([e.suggestions()[0]!.id]);
    expect(e.annotation().dismissedSuggestions).toEqual(['a']);
    e.undo();
    expect(e.annotation()).not.toHaveProperty('dismissedSuggestions');
    expect(e.suggestions()).toHaveLength(4);
    expect(e.rejectSuggestions()).toBe(4);
    expect(e.annotation().dismissedSuggestions).toEqual(['a', 'b', 'c', 'd']);
    e.undo();
    expect(e.suggestions()).toHaveLength(4);
  });

  it('two models with the same result ids get distinct records; accepting keeps an id found again on reopen', () => {
    const both = [...predictions, { model: 'seg', results: [box('a', 500)] }];
    const e = make(undefined, { predictions: both });
    expect(new Set(e.regions().map((r) => r.id)).size).toBe(5);
    const seg = e.regions().find((r) => r.suggested?.model === 'seg')!;
    expect(seg.id).toBe('seg:a');
    e.acceptSuggestions([seg.id]);
    const again = make(e.annotation(), { predictions: both });
    expect(again.suggestions()).toHaveLength(4);
  });
});

describe('classes, attributes, suggestions, previous task', () => {
  it('toggles a single-choice class and sets attributes', () => {
    const e = make();
    e.toggleClass('scene', 'person');
    e.toggleClass('scene', 'animal');
    expect(e.classLabels('scene')).toEqual(['animal']);
    e.toggleClass('scene', 'animal');
    expect(e.annotation().results).toEqual([]);
    e.setTool('bbox');
    drag(e, [0, 0], [10, 10]);
    const id = e.regions()[0]!.id;
    e.setAttribute(id, 'pose', 'sitting');
    expect(e.region(id)!.attributes).toEqual({ pose: 'sitting', truncated: false });
  });

  it('accepts, rejects and filters suggestions by score', () => {
    const box = (id: string, score: number) => ({
      type: 'bbox' as const,
      id,
      label: 'star',
      x: 0,
      y: 0,
      w: 5,
      h: 5,
      rotation: 0,
      attributes: {},
      score,
    });
    const e = make(undefined, {
      predictions: [{ model: 'det', results: [box('a', 0.9), box('b', 0.5), box('c', 0.2)] }],
    });
    expect(e.suggestions()).toHaveLength(3);
    e.session.set({ scoreThreshold: 0.4 });
    expect(e.suggestions()).toHaveLength(2);
    const low = e.regions().find((r) => r.score === 0.5)!;
    expect(e.rejectSuggestions([low.id])).toBe(1);
    expect(e.acceptSuggestions()).toBe(1);
    expect(e.annotation().results).toHaveLength(1);
    expect(e.annotation().results[0]).not.toHaveProperty('suggested');
    e.undo();
    expect(e.annotation().results).toHaveLength(0);
  });

  it('copies regions from the previous task with new ids, as one step', () => {
    const e = make();
    const prev: Annotation = {
      activeMs: 0,
      results: [
        { type: 'bbox', id: 'b1', label: 'person', x: 1, y: 2, w: 3, h: 4, rotation: 0, attributes: {} },
        {
          type: 'polyline',
          id: 'l1',
          label: 'word',
          points: [
            [0, 0],
            [1, 1],
          ],
          attributes: {},
        },
        { type: 'image-class', id: 'c', group: 'scene', labels: ['other'] },
      ],
    };
    expect(e.copyFrom(prev)).toBe(2);
    expect(e.regions().map((r) => r.id)).not.toContain('b1');
    e.undo();
    expect(e.regions()).toHaveLength(0);
  });
});

describe('starting label', () => {
  it('starts with the label last used in the project, else the first, never an unknown one', () => {
    const [first, second] = config.labels.map((l) => l.name);
    expect(make().session.get().label).toBe(first);
    expect(make(undefined, { label: second }).session.get().label).toBe(second);
    expect(make(undefined, { label: 'not-a-label' }).session.get().label).toBe(first);
  });
});

describe('camera fit', () => {
  it('centres the image on whole screen pixels', () => {
    const e = make();
    e.setViewport({ width: 1251, height: 931 }, true);
    const { camera } = e.session.get();
    expect(Number.isInteger(camera.x) && Number.isInteger(camera.y)).toBe(true);
    expect(camera.x).toBeCloseTo((1251 - 4000 * camera.scale) / 2, -0.5);
  });
});
