import { afterEach, describe, expect, it, vi } from 'vitest';
import { afterCanvasesSettle } from './canvas-settle';

/**
 * Frames driven by hand: each costs what `costs` says next (the clock moves that much between a
 * frame's animation callbacks and the task after it).
 */
const setup = (costs: number[]) => {
  let now = 0;
  const frames: FrameRequestCallback[] = [];
  const marks: string[] = [];
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  vi.spyOn(performance, 'now').mockImplementation(() => now);
  vi.stubGlobal('requestAnimationFrame', (f: FrameRequestCallback) => frames.push(f));
  const mark = { style: { cssText: '' }, remove: () => marks.push('removed') };
  vi.stubGlobal('document', {
    visibilityState: 'visible',
    createElement: () => mark,
    body: {
      appendChild: (el: typeof mark) => {
        marks.push('added');
        return el;
      },
    },
  });
  let count = 0;
  /** Runs the next frame and the task after it; false when none was asked for. */
  const frame = async (): Promise<boolean> => {
    const f = frames.shift();
    if (!f) return false;
    f(now);
    now += costs[count++] ?? 0;
    await vi.advanceTimersByTimeAsync(0);
    return true;
  };
  return { frame, frames: () => count, marks };
};

describe('waiting for the canvases to settle after a cold open', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('waits through expensive frames, each changed so it commits, until one is cheap', async () => {
    const t = setup([40, 35, 30, 3, 3]);
    let done = false;
    void afterCanvasesSettle().then(() => (done = true));
    while (!done && (await t.frame()));
    expect(done).toBe(true);
    expect(t.frames()).toBe(4);
    expect(t.marks).toEqual(['added', 'removed']);
  });

  it('stops after four frames however long they take', async () => {
    const t = setup([60, 60, 60, 60, 60, 60]);
    let done = false;
    void afterCanvasesSettle().then(() => (done = true));
    while (!done && (await t.frame()));
    expect(t.frames()).toBe(4);
    expect(done).toBe(true);
  });

  it('a cheap first frame (a machine that composites fast) waits for nothing more', async () => {
    const t = setup([2]);
    let done = false;
    void afterCanvasesSettle().then(() => (done = true));
    await t.frame();
    expect(done).toBe(true);
    expect(t.marks).toEqual([]);
  });

  it('a window without frames (hidden) goes on after a timeout', async () => {
    setup([]);
    let done = false;
    void afterCanvasesSettle().then(() => (done = true));
    await vi.advanceTimersByTimeAsync(499);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
  });
});
