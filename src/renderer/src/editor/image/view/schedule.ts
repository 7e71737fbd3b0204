/** When the editor's deferred work runs: at an idle moment, or in a task of its own right away. */

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
 * Runs `fn` in a task of its own, queued as a posted message (as React's scheduler queues its
 * work): it comes before a worker's reply that arrives later, where a 0 ms timer was run after
 * it and after the next frame (measured: the regions of a cold open waited for the image);
 * returns its cancel.
 */
export const nextTask = (fn: () => void): (() => void) => {
  if (typeof MessageChannel !== 'function') {
    const t = setTimeout(fn, 0);
    return () => clearTimeout(t);
  }
  const ch = new MessageChannel();
  let live = true;
  ch.port1.onmessage = () => {
    ch.port1.close();
    if (live) fn();
  };
  ch.port2.postMessage(null);
  return () => {
    live = false;
    ch.port1.close();
  };
};
