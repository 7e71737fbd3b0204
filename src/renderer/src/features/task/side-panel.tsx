import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

/**
 * The task screen's right panel has a slot at its top that the open editor fills (class list,
 * region list, rubric): editors render `<EditorSidePanel>` and it appears there, so every task
 * kind gets the same layout without the editor knowing the screen.
 */
export const SidePanelContext = createContext<HTMLElement | null>(null);

export function EditorSidePanel({ children }: { children: ReactNode }) {
  const target = useContext(SidePanelContext);
  return target ? createPortal(children, target) : null;
}

/**
 * The slot, there from the screen's first render: a detached element that `attach` (a ref
 * callback on a `display: contents` host in the panel) puts in place during the commit. With it,
 * an editor lays out once with its panel where it belongs, instead of first in a column of its
 * own and again a moment later (a second layout, and the image refitted to a wider canvas).
 */
export const useSidePanelSlot = (): [slot: HTMLElement, attach: (host: HTMLElement | null) => void] => {
  const [slot] = useState(() => {
    const el = document.createElement('div');
    el.className = 'side-panel-editor';
    return el;
  });
  const attach = useCallback(
    (host: HTMLElement | null) => {
      if (host && slot.parentNode !== host) host.appendChild(slot);
    },
    [slot],
  );
  return [slot, attach];
};
