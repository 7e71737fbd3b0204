/**
 * Options for @tanstack/react-virtual lists that keep a just-mounted list from forcing layout in
 * the commit that shows it. The library's defaults read the scroller's getBoundingClientRect and
 * write its scroll position as the list attaches: either forces the whole new screen's layout in
 * the middle of the commit, and the first read, with no size known yet (0), renders no rows, so a
 * second render and a second full layout follow in the same task (a text task's switch did both).
 * With these, the first render uses the caller's `initialRect` (the list's CSS size, or the
 * window for a list that fills it), and the size comes from a ResizeObserver, which reports it in
 * the frame's own layout.
 */
import { elementScroll } from '@tanstack/react-virtual';

/** `observeElementRect`: the scroller's size from its ResizeObserver only. */
export const observeRectLater = (
  instance: { scrollElement: Element | null },
  cb: (rect: { width: number; height: number }) => void,
): (() => void) | undefined => {
  const el = instance.scrollElement;
  if (!el) return;
  const ro = new ResizeObserver(([entry]) => {
    if (entry)
      cb({ width: Math.round(entry.contentRect.width), height: Math.round(entry.contentRect.height) });
  });
  ro.observe(el);
  return () => ro.disconnect();
};

/** Scrollers already written to: a fresh one is at 0 already. */
const written = new WeakSet<Element>();

/** `scrollToFn`: the library's scroll write, minus a fresh scroller's first one to 0. */
export const scrollLater: typeof elementScroll = (offset, opts, instance) => {
  const el = instance.scrollElement;
  if (el && !written.has(el)) {
    written.add(el);
    if (offset + (opts.adjustments ?? 0) === 0) return;
  }
  elementScroll(offset, opts, instance);
};

/** The size a list filling the window's height can have at most: rows enough for any first frame. */
export const windowRect = (): { width: number; height: number } => ({
  width: typeof window === 'undefined' ? 0 : window.innerWidth,
  height: typeof window === 'undefined' ? 0 : window.innerHeight,
});
