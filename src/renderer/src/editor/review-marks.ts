import type { AnnotationDiff, ChangeKind, Pin } from '../../../shared/review';

/**
 * What the review screens lay over an editor: the diff to the previous version (with its toggle)
 * and the reviewer's comments pinned to regions, spans and keypoints. Editors draw these beside
 * what they point at; they never change the document.
 */
export interface ReviewMarks {
  /** The diff from the previous version; null when there is none (a first version). */
  diff: AnnotationDiff | null;
  /** The diff toggle (`D` on the review screen). */
  showDiff: boolean;
  /** Comments pinned to results of the version shown (and to the whole task, listed only). */
  pins: readonly Pin[];
  /** The pin the person picked in the list: drawn emphasized, its region scrolled into view. */
  activePin?: number | null;
}

/** One colour per change kind, the same in both editors and both themes (legible on photos). */
export const CHANGE_COLOR: Record<ChangeKind, string> = {
  added: '#16a34a',
  changed: '#d97706',
  removed: '#dc2626',
};

/** The sign drawn beside a changed item, so the mark does not depend on colour alone. */
export const CHANGE_SIGN: Record<ChangeKind, string> = { added: '+', changed: '~', removed: '−' };

export const PIN_COLOR = '#7c3aed';

/** What the editor has selected, reported to a review screen (a comment is pinned to it). */
export interface EditorSelection {
  resultId: string;
  kind: 'region' | 'span';
  /** A keypoint of a keypoint set the person picked ([ ] in the image editor). */
  keypoint?: number | undefined;
}
