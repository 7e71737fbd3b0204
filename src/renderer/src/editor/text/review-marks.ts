import type { ChangeKind, Pin } from '../../../../shared/review';
import { pinsByResult } from '../../../../shared/review';
import type { ReviewMarks } from '../review-marks';
import type { TextDoc } from './doc';
import type { SpanRec } from './records';

/**
 * The review overlay as the text view needs it: per span its change (when the diff is shown) and
 * its pins, and the spans the newer version removed as "ghosts" per display block, underlined
 * dashed where they were (so removed text is marked in place, not only listed).
 */
export interface TextMarks {
  change: ReadonlyMap<string, ChangeKind>;
  pins: ReadonlyMap<string, readonly Pin[]>;
  ghosts: ReadonlyMap<number, readonly SpanRec[]>;
  activePin: number | null;
}

/** Ghost spans carry this id prefix: never a stored id (the view never selects them). */
export const GHOST_PREFIX = 'removed:';

export const textMarks = (
  doc: TextDoc,
  review: ReviewMarks | undefined,
  field?: string,
): TextMarks | null => {
  if (!review) return null;
  const change = new Map<string, ChangeKind>();
  const ghosts = new Map<number, SpanRec[]>();
  if (review.showDiff && review.diff) {
    for (const c of review.diff.changes) {
      if (c.kind !== 'removed') {
        change.set(c.id, c.kind);
        continue;
      }
      const s = c.before;
      if (s?.type !== 'span' || s.field !== field || s.end > doc.cpLength) continue;
      const ghost: SpanRec = { ...s, id: GHOST_PREFIX + s.id };
      change.set(ghost.id, 'removed');
      for (let b = doc.blockAt(s.start); b < doc.blocks.length && doc.blocks[b]!.cpStart < s.end; b++) {
        const list = ghosts.get(b);
        if (list) list.push(ghost);
        else ghosts.set(b, [ghost]);
      }
    }
  }
  return { change, pins: pinsByResult(review.pins), ghosts, activePin: review.activePin ?? null };
};

/** A block's spans with its ghosts merged in, start order kept (the layout sorts by start). */
export const withGhosts = (
  spans: readonly SpanRec[],
  ghosts: readonly SpanRec[] | undefined,
): readonly SpanRec[] =>
  ghosts?.length ? [...spans, ...ghosts].sort((a, b) => a.start - b.start || b.end - a.end) : spans;
