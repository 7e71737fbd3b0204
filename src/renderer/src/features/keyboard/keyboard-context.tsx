import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { ActionTable } from '../../editor/core/keymap';
import { KeyRouter, type KeyEvent } from './key-router';

interface Keyboard {
  router: KeyRouter;
  /** Opens the one cheat sheet (the `?` key and the editors' `?` buttons). */
  showShortcuts(): void;
}

const KeyboardContext = createContext<Keyboard | null>(null);

/**
 * Owns the app's one keydown listener (on `window`, bubble phase, after elements' own
 * `onKeyDown`). Standalone pages (benches) mount editors inside one too.
 */
export function KeyboardProvider({
  children,
  showShortcuts = () => undefined,
}: {
  children: ReactNode;
  showShortcuts?: () => void;
}) {
  const [router] = useState(() => new KeyRouter());
  const show = useRef(showShortcuts);
  useEffect(() => {
    show.current = showShortcuts;
  });
  const [value] = useState<Keyboard>(() => ({ router, showShortcuts: () => show.current() }));
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => void router.route(e as KeyEvent);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [router]);
  return <KeyboardContext.Provider value={value}>{children}</KeyboardContext.Provider>;
}

export const useKeyboard = (): Keyboard => {
  const k = useContext(KeyboardContext);
  if (!k) throw new Error('useKeyboard outside a KeyboardProvider');
  return k;
};

/**
 * Registers an action table while the component is mounted. `ctx` is read at key time, so it
 * may close over the latest props and state without re-registering.
 */
export const useKeyScope = <C,>(
  opts: { id: string; priority: number; title: string; table: ActionTable<C>; ctx: () => C },
  enabled = true,
): void => {
  const { router } = useKeyboard();
  const ctx = useRef(opts.ctx);
  useEffect(() => {
    ctx.current = opts.ctx;
  });
  const { id, priority, title, table } = opts;
  useEffect(() => {
    if (!enabled) return;
    return router.addScope({
      id,
      priority,
      title,
      table: table as ActionTable<unknown>,
      ctx: () => ctx.current(),
    });
  }, [router, id, priority, title, table, enabled]);
};

/**
 * While `open`, this popover or dialog is the innermost layer: Esc closes it and nothing else;
 * `modal` keeps every other key from the screen under it.
 */
export const useKeyLayer = (
  open: boolean,
  close: () => void,
  modal: boolean,
  handle?: (e: KeyEvent) => boolean,
): void => {
  const { router } = useKeyboard();
  const closeRef = useRef(close);
  const handleRef = useRef(handle);
  useEffect(() => {
    closeRef.current = close;
    handleRef.current = handle;
  });
  useEffect(() => {
    if (!open) return;
    return router.addLayer({
      modal,
      close: () => closeRef.current(),
      handle: (e) => handleRef.current?.(e) ?? false,
    });
  }, [router, open, modal]);
};
