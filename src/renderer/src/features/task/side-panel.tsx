import {
  createContext,
  useCallback,
  useContext,
  useId,
  useLayoutEffect,
  useState,
  type ReactNode,
} from 'react';
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
 * callback on a `display: contents` host in the panel, whose id is `hostId`) puts in place during
 * the commit. With it, an editor lays out once with its panel where it belongs, instead of first
 * in a column of its own and again a moment later (a second layout, and the image refitted to a
 * wider canvas). `SlotPlacer`, rendered before the editor, puts it there earlier still.
 */
export const useSidePanelSlot = (): [
  slot: HTMLElement,
  attach: (host: HTMLElement | null) => void,
  hostId: string,
] => {
  const hostId = useId();
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
  return [slot, attach, hostId];
};

/**
 * Rendered before the editor (layout effects run in tree order): puts the slot in its host before
 * the editor's own layout effects run. The image canvas measures itself there, which lays the
 * page out; a panel attached after it (the host's ref comes later in the tree) was laid out
 * again, with its style, in the frame that shows the switch (3.5–9 ms on this machine).
 */
export function SlotPlacer({ slot, hostId }: { slot: HTMLElement; hostId: string }) {
  useLayoutEffect(() => {
    const host = document.getElementById(hostId);
    if (host && slot.parentNode !== host) host.appendChild(slot);
  }, [slot, hostId]);
  return null;
}
