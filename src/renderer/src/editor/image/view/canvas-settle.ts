/**
 * Waits, after a fresh stage's first image frame, until a frame's commit is cheap again.
 *
 * Every commit copies each canvas on screen to the compositor. With software compositing, a
 * fresh canvas's first copies each take new shared memory (about 15 ms per 1250×930 canvas on
 * the reference VM, traced as ProduceCanvasResource). Only from about the fourth commit are the
 * buffers the compositor handed back reused (under 1 ms). The cold open's panel and tools each
 * brought a layout of 10–16 ms into one of those frames, making 52–54 ms tasks. They now wait
 * behind frames that carry nothing else: each of those is a task of its own, under 50 ms.
 */

import { afterNextPaint } from '../../../features/task/after-paint';

/** A frame's commit this cheap means the canvases' buffers are being reused (ms). */
const CHEAP_FRAME_MS = 8;
/** Frames waited at most, whatever they cost. */
const MAX_FRAMES = 4;

/**
 * Resolves once a frame (the image's own, or one after it) rendered in under CHEAP_FRAME_MS,
 * or after MAX_FRAMES. A 1 px mark, invisible, changes each frame so each one commits.
 */
export const afterCanvasesSettle = async (): Promise<void> => {
  let mark: HTMLDivElement | null = null;
  try {
    for (let i = 0; i < MAX_FRAMES; i++) {
      if (i > 0) {
        mark ??= document.body.appendChild(document.createElement('div'));
        mark.style.cssText = `position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;background:rgb(128 128 128 / ${i % 2 ? 1 : 2}%)`;
      }
      // A hidden window has no frames: 0, and the wait ends.
      if ((await afterNextPaint()) < CHEAP_FRAME_MS) return;
    }
  } finally {
    mark?.remove();
  }
};
