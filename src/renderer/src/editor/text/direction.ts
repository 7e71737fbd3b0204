/**
 * Base direction of a paragraph the way HTML's `dir="auto"` finds it: the first strong
 * character decides (Unicode bidi rules P2–P3). Used to turn the visual arrow keys into logical
 * caret moves: in a right-to-left block → moves towards the start of the text.
 */
import type { TextDirection } from '../../../../shared/model';

/** Letters of the right-to-left scripts (strong R / AL characters). */
const RTL_LETTER =
  /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}\p{Script=Yezidi}]/u;
/** The first strong character: a letter (any script) or an explicit mark (LRM, RLM, ALM). */
const STRONG = /[\p{L}\u200e\u200f\u061c]/u;

export const firstStrongDirection = (text: string): 'ltr' | 'rtl' | null => {
  const m = STRONG.exec(text);
  if (!m) return null;
  const c = m[0];
  if (c === '\u200e') return 'ltr';
  if (c === '\u200f' || c === '\u061c') return 'rtl';
  return RTL_LETTER.test(c) ? 'rtl' : 'ltr';
};

/** A block's direction: the task's or project's when set, else its first strong character's. */
export const blockDirection = (text: string, set: TextDirection | undefined): 'ltr' | 'rtl' =>
  set === 'ltr' || set === 'rtl' ? set : (firstStrongDirection(text) ?? 'ltr');

/** The logical step (-1 towards the text's start) of a visual arrow key in a block of `dir`. */
export const logicalStep = (arrow: 'ArrowLeft' | 'ArrowRight', dir: 'ltr' | 'rtl'): -1 | 1 =>
  (arrow === 'ArrowRight') === (dir === 'ltr') ? 1 : -1;
