/**
 * Grapheme and word boundaries (Intl.Segmenter), computed per display block on demand and cached,
 * so opening a 100,000-word document segments nothing. All offsets are absolute code points.
 * Boundaries never split a grapheme cluster: a CRLF is one cluster, so the position between its
 * CR and LF is never a boundary.
 */
import type { TextDoc } from './doc';

const graphemeSeg = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const wordSeg = new Intl.Segmenter(undefined, { granularity: 'word' });

export interface WordSeg {
  start: number;
  end: number;
  word: boolean;
}

interface BlockSegs {
  /** Sorted grapheme boundaries of the block, including its start and end. */
  graphemes: number[];
  words: WordSeg[];
}

/** Emoji (ZWJ sequences, skin tones) and flags: not word-like for ICU, but a word to the person. */
const PICTOGRAPH = /[\p{Extended_Pictographic}\p{Regional_Indicator}]/u;
/** Hyphen, Unicode hyphen, non-breaking hyphen: "nag-aaral" (Tagalog), "state-of-the-art". */
const HYPHEN = /^[-\u2010\u2011]$/u;

/**
 * A block's word segments. Words are ICU's word-like segments plus emoji and flags; words joined
 * by a single hyphen (no space) are one word, so a double click or a snapped selection takes the
 * hyphenated word whole.
 */
const blockWords = (text: string, toCp: (u16: number) => number): WordSeg[] => {
  const raw = [...wordSeg.segment(text)];
  const words: WordSeg[] = [];
  for (let i = 0; i < raw.length; i++) {
    const w = raw[i]!;
    const start = toCp(w.index);
    let endU16 = w.index + w.segment.length;
    const word = w.isWordLike === true || PICTOGRAPH.test(w.segment);
    if (w.isWordLike) {
      while (HYPHEN.test(raw[i + 1]?.segment ?? '') && raw[i + 2]?.isWordLike) {
        const next = raw[i + 2]!;
        endU16 = next.index + next.segment.length;
        i += 2;
      }
    }
    words.push({ start, end: toCp(endU16), word });
  }
  return words;
};

export class Segmentation {
  private readonly cache = new Map<number, BlockSegs>();

  constructor(private readonly doc: TextDoc) {}

  private segs(blockIndex: number): BlockSegs {
    let s = this.cache.get(blockIndex);
    if (s) return s;
    const b = this.doc.blocks[blockIndex]!;
    const toCp = (i: number): number => this.doc.u16ToCp(b.u16Start + i);
    const graphemes: number[] = [];
    for (const g of graphemeSeg.segment(b.text)) graphemes.push(toCp(g.index));
    graphemes.push(b.cpEnd);
    s = { graphemes, words: blockWords(b.text, toCp) };
    this.cache.set(blockIndex, s);
    return s;
  }

  /** Word segments of a block (for tests and keyboard movement). */
  wordsOf(blockIndex: number): readonly WordSeg[] {
    return this.segs(blockIndex).words;
  }

  isGraphemeBoundary(cp: number): boolean {
    if (cp <= 0 || cp >= this.doc.cpLength) return cp === 0 || cp === this.doc.cpLength;
    const bi = this.doc.blockAt(cp);
    const b = this.doc.blocks[bi]!;
    if (cp > b.cpEnd) return false; // inside a CRLF terminator
    return binarySearch(this.segs(bi).graphemes, cp) >= 0;
  }

  /** The nearest grapheme boundary ≤ cp (dir -1) or ≥ cp (dir +1). */
  roundGrapheme(cp: number, dir: -1 | 1): number {
    const doc = this.doc;
    if (cp <= 0) return 0;
    if (cp >= doc.cpLength) return doc.cpLength;
    const bi = doc.blockAt(cp);
    const b = doc.blocks[bi]!;
    if (cp > b.cpEnd) return dir < 0 ? b.cpEnd : (doc.blocks[bi + 1]?.cpStart ?? doc.cpLength);
    const g = this.segs(bi).graphemes;
    const i = lowerBound(g, cp);
    if (g[i] === cp) return cp;
    return dir < 0 ? g[i - 1]! : g[i]!;
  }

  /** Snap [start, end) outward to grapheme boundaries (character precision). */
  snapGraphemes(start: number, end: number): [number, number] {
    const s = this.roundGrapheme(Math.min(start, end), -1);
    const e = this.roundGrapheme(Math.max(start, end), 1);
    return [s, e];
  }

