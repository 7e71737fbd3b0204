import type { AnnotationResult } from '../model/annotation';
import type { ReviewComment } from '../sync/review';
import type { VerdictLike } from './timeline';

/**
 * Reviewer comments as pins: each numbered (the number shown on the canvas or in the text and in
 * the comment list beside it) and resolved against the version on screen.
 */
export interface Pin {
  /** 1-based, in the reviewer's order: the badge on the canvas/text and in the list. */
  n: number;
  text: string;
  target: ReviewComment['target'];
  /** The result it points at; null for a comment on the whole task. */
  resultId: string | null;
  /** For a keypoint comment: the point's index in its keypoint set. */
  keypoint: number | null;
  /**
   * The result is in the version shown (false: the annotator removed it since, or the comment
   * points at a keypoint index that set does not have). Such pins are listed, never drawn.
   */
  found: boolean;
}

export const pinsFor = (comments: readonly ReviewComment[], results: readonly AnnotationResult[]): Pin[] => {
  const byId = new Map(results.map((r) => [r.id, r]));
  return comments.map((c, i) => {
    const t = c.target;
    if (t.kind === 'task')
      return { n: i + 1, text: c.text, target: t, resultId: null, keypoint: null, found: true };
    const r = byId.get(t.resultId);
    const keypoint = t.kind === 'keypoint' ? t.index : null;
    const found =
      r !== undefined && (keypoint === null || (r.type === 'keypoints' && keypoint < r.points.length));
    return { n: i + 1, text: c.text, target: t, resultId: t.resultId, keypoint, found };
  });
};

/** Pins per result id, for the views that draw them beside their region or span. */
export const pinsByResult = (pins: readonly Pin[]): Map<string, Pin[]> => {
  const out = new Map<string, Pin[]>();
  for (const p of pins) {
    if (p.resultId === null || !p.found) continue;
    const list = out.get(p.resultId);
    if (list) list.push(p);
    else out.set(p.resultId, [p]);
  }
  return out;
};

/**
 * The rejection an annotator reworks: the newest applied reject verdict, when no later applied
 * verdict (accept, fix) decided the task since. Stale and conflicting verdicts were never applied.
 */
export const reworkVerdict = <V extends VerdictLike>(verdicts: readonly V[]): V | null => {
  const applied = verdicts.filter((v) => !v.flag).sort((a, b) => a.at - b.at);
  const last = applied[applied.length - 1];
  return last?.kind === 'rejected' ? last : null;
};

/** What a comment points at, in words ("box car-1", "point 3 of person", "the whole task"). */
export const targetInWords = (pin: Pin, results: readonly AnnotationResult[]): string => {
  if (pin.resultId === null) return 'the whole task';
  const r = results.find((x) => x.id === pin.resultId);
  const label = r && 'label' in r ? r.label : r && 'group' in r ? r.group : null;
  if (!r || !pin.found) return 'a region or span no longer there';
  if (pin.keypoint !== null) return `point ${pin.keypoint + 1} of ${label ?? 'keypoints'}`;
  if (r.type === 'span') return `“${r.text.length > 40 ? `${r.text.slice(0, 39)}…` : r.text}” (${r.label})`;
  return `${kindWord[r.type]} ${label ?? ''}`.trim();
};

const kindWord: Record<AnnotationResult['type'], string> = {
  bbox: 'box',
  polygon: 'polygon',
  polyline: 'line',
  keypoints: 'keypoints',
  'image-class': 'class',
  span: 'span',
  relation: 'relation',
  'doc-class': 'class',
  comparison: 'comparison',
};
