import { afterEach, describe, expect, it, vi } from 'vitest';
import type Konva from 'konva';
import { allocateLayer, drawNow, flushDraws, isQueued, requestDraw } from './stage-pool';

/** A layer that counts its draws, on a stage of `stage` size (none: not on a stage). */
const layer = (stage?: { width: number; height: number }) => {
  const canvas = { width: 1, height: 1, getPixelRatio: () => 1, _canvas: { style: { visibility: '' } } };
  const l = {
    draws: 0,
    canvas,
    draw: () => void l.draws++,
    getStage: () => (stage ? { width: () => stage.width, height: () => stage.height } : null),
    getCanvas: () => canvas,
    _setSize: (s: { width: number; height: number }) => Object.assign(canvas, s),
  };
  return l as typeof l & Konva.Layer;
};

describe('layer draws', () => {
  const frames: FrameRequestCallback[] = [];
  vi.stubGlobal('requestAnimationFrame', (f: FrameRequestCallback) => frames.push(f));
  vi.stubGlobal('cancelAnimationFrame', () => frames.splice(0));
  const frame = () => frames.splice(0).forEach((f) => f(0));
  afterEach(() => frames.splice(0));

  it('draws a requested layer once in the next frame, however often asked', () => {
    const a = layer();
    requestDraw(a);
    requestDraw(a);
    expect(a.draws).toBe(0);
    frame();
    expect(a.draws).toBe(1);
    frame();
    expect(a.draws).toBe(1);
  });

  it('a layer drawn at once is not drawn again by the frame (the switch draws in its commit)', () => {
    const a = layer();
    const b = layer();
    requestDraw(a);
    requestDraw(b);
    drawNow(a);
    expect(a.draws).toBe(1);
    frame();
    expect(a.draws).toBe(1);
    expect(b.draws).toBe(1);
  });

  it('flushDraws draws what is queued now', () => {
    const a = layer();
    requestDraw(a);
    flushDraws();
    expect(a.draws).toBe(1);
    frame();
    expect(a.draws).toBe(1);
  });

  it('says whether a layer has a draw queued (what it shows is out of date)', () => {
    const a = layer();
    expect(isQueued(a)).toBe(false);
    requestDraw(a);
    expect(isQueued(a)).toBe(true);
    drawNow(a);
    expect(isQueued(a)).toBe(false);
  });
});

describe('allocating a layer ahead of its first draw', () => {
  it('sizes its canvas to the stage and hides it until it is drawn', () => {
    const a = layer({ width: 40, height: 30 });
    allocateLayer(a);
    expect([a.canvas.width, a.canvas.height]).toEqual([40, 30]);
    expect(a.canvas._canvas.style.visibility).toBe('hidden');
    expect(a.draws).toBe(0);
    drawNow(a);
    expect(a.draws).toBe(1);
    expect(a.canvas._canvas.style.visibility).toBe('');
  });

  it('leaves a canvas already at the stage size as it is (shown)', () => {
    const a = layer({ width: 1, height: 1 });
    allocateLayer(a);
    expect(a.canvas._canvas.style.visibility).toBe('');
  });

  it('a layer drawn with the queued draws (the frame) is shown too', () => {
    const a = layer({ width: 8, height: 8 });
    allocateLayer(a);
    requestDraw(a);
    flushDraws();
    expect(a.draws).toBe(1);
    expect(a.canvas._canvas.style.visibility).toBe('');
  });
});
