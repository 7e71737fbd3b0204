import { useEffect, useRef, type KeyboardEvent as ReactKeyboardEvent, type RefObject } from 'react';

/** What Tab may stop on (the browser's own list, minus what is disabled, hidden or inert). */
const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"]), [contenteditable="true"]';

export const focusableIn = (root: Element): HTMLElement[] =>
  [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => !el.closest('[inert]') && el.getClientRects().length > 0,
  );

/**
 * The open dialogs, innermost last. One list for the document (as the DOM's own top layer is):
 * only the innermost dialog answers keys, and a dialog opened over another inerts it.
 */
const open: HTMLElement[] = [];

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
  /** Keys besides Esc that close it (the `?` of a cheat sheet, Ctrl+, of the sync dialog). */
  closes?: (e: KeyboardEvent | ReactKeyboardEvent) => boolean;
  /** Focus on open: a selector inside the dialog, else the dialog itself (tabIndex -1). */
  initialFocus?: string;
}

/**
 * One dialog's keyboard behaviour, the same for every dialog: on open it takes focus and makes
 * the rest of the page inert (no click, no Tab stop, hidden from screen readers); Tab and
 * Shift+Tab cycle inside it; Esc closes it — only it, never the screen below; no key reaches the
 * screen below (the editors and the task screen listen on `document`/`window`); on close focus
 * returns where it was. Spread `dialogProps` on the element with `role="dialog"`.
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

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const before = document.activeElement;
    open.push(el);
    const restoreInert = inertOthers(el.closest('.overlay, [data-modal-root]') ?? el);
    const first = optsRef.current.initialFocus
      ? el.querySelector<HTMLElement>(optsRef.current.initialFocus)
      : null;
    (first ?? el).focus();
    // A key whose target is outside the dialog (focus lost to <body>, e.g. when the focused
    // button became disabled) must not act on the page; Esc still closes, Tab comes back in.
    const guard = (e: KeyboardEvent) => {
      if (open[open.length - 1] !== el || el.contains(e.target as Node)) return;
      e.preventDefault();
      e.stopPropagation();
      if (e.key === 'Escape' || optsRef.current.closes?.(e)) optsRef.current.onClose();
      else (focusableIn(el)[0] ?? el).focus();
    };
    document.addEventListener('keydown', guard, true);
    return () => {
      document.removeEventListener('keydown', guard, true);
      restoreInert();
      open.splice(open.indexOf(el), 1);
      if (before instanceof HTMLElement && before.isConnected) before.focus();
    };
  }, []);

  const onKeyDown = (e: ReactKeyboardEvent) => {
    const el = ref.current;
    if (!el || open[open.length - 1] !== el) return;
    // Nothing below hears a key pressed in the dialog (React's root is below document/window).
    e.stopPropagation();
    if (e.key === 'Escape' || optsRef.current.closes?.(e)) {
      e.preventDefault();
      optsRef.current.onClose();
      return;
    }
    if (e.key !== 'Tab') return;
    const stops = focusableIn(el);
    if (stops.length === 0) {
      e.preventDefault();
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
    e.preventDefault();
    stops[next]!.focus();
  };

  return { ref, dialogProps: { tabIndex: -1, 'aria-modal': true, onKeyDown } };
};