  /**
   * Snap [start, end) to whole words: a start inside a word moves to the word's start, an end
   * inside a word to its end; spaces and punctuation at either edge are dropped. Falls back to
   * grapheme snapping (trimmed of whitespace) when the range holds no word. Returns null for
   * an empty result.
   */
  snapWords(start: number, end: number): [number, number] | null {
    const doc = this.doc;
    let a = Math.max(0, Math.min(start, end));
    let b = Math.min(doc.cpLength, Math.max(start, end));
    if (a >= b) return null;
    const first = this.wordAtOrAfter(a, b);
    const last = this.wordAtOrBefore(b, a);
    if (first && last && first.start < last.end) return [first.start, last.end];
    [a, b] = this.snapGraphemes(a, b);
    const t = doc.slice(a, b);
    const lead = t.length - t.trimStart().length;
    const trail = t.length - t.trimEnd().length;
    if (lead + trail >= t.length) return null;
    // Whitespace is BMP, so UTF-16 and code-point counts agree for the trimmed edges; a space
    // carrying combining marks is one cluster, so trimmed edges round inward to cluster edges.
    const s = this.roundGrapheme(a + lead, 1);
    const e = this.roundGrapheme(b - trail, -1);
    return s < e ? [s, e] : null;
  }

  /** The first word-like segment that ends after `cp` and starts before `limit`. */
  private wordAtOrAfter(cp: number, limit: number): WordSeg | null {
    const doc = this.doc;
    for (let bi = doc.blockAt(cp); bi < doc.blocks.length; bi++) {
      if (doc.blocks[bi]!.cpStart >= limit) return null;
      for (const w of this.segs(bi).words) {
        if (w.end <= cp || !w.word) continue;
        return w.start < limit ? w : null;
      }
    }
    return null;
  }

  /** The last word-like segment that starts before `cp` and ends after `limit`. */
  private wordAtOrBefore(cp: number, limit: number): WordSeg | null {
    const doc = this.doc;
    for (let bi = doc.blockAt(Math.max(0, cp - 1)); bi >= 0; bi--) {
      if (doc.blocks[bi]!.cpEnd <= limit) return null;
      const ws = this.segs(bi).words;
      for (let i = ws.length - 1; i >= 0; i--) {
        const w = ws[i]!;
        if (w.start >= cp || !w.word) continue;
        return w.end > limit ? w : null;
      }
    }
    return null;
  }

  /**
   * The word-like segment the offset is in: for a start edge one with start ≤ cp < end, for an
   * end edge one with start < cp ≤ end (a word's edge belongs to it from the side it bounds).
   */
  wordAt(cp: number, edge: 'start' | 'end'): WordSeg | null {
    if (cp < 0 || cp > this.doc.cpLength) return null;
    const bi = this.doc.blockAt(edge === 'end' ? Math.max(0, cp - 1) : cp);
    for (const w of this.segs(bi).words) {
      if (!w.word) continue;
      if (edge === 'start' ? w.start <= cp && cp < w.end : w.start < cp && cp <= w.end) return w;
      if (w.start > cp) break;
    }
    return null;
  }

  /** Next caret stop for keyboard movement: word ends going right, word starts going left. */
  stepWord(cp: number, dir: -1 | 1): number {
    return this.nextStop(cp, dir, dir > 0 ? 'end' : 'start');
  }

  /** The next word start (or end) strictly before/after `cp`: how a span's edge moves by a word. */
  nextStop(cp: number, dir: -1 | 1, kind: 'start' | 'end'): number {
    const doc = this.doc;
    const at = (w: WordSeg): number => (kind === 'start' ? w.start : w.end);
    if (dir > 0) {
      for (let bi = doc.blockAt(cp); bi < doc.blocks.length; bi++) {
        for (const w of this.segs(bi).words) if (w.word && at(w) > cp) return at(w);
      }
      return kind === 'end' ? doc.cpLength : cp;
    }
    for (let bi = doc.blockAt(Math.max(0, cp - 1)); bi >= 0; bi--) {
      const ws = this.segs(bi).words;
      for (let i = ws.length - 1; i >= 0; i--) if (ws[i]!.word && at(ws[i]!) < cp) return at(ws[i]!);
    }
    return kind === 'start' ? 0 : cp;
  }

  /** Next grapheme boundary in direction `dir` (character-precision movement). */
  stepGrapheme(cp: number, dir: -1 | 1): number {
    const doc = this.doc;
    const next = cp + dir;
    if (next <= 0) return 0;
    if (next >= doc.cpLength) return doc.cpLength;
    return this.roundGrapheme(next, dir);
  }
}

const lowerBound = (a: readonly number[], x: number): number => {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

const binarySearch = (a: readonly number[], x: number): number => {
  const i = lowerBound(a, x);
  return a[i] === x ? i : -1;
};
