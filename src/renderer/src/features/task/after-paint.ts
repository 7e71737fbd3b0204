/**
 * Resolves in the task after the next frame is painted: where work that must not hold up what
 * is being shown goes (claiming the task on screen, re-reading it, presence reports, closing the
 * last task's bitmaps). A hidden window paints no frames, so there (or if it is hidden before the
 * frame comes) a plain timer resolves it. The value is how long that frame's rendering took, from
 * its animation callbacks to the task after it (0 without a frame).
 */
export const afterNextPaint = (): Promise<number> =>
  new Promise((done) => {
    if (typeof requestAnimationFrame !== 'function' || document.visibilityState === 'hidden')
      return void setTimeout(() => done(0), 0);
    let settled = false;
    const go = (ms: number) => {
      if (settled) return;
      settled = true;
      done(ms);
    };
    requestAnimationFrame(() => {
      const t = performance.now();
      setTimeout(() => go(performance.now() - t), 0);
    });
    setTimeout(() => go(0), HIDDEN_FALLBACK_MS);
  });

/** Frames stop while a window is hidden: past this, the work runs anyway. */
const HIDDEN_FALLBACK_MS = 500;
