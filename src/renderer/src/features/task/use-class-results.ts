import { useCallback, useEffect, useRef, useState } from 'react';
import type { Annotation, AnnotationResult, ChoiceGroup } from '../../../../shared/model';
import { shouldHandle } from '../keyboard/hotkey';
import { findClassByHotkey, toggleClass, type ClassResultType } from './class-toggle';

const newId = (): string =>
  typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `r${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;

/**
 * An editor's whole-item classes: the results, a toggle, and the class hotkeys. Keys are read on
 * `document`, before the task screen's `window` listener, and consumed with preventDefault.
 */
export const useClassResults = (
  initial: Annotation,
  groups: readonly ChoiceGroup[],
  type: ClassResultType,
  onChange: (a: Annotation) => void,
) => {
  const [results, setResults] = useState<AnnotationResult[]>(initial.results);
  const ref = useRef(results);

  const toggle = useCallback(
    (group: ChoiceGroup, label: string) => {
      const next = toggleClass(ref.current, type, group, label, newId);
      ref.current = next;
      setResults(next);
      onChange({ ...initial, results: next });
    },
    [initial, onChange, type],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!shouldHandle(e) || e.repeat) return;
      const hit = findClassByHotkey(groups, e);
      if (!hit) return;
      e.preventDefault();
      toggle(hit.group, hit.label);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [groups, toggle]);

  return { results, toggle };
};
