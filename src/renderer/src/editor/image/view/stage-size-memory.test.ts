import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recallStageSize, rememberStageSize } from './stage-size-memory';

describe('the stage size kept per window geometry', () => {
  const store = new Map<string, string>();
  const win = { innerWidth: 1600, innerHeight: 1000, devicePixelRatio: 1 };
  vi.stubGlobal('window', win);
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
  });
  /** Remembers, then lets the write come (it waits for sizes to stop changing). */
  const remember = (size: { width: number; height: number }) => {
    rememberStageSize(size);
    vi.runAllTimers();
  };
  afterEach(() => vi.useRealTimers());
  beforeEach(() => {
    vi.useFakeTimers();
    store.clear();
    Object.assign(win, { innerWidth: 1600, innerHeight: 1000, devicePixelRatio: 1 });
  });

  it('recalls what was remembered in a window of the same size and pixel ratio only', () => {
    expect(recallStageSize()).toBeNull();
    remember({ width: 1252, height: 934 });
    expect(recallStageSize()).toEqual({ width: 1252, height: 934 });
    win.devicePixelRatio = 2;
    expect(recallStageSize()).toBeNull();
    remember({ width: 1252, height: 930 });
    win.devicePixelRatio = 1;
    expect(recallStageSize()).toEqual({ width: 1252, height: 934 });
  });

  it('keeps the six geometries used last', () => {
    for (let w = 1000; w < 1008; w++) {
      win.innerWidth = w;
      remember({ width: w - 30, height: 900 });
    }
    win.innerWidth = 1001;
    expect(recallStageSize()).toBeNull();
    win.innerWidth = 1002;
    expect(recallStageSize()).toEqual({ width: 972, height: 900 });
    expect(JSON.parse(store.get('outrigger.stageSize')!)).toHaveLength(6);
  });

  it("writes a geometry's first size at once, then only the last size of a resize drag", () => {
    win.innerWidth = 1366;
    const setItem = vi.spyOn(localStorage, 'setItem');
    rememberStageSize({ width: 1000, height: 700 });
    // Written before any timer: a window closed right after its first open still leaves it.
    expect(setItem).toHaveBeenCalledTimes(1);
    expect(recallStageSize()).toEqual({ width: 1000, height: 700 });
    for (let h = 900; h < 960; h++) rememberStageSize({ width: 1252, height: h });
    expect(setItem).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1_000);
    expect(setItem).toHaveBeenCalledTimes(2);
    expect(recallStageSize()).toEqual({ width: 1252, height: 959 });
  });

  it('ignores a stored value that is not JSON or not sizes, and writes over it', () => {
    store.set('outrigger.stageSize', '{not json');
    expect(recallStageSize()).toBeNull();
    store.set(
      'outrigger.stageSize',
      JSON.stringify([{ window: '1600x1000@1', size: { width: -5, height: 2 } }]),
    );
    expect(recallStageSize()).toBeNull();
    remember({ width: 800, height: 600 });
    expect(recallStageSize()).toEqual({ width: 800, height: 600 });
  });
});
