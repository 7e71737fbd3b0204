import type {
  Annotation,
  AnnotationResult,
  BBoxResult,
  ImageClassResult,
  KeypointsResult,
  LabelClass,
  LabelConfig,
  PolygonResult,
  PolylineResult,
  Prediction,
} from '../../../../../shared/model';
import { isRegionType, translateRegion } from '../kinds';

/**
 * A region as the editor stores it: the stored result plus, for pre-annotations, where it came
 * from (`of`: the prediction result's own id, which rejecting it records).
 */
type WithOrigin<T> = T & { suggested?: { model: string; of?: string } };
export type BoxRegion = WithOrigin<BBoxResult>;
export type PolygonRegion = WithOrigin<PolygonResult>;
export type PolylineRegion = WithOrigin<PolylineResult>;
export type KeypointsRegion = WithOrigin<KeypointsResult>;
/** Every region kind's record (each has its module in `kinds/`). */
export type Region = BoxRegion | PolygonRegion | PolylineRegion | KeypointsRegion;
export type ClassRecord = ImageClassResult;
/**
 * A prediction result the annotator rejected (`of`: its id). Saved as
 * `Annotation.dismissedSuggestions`, so a reopened draft does not offer it again; a record, so
 * rejecting and its undo are one diff.
 */
export interface DismissalRecord {
  type: 'dismissal';
  id: string;
  of: string;
}
export type ImageRecord = Region | ClassRecord | DismissalRecord;

export const dismissal = (of: string): DismissalRecord => ({ type: 'dismissal', id: `dismissed:${of}`, of });

export const isRegion = (r: ImageRecord | AnnotationResult): r is Region => isRegionType(r.type);

export const newId = (): string => crypto.randomUUID();

/** Image-class records have one fixed id per choice group, so toggles update in place. */
export const classRecordId = (group: string): string => `class:${group}`.slice(0, 64);

export interface LoadedDocument {
  records: ImageRecord[];
  /** Prediction result ids rejected earlier. */
  dismissed: Set<string>;
  /** Results this editor does not edit (e.g. spans from another tool): kept and written back. */
  passthrough: AnnotationResult[];
}

export const annotationToRecords = (a: Annotation): LoadedDocument => {
  const records: ImageRecord[] = [];
  const passthrough: AnnotationResult[] = [];
  for (const r of a.results) {
    if (isRegion(r)) records.push(r);
    else if (r.type === 'image-class') records.push({ ...r, id: classRecordId(r.group) });
    else passthrough.push(r);
  }
  const dismissed = new Set(a.dismissedSuggestions ?? []);
  for (const of of dismissed) records.push(dismissal(of));
  return { records, passthrough, dismissed };
};

/** Strip editor-only fields; suggestions that were never accepted are not part of the work. */
export const recordsToAnnotation = (
  records: Iterable<ImageRecord>,
  passthrough: readonly AnnotationResult[],
  activeMs: number,
): Annotation => {
  const results: AnnotationResult[] = [];
  const dismissed: string[] = [];
  for (const r of records) {
    if (r.type === 'dismissal') {
      dismissed.push(r.of);
      continue;
    }
    if (r.type === 'image-class') {
      if (r.labels.length > 0) results.push(r);
      continue;
    }
    if (r.suggested) continue;
    const { suggested: _s, ...rest } = r;
    results.push(rest as AnnotationResult);
  }
  return {
    results: [...results, ...passthrough],
    activeMs: Math.round(activeMs),
    ...(dismissed.length > 0 ? { dismissedSuggestions: dismissed.sort() } : {}),
  };
};

/**
 * Predictions become suggestion records, except those rejected before (`dismissed`) and those
 * already accepted: an accepted suggestion keeps the prediction's id (or `model:id` when that id
 * was taken, e.g. two models using the same ids), so it is found among the results.
 */
export const predictionsToRecords = (
  predictions: readonly Prediction[],
  existing: ReadonlySet<string> = new Set(),
  dismissed: ReadonlySet<string> = new Set(),
): Region[] => {
  const out: Region[] = [];
  const used = new Set(existing);
  for (const p of predictions) {
    for (const r of p.results) {
      if (!isRegion(r) || dismissed.has(r.id)) continue;
      const candidates = [r.id, `${p.model}:${r.id}`.slice(0, 64)];
      if (candidates.some((c) => existing.has(c))) continue;
      const id = candidates.find((c) => !used.has(c)) ?? newId();
      used.add(id);
      const score = r.score ?? p.score;
      out.push({
        ...r,
        id,
        ...(score === undefined ? {} : { score }),
        suggested: { model: p.model, of: r.id },
      });
    }
  }
  return out;
};

/** Default attribute values of a label, from the label config. */
export const defaultAttributes = (label: LabelClass | undefined): Record<string, string | boolean> => {
  const out: Record<string, string | boolean> = {};
  for (const a of label?.attributes ?? []) {
    if (a.type === 'checkbox') out[a.name] = a.default ?? false;
    else if (a.type === 'select') out[a.name] = a.default ?? a.options[0]!;
    else out[a.name] = a.default ?? '';
  }
  return out;
};

export const labelByName = (config: LabelConfig, name: string): LabelClass | undefined =>
  config.labels.find((l) => l.name === name);

/** Copy regions (e.g. from the previous task) with new ids, dropping suggestion marks. */
export const cloneRegions = (regions: readonly Region[], dx = 0, dy = 0): Region[] =>
  regions.map((r) => {
    const { suggested: _s, ...rest } = translateRegion(r, dx, dy);
    return { ...rest, id: newId() } as Region;
  });
