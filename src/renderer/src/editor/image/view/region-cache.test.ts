import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import demo from '../../../../../../resources/demo/image-project.json';
import { LabelConfig } from '../../../../../shared/model';
import { ImageEditorEngine } from '../engine/engine';
import { makeBoxes } from '../bench/fixtures';
import { MAX_LABELS, RegionCache } from './region-cache';
import { fakeCanvas, fakeContext } from './test-canvas';

const config = LabelConfig.parse(demo.labelConfig);
const labels = config.labels.map((l) => l.name);

/** An editor on a 1600×1200 image with `n` boxes, fitted into an 800×600 view. */
const open = (n: number) => {
  const engine = new ImageEditorEngine({
    config,
    image: { width: 1600, height: 1200 },
    initial: { results: makeBoxes(n, 1600, 1200, labels), activeMs: 0 },
  });
  engine.setViewport({ width: 800, height: 600 }, true);
  const cache = new RegionCache(engine);
  const bitmap = fakeCanvas();
  cache.useCanvas(bitmap as unknown as HTMLCanvasElement);
  return { cache, bitmap };
};
/** The layer's context, in world coordinates under the camera (scale 0.5 here). */
const layer = () => {
  const ctx = fakeContext();
  ctx.setTransform(0.5, 0, 0, 0.5, 0, 0);
  return ctx;
};

describe('the regions layer of a task just opened', () => {
  beforeAll(() => void vi.stubGlobal('window', { devicePixelRatio: 1 }));
  afterAll(() => void vi.unstubAllGlobals());

  it('draws few regions straight onto the layer: no bitmap to allocate and blit before the first frame', () => {
    const { cache, bitmap } = open(100);
    const ctx = layer();
    cache.draw(ctx);
    expect(ctx.named('strokeRect')).toHaveLength(100);
    expect(ctx.named('fillText')).toHaveLength(100);
    expect(ctx.named('drawImage')).toHaveLength(0);
    expect(bitmap.ctx).toBeNull();
  });

  it('draws the bitmap when primed, and the next draw only blits it', () => {
    const { cache, bitmap } = open(100);
    cache.draw(layer());
    cache.prime();
    expect(bitmap.ctx?.named('strokeRect')).toHaveLength(100);
    const ctx = layer();
    cache.draw(ctx);
    expect(ctx.named('drawImage')).toHaveLength(1);
    expect(ctx.named('strokeRect')).toHaveLength(0);
    cache.prime(); // nothing due: not drawn again
    expect(bitmap.ctx?.named('strokeRect')).toHaveLength(100);
  });

  it('with more regions in view than get labels, goes through the bitmap from the first draw', () => {
    const { cache, bitmap } = open(MAX_LABELS + 50);
    const ctx = layer();
    cache.draw(ctx);
    expect(ctx.named('drawImage')).toHaveLength(1);
    expect(ctx.named('strokeRect')).toHaveLength(0);
    expect(bitmap.ctx?.named('strokeRect')).toHaveLength(MAX_LABELS + 50);
  });

  it('draws into the top left of a bitmap allocated ahead, without resizing it, and blits that part', () => {
    const { cache, bitmap } = open(MAX_LABELS + 50);
    // The kept stage's bitmap, allocated at the stage's size at an idle moment.
    Object.assign(bitmap, { width: 1252, height: 934 });
    const ctx = layer();
    cache.draw(ctx);
    expect([bitmap.width, bitmap.height]).toEqual([1252, 934]);
    // The fitted image (736×552 on screen, with the fit's margin): that part is blitted.
    const [blit] = ctx.named('drawImage');
    expect(blit!.slice(1, 5)).toEqual([0, 0, 736, 552]);
  });

  it('grows a bitmap too small for the view, never shrinks one', () => {
    const { cache, bitmap } = open(MAX_LABELS + 50);
    Object.assign(bitmap, { width: 300, height: 1000 });
    cache.draw(layer());
    expect([bitmap.width, bitmap.height]).toEqual([736, 1000]);
  });
});
