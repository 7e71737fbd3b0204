import { afterEach, describe, expect, it, vi } from 'vitest';
import type Konva from 'konva';
import { drawNow, flushDraws, isQueued, requestDraw } from './stage-pool';

/** A layer that counts its draws. */
const layer = () => {
  const l = { draws: 0, draw: () => void l.draws++, getStage: () => null };
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
