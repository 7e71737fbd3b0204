import { useEffect, useRef, type KeyboardEvent as ReactKeyboardEvent, type RefObject } from 'react';
import type { KeyEvent } from '../features/keyboard/key-router';
import { useKeyLayer } from '../features/keyboard/keyboard-context';

/** What Tab may stop on (the browser's own list, minus what is disabled, hidden or inert). */
const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"]), [contenteditable="true"]';

export const focusableIn = (root: Element): HTMLElement[] =>
  [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => !el.closest('[inert]') && el.getClientRects().length > 0,
  );

/** Marks everything but `keep` (and its ancestors) inert; returns the undo. */
const inertOthers = (keep: HTMLElement): (() => void) => {
  const marked: Element[] = [];
  for (let el: HTMLElement | null = keep; el && el !== document.body; el = el.parentElement) {
    for (const sib of el.parentElement?.children ?? []) {
      if (sib === el || sib.hasAttribute('inert') || sib.tagName === 'SCRIPT') continue;
      sib.setAttribute('inert', '');
      marked.push(sib);
    }
  }
  return () => marked.forEach((m) => m.removeAttribute('inert'));
};

export interface ModalOptions {
  onClose(): void;
  /** Keys besides Esc that close it (the `?` of the cheat sheet, Ctrl+, of the sync dialog). */
  closes?: (e: KeyEvent) => boolean;
}

/**
 * One dialog's behaviour, the same for every dialog. Keys: a modal layer of the one key handler
 * (`useKeyLayer`), so Esc closes it — only it, never the screen below — and no key reaches the
 * screens' and editors' tables. Focus: on open it moves into the dialog and the rest of the page
 * goes inert (no click, no Tab stop, hidden from screen readers); Tab and Shift+Tab cycle inside;
 * on close focus returns where it was. Spread `dialogProps` on the element with `role="dialog"`
 * (inside an `.overlay` or a `[data-modal-root]` backdrop, which stays live).
 */
export const useModal = <T extends HTMLElement>(
  opts: ModalOptions,
): {
  ref: RefObject<T | null>;
  dialogProps: { tabIndex: -1; 'aria-modal': true; onKeyDown(e: ReactKeyboardEvent): void };
} => {
  const ref = useRef<T | null>(null);
  const optsRef = useRef(opts);
  useEffect(() => {
    optsRef.current = opts;
  });
  useKeyLayer(
    true,
    () => optsRef.current.onClose(),
    true,
    (e) => {
      if (!optsRef.current.closes?.(e)) return false;
      optsRef.current.onClose();
      return true;
    },
  );

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const before = document.activeElement;
    const restoreInert = inertOthers(el.closest<HTMLElement>('.overlay, [data-modal-root]') ?? el);
    el.focus();
    return () => {
      restoreInert();
      if (before instanceof HTMLElement && before.isConnected) before.focus();
    };
  }, []);

  // Tab cycles inside (the browser would leave for its own UI after the last control).
  const onKeyDown = (e: ReactKeyboardEvent) => {
    const el = ref.current;
    if (!el || e.key !== 'Tab' || e.altKey || e.ctrlKey || e.metaKey) return;
    const stops = focusableIn(el);
    e.preventDefault();
    if (stops.length === 0) {
      el.focus();
      return;
    }
    const i = stops.indexOf(document.activeElement as HTMLElement);
    const next = e.shiftKey
      ? i <= 0
        ? stops.length - 1
        : i - 1
      : i < 0 || i === stops.length - 1
        ? 0
        : i + 1;
    stops[next]!.focus();
  };

  return { ref, dialogProps: { tabIndex: -1, 'aria-modal': true, onKeyDown } };
};
