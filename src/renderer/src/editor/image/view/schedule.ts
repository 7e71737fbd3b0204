/** When the editor's deferred work runs: at an idle moment. */

/**
 * Runs `fn` when the window is idle, at the latest after `timeoutMs` (a timer where there is no
 * `requestIdleCallback`); returns its cancel. Work the editor does ahead of need goes here.
 */
export const whenIdle = (fn: () => void, timeoutMs: number): (() => void) => {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(fn, { timeout: timeoutMs });
    return () => cancelIdleCallback(id);
  }
  const t = setTimeout(fn, Math.min(200, timeoutMs));
  return () => clearTimeout(t);
};
