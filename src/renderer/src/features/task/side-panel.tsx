import { createContext, useContext, type ReactNode } from 'react';
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
