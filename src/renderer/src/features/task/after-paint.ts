/**
 * Resolves in the task after the next frame is painted: where work that must not hold up what
 * is being shown goes (claiming the task on screen, re-reading it, presence reports, closing the
 * last task's bitmaps). A hidden window paints no frames, so there (or if it is hidden before the
 * frame comes) a plain timer resolves it.
 */
export const afterNextPaint = (): Promise<void> =>
  new Promise((done) => {
    if (typeof requestAnimationFrame !== 'function' || document.visibilityState === 'hidden')
      return void setTimeout(done, 0);
    let settled = false;
    const go = () => {
      if (settled) return;
      settled = true;
      done();
    };
    requestAnimationFrame(() => setTimeout(go, 0));
    setTimeout(go, HIDDEN_FALLBACK_MS);
  });

/** Frames stop while a window is hidden: past this, the work runs anyway. */
const HIDDEN_FALLBACK_MS = 500;
