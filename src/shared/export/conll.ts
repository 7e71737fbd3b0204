import type { SpanResult } from '../model';
import { ChunkBuffer, type DatasetWriter } from './record';

export interface Token {
  /** UTF-16 indices into the text, [start, end). */
  start: number;
  end: number;
  tag: string;
  /** A line break or sentence end follows this token (before the next one). */
  breakAfter: boolean;
}

// A token: a run of letters, marks (so combining accents and Thai/Devanagari vowel signs stay
// with their letter) and digits, or one other non-space character. TOKEN is the definition;
// `tokenize` scans by character code with the same result (ASCII decided inline, other
// characters by the same classes, cached), as a regex over six million tokens was a third of
// a big export.
const TOKEN = /[\p{L}\p{M}\p{N}_]+|[^\s]/gu;
const WORD_CHAR = /^[\p{L}\p{M}\p{N}_]$/u;
const SPACE_CHAR = /^\s$/u;
// Sentence ends, each one UTF-16 unit: . ! ? and the ideographic/full-width 。！？
const SENTENCE_END = new Set([0x2e, 0x21, 0x3f, 0x3002, 0xff01, 0xff1f]);

/** 1: word character, 2: white space, 0: other (a one-character token); by code point. */
const classCache = new Map<number, number>();
const classOf = (cp: number): number => {
  if (cp < 128) {
    if ((cp >= 97 && cp <= 122) || (cp >= 65 && cp <= 90) || (cp >= 48 && cp <= 57) || cp === 95) return 1;
    return cp === 32 || (cp >= 9 && cp <= 13) ? 2 : 0;
  }
  let c = classCache.get(cp);
  if (c === undefined) {
    const ch = String.fromCodePoint(cp);
    c = WORD_CHAR.test(ch) ? 1 : SPACE_CHAR.test(ch) ? 2 : 0;
    if (classCache.size < 65_536) classCache.set(cp, c);
  }
  return c;
};

/** `[start, end)` UTF-16 ranges of the TOKEN matches of `text`, flattened. */
export const tokenize = (text: string): number[] => {
  const out: number[] = [];
  const n = text.length;
  let i = 0;
  let start = -1;
  while (i < n) {
    let cp = text.charCodeAt(i);
    let len = 1;
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = (cp - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
        len = 2;
      }
    }
    const c = classOf(cp);
    if (c === 1) {
      if (start < 0) start = i;
    } else {
      if (start >= 0) {
        out.push(start, i);
        start = -1;
      }
      if (c === 0) out.push(i, i + len);
    }
    i += len;
  }
  if (start >= 0) out.push(start, n);
  return out;
};

/** The reference tokenizer (tests check `tokenize` against it). */
export const tokenizeByRegex = (text: string): number[] =>
  [...text.matchAll(TOKEN)].flatMap((m) => [m.index, m.index + m[0].length]);

const isLineBreak = (text: string, from: number, to: number): boolean => {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
};

/** UTF-16 indices of the given code-point offsets (sorted ascending), in one pass. */
const toUtf16 = (text: string, cps: readonly number[]): number[] => {
  const out: number[] = [];
  let u = 0;
  let cp = 0;
  for (const target of cps) {
    while (cp < target && u < text.length) {
      const c = text.charCodeAt(u);
      u += c >= 0xd800 && c <= 0xdbff && u + 1 < text.length ? 2 : 1;
      cp++;
    }
    out.push(u);
  }
  return out;
};

/** What follows a token on its CoNLL line: ` _ _ TAG` and the line break. */
const O_END = ' _ _ O\n';

/**
 * A text's tokens as parallel lists (no object per token: a big export has millions):
 * `ranges` the flattened `[start, end)` UTF-16 ranges, `ends` each token's line end (` _ _
 * TAG\n`), `breaks` whether a sentence ends after it.
 */
interface TaggedTokens {
  ranges: number[];
  ends: string[];
  breaks: boolean[];
  dropped: number;
}

/** Earlier start first; on a tie, the longer span first (it is the one kept). */
const bySpanOrder = (a: SpanResult, b: SpanResult): number => a.start - b.start || b.end - a.end;

/** True when the spans already come in `bySpanOrder` (as they usually do): no copy, no sort. */
const inSpanOrder = (spans: readonly SpanResult[]): boolean => {
  for (let i = 1; i < spans.length; i++) if (bySpanOrder(spans[i - 1]!, spans[i]!) > 0) return false;
  return true;
};

