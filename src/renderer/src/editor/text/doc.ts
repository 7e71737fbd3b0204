/**
 * The text of one task, indexed for the editor: NFC text, code-point ↔ UTF-16 maps, and display
 * blocks (lines, long lines cut at a space) so the view can virtualize. Offsets everywhere in
 * the editor are code points; UTF-16 appears only where the DOM or `String.slice` needs it.
 */
import { normalizeText } from '../../../../shared/model/text';

export interface Block {
  index: number;
  /** [cpStart, cpEnd) in code points; excludes the line terminator that ends the block. */
  cpStart: number;
  cpEnd: number;
  u16Start: number;
  u16End: number;
  /** The block's text (no terminator). */
  text: string;
}

/** Lines longer than this are cut at the last space before it, so no block is huge. */
export const MAX_BLOCK_CP = 1500;

export class TextDoc {
  readonly text: string;
  readonly cpLength: number;
  readonly blocks: Block[];
  /** cp → UTF-16 index; null when the text has no surrogate pairs (the two are equal). */
  private readonly cpU16: Uint32Array | null;
  private readonly blockStarts: Uint32Array;

  constructor(raw: string, maxBlock = MAX_BLOCK_CP) {
    const text = normalizeText(raw);
    this.text = text;
    const n = text.length;
    let hasPairs = false;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) {
        hasPairs = true;
        break;
      }
    }
    let map: Uint32Array | null = null;
    let cp = 0;
    if (hasPairs) {
      const tmp = new Uint32Array(n + 1);
      for (let i = 0; i < n; i++) {
        tmp[cp++] = i;
        const c = text.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
          const d = text.charCodeAt(i + 1);
          if (d >= 0xdc00 && d <= 0xdfff) i++;
        }
      }
      tmp[cp] = n;
      map = tmp.slice(0, cp + 1);
    } else cp = n;
    this.cpU16 = map;
    this.cpLength = cp;
    this.blocks = this.buildBlocks(maxBlock);
    this.blockStarts = Uint32Array.from(this.blocks, (b) => b.cpStart);
  }

  cpToU16(cp: number): number {
    const c = Math.max(0, Math.min(cp, this.cpLength));
    return this.cpU16 ? this.cpU16[c]! : c;
  }

  /** UTF-16 index → code point (an index inside a surrogate pair rounds down). */
  u16ToCp(u: number): number {
    if (!this.cpU16) return Math.max(0, Math.min(u, this.cpLength));
    const m = this.cpU16;
    let lo = 0;
    let hi = this.cpLength;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (m[mid]! <= u) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The text covered by [start, end) code points. */
  slice(start: number, end: number): string {
    return this.text.slice(this.cpToU16(start), this.cpToU16(end));
  }

  /** Index of the block containing code point `cp` (the last block whose start ≤ cp). */
  blockAt(cp: number): number {
    const s = this.blockStarts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= cp) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Blocks [first, last] that the range [start, end) touches. */
  blockRange(start: number, end: number): [number, number] {
    const first = this.blockAt(start);
    const last = Math.max(first, this.blockAt(Math.max(start, end - 1)));
    return [first, last];
  }

  private buildBlocks(maxBlock: number): Block[] {
    const text = this.text;
    const blocks: Block[] = [];
    const push = (u16Start: number, u16End: number): void => {
      const cpStart = this.u16ToCp(u16Start);
      const cpEnd = this.u16ToCp(u16End);
      blocks.push({
        index: blocks.length,
        cpStart,
        cpEnd,
        u16Start,
        u16End,
        text: text.slice(u16Start, u16End),
      });
    };
    let lineStart = 0;
    const n = text.length;
    for (let i = 0; i <= n; i++) {
      const c = i < n ? text.charCodeAt(i) : 10;
      if (c !== 10) continue;
      // A CRLF line ends before its CR: the terminator is not displayed but keeps its offsets.
      const lineEnd = i > lineStart && text.charCodeAt(i - 1) === 13 ? i - 1 : i;
      let s = lineStart;
      while (lineEnd - s > maxBlock) {
        let cut = text.lastIndexOf(' ', s + maxBlock);
        if (cut <= s) cut = lastGraphemeStart(text, s, s + maxBlock);
        else cut += 1;
        push(s, cut);
        s = cut;
      }
      push(s, lineEnd);
      lineStart = i + 1;
    }
    return blocks;
  }
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The last grapheme boundary in (from, limit], so a cut without spaces never splits a cluster. */
const lastGraphemeStart = (text: string, from: number, limit: number): number => {
  let last = from;
  for (const g of graphemes.segment(text.slice(from, limit + 32))) {
    const at = from + g.index;
    if (at > limit) break;
    last = at;
  }
  return last > from ? last : limit;
};
