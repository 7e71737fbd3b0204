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
// with their letter) and digits, or one other non-space character.
const TOKEN = /[\p{L}\p{M}\p{N}_]+|[^\s]/gu;
const SENTENCE_END = /^[.!?。！？]$/u;

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

/**
 * Tokens of a text tagged IOB2 with its spans. Tokens are split at every span edge, so each
 * span covers whole tokens (a span ending inside a word splits the word). Overlapping spans
 * cannot be tagged: the earlier (on a tie the longer) is kept; `dropped` counts the others.
 */
export const tagTokens = (
  text: string,
  spans: readonly SpanResult[],
): { tokens: Token[]; dropped: number } => {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: SpanResult[] = [];
  let dropped = 0;
  for (const s of sorted) {
    const prev = kept[kept.length - 1];
    if (prev && s.start < prev.end) dropped++;
    else kept.push(s);
  }
  const edges = toUtf16(
    text,
    kept.flatMap((s) => [s.start, s.end]),
  );
  const cuts = [...new Set(edges)].sort((a, b) => a - b);
  const tokens: Token[] = [];
  let ci = 0;
  for (const m of text.matchAll(TOKEN)) {
    let start = m.index;
    const end = start + m[0].length;
    while (ci < cuts.length && (cuts[ci] as number) <= start) ci++;
    while (ci < cuts.length && (cuts[ci] as number) < end) {
      tokens.push({ start, end: cuts[ci] as number, tag: 'O', breakAfter: false });
      start = cuts[ci] as number;
      ci++;
    }
    tokens.push({ start, end, tag: 'O', breakAfter: false });
  }
  // Tags: walk tokens and kept spans together.
  let si = 0;
  let inside = -1;
  for (const t of tokens) {
    while (si < kept.length && (edges[si * 2 + 1] as number) <= t.start) si++;
    const s = kept[si];
    if (s && (edges[si * 2] as number) <= t.start && t.end <= (edges[si * 2 + 1] as number)) {
      t.tag = `${inside === si ? 'I' : 'B'}-${s.label}`;
      inside = si;
    } else inside = -1;
  }
  // Sentence breaks: a line break between two tokens, or a sentence-ending mark followed by
  // space; never inside a span.
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i] as Token;
    const next = tokens[i + 1] as Token;
    if (next.tag.startsWith('I-')) continue;
    const gap = text.slice(t.end, next.start);
    if (/[\r\n\u2028\u2029]/.test(gap) || (gap.length > 0 && SENTENCE_END.test(text.slice(t.start, t.end))))
      t.breakAfter = true;
  }
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
    const { tokens, dropped } = tagTokens(text, spans);
    if (dropped) skipped.add('overlapping spans cannot be written to CoNLL (the first was kept)', dropped);
    const lines: string[] = ['-DOCSTART- -X- -X- O', ''];
    for (const t of tokens) {
      lines.push(`${text.slice(t.start, t.end)} _ _ ${t.tag}`);
      if (t.breakAfter) lines.push('');
    }
    if (tokens.length && !tokens[tokens.length - 1]!.breakAfter) lines.push('');
    if (out.push(`${lines.join('\n')}\n`)) yield out.take();
  }
  for (const out of files.values()) yield out.take(true);
};
