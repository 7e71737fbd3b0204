import { useCallback, useSyncExternalStore } from 'react';
import type { TextEditorModel, TextSession } from './text-model';

export const useSession = (m: TextEditorModel): TextSession =>
  useSyncExternalStore(m.session.subscribe, m.session.getSnapshot);

/** Re-render on every document change (the store's version is the snapshot). */
export const useStoreVersion = (m: TextEditorModel): number => {
  const subscribe = useCallback((cb: () => void) => m.store.listen(() => cb()), [m]);
  return useSyncExternalStore(subscribe, () => m.store.version);
};

export const useHistoryState = (m: TextEditorModel): string => {
  const subscribe = useCallback((cb: () => void) => m.history.onChange(cb), [m]);
  return useSyncExternalStore(subscribe, () => `${m.history.canUndo}|${m.history.canRedo}`);
};
