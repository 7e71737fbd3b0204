import { z } from 'zod';
import type { AnnotationResult, ChoiceGroup } from '../../shared/model';
import { type NotImported, parseJsonLines } from './parse';
import { type TextTask, type TextTasks, checkedSpan } from './text-spans';

const score = z.number().min(0).max(1);
const SpacySpan = z
  .object({
    start: z.number().int().nonnegative(),
    end: z.number().int().nonnegative(),
    label: z.string().min(1),
    score: score.optional(),
  })
  .passthrough();
const SpacyLine = z
  .object({
    text: z.string(),
    spans: z.array(SpacySpan).optional(),
    ents: z.array(SpacySpan).optional(),
    cats: z.record(z.string(), score).optional(),
    meta: z
      .object({ task_id: z.string().optional(), source_id: z.string().optional() })
      .passthrough()
      .optional(),
  })
  .passthrough();

export interface TextFound {
  task: TextTask;
  results: AnnotationResult[];
}

/**
 * Document classes from spaCy `cats` (option → probability): per class group of the project, a
 * single-choice group takes its most probable option, a multiple-choice group every option, at
 * 0.5 or more; the result's score is the weakest chosen probability. Options of no group are
 * counted in `notImported`.
 */
export const classesFromCats = (
  cats: Record<string, number>,
  groups: readonly ChoiceGroup[],
  idPrefix: string,
  notImported: NotImported,
): AnnotationResult[] => {
  const known = new Set(groups.flatMap((g) => g.options.map((o) => o.name)));
  const unknown = Object.keys(cats).filter((k) => !known.has(k)).length;
  if (unknown) notImported.add("spaCy cats that are no option of the project's class groups", unknown);
  return groups.flatMap((g, gi) => {
    const scored = g.options
      .filter((o) => (cats[o.name] ?? 0) >= 0.5)
      .map((o) => ({ name: o.name, p: cats[o.name] as number }))
      .sort((a, b) => b.p - a.p);
    const chosen = g.multiple ? scored : scored.slice(0, 1);
    if (!chosen.length) return [];
    return [
      {
        type: 'doc-class' as const,
        id: `${idPrefix}-c${gi}`,
        group: g.name,
        labels: chosen.map((c) => c.name),
        score: Math.min(...chosen.map((c) => c.p)),
      },
    ];
  });
};

/**
 * spaCy-style JSONL (what the spaCy writer writes, and Prodigy / `Doc.to_json` lines):
 * `{text, spans | ents: [{start, end, label, score?}], cats?, meta?: {task_id, source_id}}`,
 * offsets in **code points**, end exclusive. A line is matched to its task by `meta` ids, else
 * by its text. Errors name the file, the line and the JSON path of the field.
 */
export const readSpacy = (
  text: string,
  file: string,
  tasks: TextTasks,
  groups: readonly ChoiceGroup[],
  notImported: NotImported,
): { found: TextFound[]; unmatched: string[] } => {
  const found: TextFound[] = [];
  const unmatched: string[] = [];
  for (const { line, value } of parseJsonLines(SpacyLine, text, file)) {
    const where = `${file} line ${line}`;
    const task = tasks.find([value.meta?.source_id, value.meta?.task_id], value.text, where);
    if (!task) {
      unmatched.push(`line ${line}`);
      continue;
    }
    const key = value.spans ? 'spans' : 'ents';
    const results: AnnotationResult[] = (value.spans ?? value.ents ?? []).map((s, k) => ({
      type: 'span',
      id: `spacy-${line}-${k + 1}`,
      ...checkedSpan(task.text, s, `${where}: $.${key}[${k}]`),
      attributes: {},
      ...(s.score === undefined ? {} : { score: s.score }),
    }));
    if (value.cats) results.push(...classesFromCats(value.cats, groups, `spacy-${line}`, notImported));
    found.push({ task, results });
  }
  return { found, unmatched };
};