const taggedTokens = (text: string, spans: readonly SpanResult[]): TaggedTokens => {
  const sorted = inSpanOrder(spans) ? spans : [...spans].sort(bySpanOrder);
  const kept: SpanResult[] = [];
  let dropped = 0;
  for (const s of sorted) {
    const prev = kept[kept.length - 1];
    if (prev && s.start < prev.end) dropped++;
    else kept.push(s);
  }
  const cpEdges: number[] = [];
  for (const s of kept) cpEdges.push(s.start, s.end);
  const edges = toUtf16(text, cpEdges);
  // Kept spans do not overlap and come in order, so their edges never decrease: the cuts
  // are the edges without repeats (a Set and a sort per text were a sixth of the writer).
  const cuts: number[] = [];
  for (const e of edges) if (cuts.length === 0 || cuts[cuts.length - 1] !== e) cuts.push(e);
  const ranges: number[] = [];
  let ci = 0;
  const raw = tokenize(text);
  for (let k = 0; k < raw.length; k += 2) {
    let start = raw[k] as number;
    const end = raw[k + 1] as number;
    while (ci < cuts.length && (cuts[ci] as number) <= start) ci++;
    while (ci < cuts.length && (cuts[ci] as number) < end) {
      ranges.push(start, cuts[ci] as number);
      start = cuts[ci] as number;
      ci++;
    }
    ranges.push(start, end);
  }
  // Tags: walk tokens and kept spans together; `inner` marks I- tokens.
  const n = ranges.length / 2;
  const ends = new Array<string>(n);
  const inner = new Array<boolean>(n);
  let si = 0;
  let inside = -1;
  let bEnd = '';
  let iEnd = '';
  for (let t = 0; t < n; t++) {
    const ts = ranges[t * 2] as number;
    while (si < kept.length && (edges[si * 2 + 1] as number) <= ts) si++;
    const s = kept[si];
    if (
      s &&
      (edges[si * 2] as number) <= ts &&
      (ranges[t * 2 + 1] as number) <= (edges[si * 2 + 1] as number)
    ) {
      if (inside !== si) {
        bEnd = ` _ _ B-${s.label}\n`;
        iEnd = ` _ _ I-${s.label}\n`;
      }
      inner[t] = inside === si;
      ends[t] = inner[t] ? iEnd : bEnd;
      inside = si;
    } else {
      ends[t] = O_END;
      inner[t] = false;
      inside = -1;
    }
  }
  // Sentence breaks: a line break between two tokens, or a sentence-ending mark followed by
  // space; never inside a span.
  const breaks = new Array<boolean>(n).fill(false);
  for (let i = 0; i + 1 < n; i++) {
    if (inner[i + 1]) continue;
    const end = ranges[i * 2 + 1] as number;
    const next = ranges[i * 2 + 2] as number;
    if (next === end) continue;
    const start = ranges[i * 2] as number;
    if (isLineBreak(text, end, next) || (end - start === 1 && SENTENCE_END.has(text.charCodeAt(start))))
      breaks[i] = true;
  }
  return { ranges, ends, breaks, dropped };
};

/**
 * Tokens of a text tagged IOB2 with its spans. Tokens are split at every span edge, so each
 * span covers whole tokens (a span ending inside a word splits the word). Overlapping spans
 * cannot be tagged: the earlier (on a tie the longer) is kept; `dropped` counts the others.
 */
export const tagTokens = (
  text: string,
  spans: readonly SpanResult[],
): { tokens: Token[]; dropped: number } => {
  const { ranges, ends, breaks, dropped } = taggedTokens(text, spans);
  const tokens = ends.map((e, t) => ({
    start: ranges[t * 2] as number,
    end: ranges[t * 2 + 1] as number,
    tag: e.slice(5, -1),
    breakAfter: breaks[t] as boolean,
  }));
  return { tokens, dropped };
};

/**
 * CoNLL-2003 NER columns, **IOB2** (every entity starts with `B-`, continues with `I-`; the
 * 2003 files were IOB1): `token _ _ TAG` per line (POS and chunk columns are `_`: we have
 * none), a blank line between sentences, `-DOCSTART- -X- -X- O` and a blank line before each
 * document. Tokenization respects span edges (see `tagTokens`); overlapping spans keep the
 * first, the rest are counted as skipped. Text tasks only.
 *
 * Layout: `conll/<split>.txt` per split, or `dataset.conll`.
 */
export const writeConll: DatasetWriter = async function* (records, ctx, skipped) {
  const files = new Map<string, ChunkBuffer>();
  for await (const r of records) {
    if (r.data.kind !== 'text') continue;
    const key = ctx.split && r.split ? `conll/${r.split}.txt` : 'dataset.conll';
    let out = files.get(key);
    if (!out) files.set(key, (out = new ChunkBuffer(key)));
    const text = r.data.text;
    const spans = r.results.filter((x): x is SpanResult => x.type === 'span' && x.field === undefined);
    const { ranges, ends, breaks, dropped } = taggedTokens(text, spans);
    if (dropped) skipped.add('overlapping spans cannot be written to CoNLL (the first was kept)', dropped);
    // Every line ends in \n; a blank line after each sentence and after the document.
    let doc = '-DOCSTART- -X- -X- O\n\n';
    for (let t = 0; t < ends.length; t++) {
      doc += text.slice(ranges[t * 2], ranges[t * 2 + 1]);
      doc += ends[t];
      if (breaks[t]) doc += '\n';
    }
    if (ends.length && !breaks[ends.length - 1]) doc += '\n';
    if (out.push(doc)) yield out.take();
  }
  for (const out of files.values()) yield out.take(true);
};
