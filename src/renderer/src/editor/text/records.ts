/**
 * Records of the text editor's document store and their conversion to and from the saved
 * Annotation. Suggestions (pre-annotations from task predictions) live in the same store with a
 * `suggestion` tag naming the model, so accepting or rejecting one is an undoable change; they are
 * never saved as results. A rejected prediction result leaves a `dismissal` record, saved as
 * `Annotation.dismissedSuggestions`, so a reopened draft does not offer it again.
 */
import type {
  Annotation,
  AnnotationResult,
  DocClassResult,
  Prediction,
  RelationResult,
  SpanResult,
} from '../../../../shared/model';
import type { TextDoc } from './doc';

interface Suggested {
  /** Model name when this record is a suggestion not yet accepted. */
  suggestion?: string;
}
export type SpanRec = SpanResult & Suggested;
export type RelationRec = RelationResult & Suggested;
export type ClassRec = DocClassResult & Suggested;
/** A prediction result the annotator rejected (`of`: its id). */
export interface DismissalRec {
  type: 'dismissal';
  id: string;
  of: string;
  suggestion?: undefined;
}
export type TextRecord = SpanRec | RelationRec | ClassRec | DismissalRec;

export const isSpan = (r: TextRecord): r is SpanRec => r.type === 'span';
export const isRelation = (r: TextRecord): r is RelationRec => r.type === 'relation';
export const isClass = (r: TextRecord): r is ClassRec => r.type === 'doc-class';
export const isDismissal = (r: TextRecord): r is DismissalRec => r.type === 'dismissal';

export const dismissal = (of: string): DismissalRec => ({ type: 'dismissal', id: `dismissed:${of}`, of });

export const newId = (prefix: string): string => `${prefix}_${crypto.randomUUID().slice(0, 18)}`;

export interface Loaded {
  records: TextRecord[];
  /** Results this editor does not edit (kept and saved back untouched). */
  passthrough: AnnotationResult[];
  /** Human-readable problems found in the stored results (nothing is dropped for them). */
  problems: string[];
  /** Ids of prediction results rejected earlier. */
  dismissed: Set<string>;
}

/** Records from a stored annotation; spans are checked against the text (offsets ↔ covered text). */
export const loadAnnotation = (doc: TextDoc, annotation: Annotation): Loaded => {
  const records: TextRecord[] = [];
  const passthrough: AnnotationResult[] = [];
  const problems: string[] = [];
  for (const r of annotation.results) {
    if (r.type === 'span') {
      if (r.end > doc.cpLength)
        problems.push(`span ${r.id} ends at ${r.end}, past the text's end (${doc.cpLength})`);
      else if (doc.slice(r.start, r.end) !== r.text)
        problems.push(`span ${r.id} text "${r.text}" differs from the text at [${r.start}, ${r.end})`);
      records.push(r);
    } else if (r.type === 'relation' || r.type === 'doc-class') records.push(r);
    else passthrough.push(r);
  }
  const dismissed = new Set(annotation.dismissedSuggestions ?? []);
  for (const of of dismissed) records.push(dismissal(of));
  return { records, passthrough, problems, dismissed };
};

/**
 * The id each prediction result goes by in the editor: its own, or `model:id` when an earlier
 * prediction took that id (two models, or two imports, numbering their results alike), so
 * neither hides the other. Assigned in prediction order, so a draft's accepted and dismissed
 * ids mean the same results when the task is reopened. One map per prediction (its relations
 * name its spans by the prediction's own ids).
 */
export const predictionIds = (predictions: readonly Prediction[]): Map<string, string>[] => {
  const taken = new Set<string>();
  return predictions.map((p) => {
    const ids = new Map<string, string>();
    p.results.forEach((r, k) => {
      const id =
        [r.id, `${p.model}:${r.id}`.slice(0, 64)].find((c) => !taken.has(c)) ??
        `${p.model.slice(0, 40)}:${k}:${taken.size}`;
      taken.add(id);
      ids.set(r.id, id);
    });
    return ids;
  });
};

/**
 * Suggestions from predictions (under the ids of `predictionIds`), skipping those already
 * accepted (same id among the results, a span with the same offsets and label, or a class whose
 * labels are all chosen already), those rejected before (`dismissed`) and spans whose offsets
 * do not fit the text.
 */
export const loadSuggestions = (
  doc: TextDoc,
  predictions: Prediction[],
  existing: TextRecord[],
  dismissed: ReadonlySet<string> = new Set(),
): TextRecord[] => {
  if (predictions.length === 0) return [];
  const ids = new Set([...existing.map((r) => r.id), ...dismissed]);
  const chosen = new Map<string, Set<string>>();
  for (const r of existing) if (isClass(r)) chosen.set(r.group, new Set(r.labels));
  // A span the annotator drew themselves where a prediction says the same is not offered again.
  const drawn = new Set(existing.filter(isSpan).map((s) => `${s.start}:${s.end}:${s.label}`));
  const out: TextRecord[] = [];
  const assigned = predictionIds(predictions);
  predictions.forEach((p, pi) => {
    const idOf = (raw: string): string => assigned[pi]!.get(raw) ?? raw;
    for (const r of p.results) {
      const id = idOf(r.id);
      if (ids.has(id)) continue;
      const score = 'score' in r && r.score !== undefined ? r.score : p.score;
      if (r.type === 'span') {
        if (r.end > doc.cpLength || r.start >= r.end || drawn.has(`${r.start}:${r.end}:${r.label}`)) continue;
        out.push({
          ...r,
          id,
          text: doc.slice(r.start, r.end),
          suggestion: p.model,
          ...(score !== undefined ? { score } : {}),
        });
      } else if (r.type === 'doc-class') {
        const have = chosen.get(r.group);
        if (have && r.labels.every((l) => have.has(l))) continue;
        out.push({ ...r, id, suggestion: p.model, ...(score !== undefined ? { score } : {}) });
      } else if (r.type === 'relation')
        out.push({ ...r, id, from: idOf(r.from), to: idOf(r.to), suggestion: p.model });
      else continue;
      ids.add(id);
    }
  });
  return out;
};

/** Records are immutable results; only one that once was a suggestion needs copying. */
const stripSuggestion = (r: SpanRec | RelationRec | ClassRec): AnnotationResult => {
  if (!('suggestion' in r)) return r;
  const { suggestion: _s, ...rest } = r;
  return rest;
};

/** The annotation to save: accepted records only, spans in text order. */
export const toAnnotation = (
  records: Iterable<TextRecord>,
  passthrough: AnnotationResult[],
  activeMs: number,
): Annotation => {
  const spans: SpanRec[] = [];
  const rest: (RelationRec | ClassRec)[] = [];
  const dismissed: string[] = [];
  for (const r of records) {
    if (r.suggestion !== undefined) continue;
    if (isSpan(r)) spans.push(r);
    else if (isDismissal(r)) dismissed.push(r.of);
    else rest.push(r);
  }
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  rest.sort((a, b) => (a.type === b.type ? 0 : a.type === 'relation' ? -1 : 1));
  return {
    results: [...spans, ...rest].map(stripSuggestion).concat(passthrough),
    activeMs: Math.round(activeMs),
    ...(dismissed.length > 0 ? { dismissedSuggestions: dismissed.sort() } : {}),
  };
};
