import type {
  AnnotationResult,
  ChoiceGroup,
  DocClassResult,
  ImageClassResult,
} from '../../../../shared/model';
import { matchesHotkey, parseHotkey, type KeyLike } from '../keyboard/hotkey';

export type ClassResultType = 'image-class' | 'doc-class';
type ClassResult = ImageClassResult | DocClassResult;

const isClassResult = (r: AnnotationResult, type: ClassResultType, group: string): r is ClassResult =>
  r.type === type && r.group === group;

/** The labels chosen in one group (empty when none). */
export const chosenLabels = (
  results: readonly AnnotationResult[],
  type: ClassResultType,
  group: string,
): string[] => results.find((r): r is ClassResult => isClassResult(r, type, group))?.labels ?? [];

/**
 * Toggles `label` in `group`: a single-choice group replaces its choice, a multi-choice group adds
 * or removes it (kept in the config's order); removing the last label removes the result. Other
 * results are returned untouched and in place.
 */
export const toggleClass = (
  results: readonly AnnotationResult[],
  type: ClassResultType,
  group: ChoiceGroup,
  label: string,
  newId: () => string,
): AnnotationResult[] => {
  const i = results.findIndex((r) => isClassResult(r, type, group.name));
  const existing = i >= 0 ? (results[i] as ClassResult) : null;
  const had = existing?.labels ?? [];
  let labels: string[];
  if (had.includes(label)) labels = had.filter((l) => l !== label);
  else if (group.multiple) {
    const want = new Set([...had, label]);
    labels = group.options.map((o) => o.name).filter((n) => want.has(n));
  } else labels = [label];

  if (existing === null) return [...results, { type, id: newId(), group: group.name, labels } as ClassResult];
  const out = [...results];
  // A user's choice replaces a prediction's: the score no longer describes it.
  if (labels.length === 0) out.splice(i, 1);
  else out[i] = { type, id: existing.id, group: group.name, labels } as ClassResult;
  return out;
};

/** The group and option whose hotkey the event presses, if any. */
export const findClassByHotkey = (
  groups: readonly ChoiceGroup[],
  e: KeyLike,
): { group: ChoiceGroup; label: string } | null => {
  for (const group of groups) {
    for (const option of group.options) {
      const hk = option.hotkey ? parseHotkey(option.hotkey) : null;
      if (hk && matchesHotkey(hk, e)) return { group, label: option.name };
    }
  }
  return null;
};
