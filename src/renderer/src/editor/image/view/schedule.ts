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

/**
 * Runs `fn` in a task of its own, soon (a 0 ms timer); returns its cancel. Work split off a long
 * task goes here, so a frame or a message can come between.
 */
export const inNextTask = (fn: () => void): (() => void) => {
  const t = setTimeout(fn, 0);
  return () => clearTimeout(t);
};
