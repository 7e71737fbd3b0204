/**
 * Puts the spare stage's canvases through their first compositor copies at idle, before any
 * image is opened.
 *
 * With software compositing, every commit copies each canvas on screen into shared memory for
 * the compositor (ProduceCanvasResource). A canvas's first three or so copies each take fresh
 * shared memory: 15–25 ms per 1250×930 canvas on the reference VM, 40–90 ms frames on a window's
 * first image open. From about the fourth the buffers handed back are reused (under 1 ms). Here
 * each canvas is shown, one at a time, in a 1 px invisible box for that many frames, so the open
 * reuses buffers from its first frame. With GPU compositing the copies are cheap anyway: the
 * warm-up costs a few quiet frames.
 */
import type Konva from 'konva';
import { afterNextPaint } from '../../../features/task/after-paint';

/** Frames each canvas is shown for: the compositor keeps about three buffers in flight. */
export const WARM_FRAMES = 4;

export interface WarmTarget {
  /** The stage's content element (what holds the layers' canvases). */
  content: HTMLElement;
  layers: Konva.Layer[];
  /** Whether the stage is still the spare: once taken, it is the editor's and is left alone. */
  stillSpare: () => boolean;
}

/**
 * Shows each layer's canvas in turn for WARM_FRAMES frames, in a 1×1 box at 1% opacity beneath
 * the page (a clipped canvas is still copied whole), touching one pixel each frame so each frame
 * commits; then parks the content again. Stops at once if the stage is taken meanwhile.
 */
export const warmCompositing = async (t: WarmTarget): Promise<void> => {
  const hidden = () => document.visibilityState === 'hidden';
  if (typeof document === 'undefined' || hidden()) return;
  const host = document.createElement('div');
  host.setAttribute('aria-hidden', 'true');
  host.style.cssText =
    'position:fixed;left:0;top:0;width:1px;height:1px;overflow:hidden;opacity:0.01;z-index:-1;pointer-events:none';
  const canvases = t.layers.map((l) => l.getCanvas()._canvas);
  const before = canvases.map((c) => c.style.visibility);
  document.body.appendChild(host);
  host.appendChild(t.content);
  try {
    for (const [i, canvas] of canvases.entries()) {
      // One canvas at a time: each warm-up frame copies one canvas, a task under 25 ms here.
      canvases.forEach((c, j) => (c.style.visibility = j === i ? 'visible' : 'hidden'));
      const ctx = canvas.getContext('2d');
      for (let f = 0; f < WARM_FRAMES; f++) {
        if (!t.stillSpare()) return;
        ctx?.clearRect(0, 0, 1, 1);
        // A hidden window paints nothing: the rest waits for the first open.
        if ((await afterNextPaint()) === 0 && hidden()) return;
      }
    }
  } finally {
    if (t.stillSpare()) {
      canvases.forEach((c, j) => (c.style.visibility = before[j] ?? ''));
      t.content.remove();
    }
    host.remove();
  }
};
