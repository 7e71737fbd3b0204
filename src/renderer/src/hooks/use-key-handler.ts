import { useEffect, useRef } from 'react';
import { shouldHandle } from '../features/keyboard/hotkey';

/**
 * Listens for keys on `window` in the bubble phase, after editors (which listen on `document` or
 * their own elements) had their chance to `preventDefault()`. The handler returns true when it
 * used the key. The latest handler is always called, without re-subscribing.
 */
export const useKeyHandler = (handler: (e: KeyboardEvent) => boolean, enabled = true): void => {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (!shouldHandle(e)) return;
      if (ref.current(e)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
};
