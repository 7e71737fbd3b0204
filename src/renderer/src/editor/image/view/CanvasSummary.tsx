import { useCallback, useSyncExternalStore } from 'react';
import type { ImageEditorEngine } from '../engine/engine';
import { canvasSummary } from '../engine/summary';

/**
 * The canvas's live summary for screen readers (visually hidden): re-read when the document or
 * the session changes; a string, so React updates the live region only when the words change.
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
  return (
    <div id={id} className="sr-only" role="status" aria-live="polite" data-testid="canvas-summary">
      {text}
    </div>
  );
}
