import { useCallback, useSyncExternalStore } from 'react';
import type { ImageEditorEngine } from '../engine/engine';
import type { ImageSession } from '../engine/session';

/** Subscribe to one slice of session state; the component re-renders only when the slice changes. */
export const useSession = <T>(engine: ImageEditorEngine, pick: (s: ImageSession) => T): T => {
  const get = useCallback(() => pick(engine.session.get()), [engine, pick]);
  return useSyncExternalStore(engine.session.subscribe, get, get);
};

/** The document's version: bumps on every change. */
export const useDocVersion = (engine: ImageEditorEngine): number => {
  const subscribe = useCallback((l: () => void) => engine.store.listen(() => l()), [engine]);
  const get = useCallback(() => engine.store.version, [engine]);
  return useSyncExternalStore(subscribe, get, get);
};

/** History flags for the undo/redo buttons. */
export const useHistoryFlags = (engine: ImageEditorEngine): string => {
  const subscribe = useCallback(
    (l: () => void) => {
      const a = engine.history.onChange(l);
      const b = engine.store.listen(() => l());
      return () => {
        a();
        b();
      };
    },
    [engine],
  );
  const get = useCallback(
    () => `${engine.history.canUndo ? 'u' : ''}${engine.history.canRedo ? 'r' : ''}`,
    [engine],
  );
  return useSyncExternalStore(subscribe, get, get);
};
