import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { ImageEditorEngine } from '../engine/engine';
import { canvasSummary } from '../engine/summary';

/**
 * The canvas's live summary for screen readers (visually hidden): re-read when the document or
 * the session changes; a string, so React updates the live region only when the words change.
 * Its words come in the frame after the editor's first one: a live region is not read out on
 * mount anyway, and the first editor opened in a window would otherwise have its first layout
 * load the page's fonts (~4 ms, in the task that draws the image).
 */
export function CanvasSummary({ engine, id }: { engine: ImageEditorEngine; id: string }) {
  const subscribe = useCallback(
    (l: () => void) => {
      const a = engine.session.subscribe(l);
      const b = engine.store.listen(() => l());
      return () => {
        a();
        b();
      };
    },
    [engine],
  );
  const get = useCallback(() => canvasSummary(engine), [engine]);
  const text = useSyncExternalStore(subscribe, get, get);
  const [mounted, setMounted] = useState(false);
  useEffect(() => {
    const f = requestAnimationFrame(() => setMounted(true));
    return () => cancelAnimationFrame(f);
  }, []);
  return (
    <div id={id} className="sr-only" role="status" aria-live="polite" data-testid="canvas-summary">
      {mounted ? text : ''}
    </div>
  );
}
