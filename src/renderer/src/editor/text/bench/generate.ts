/**
 * A synthetic long document with spans, for the bench and the standalone page: paragraphs of
 * ~100 words, spans spread evenly with some nested inside others. Offsets are tracked while the
 * text is built (code points; the vocabulary holds accented and astral words on purpose).
 */
import type { Annotation, SpanResult } from '../../../../../shared/model';

const VOCAB = [
  'the',
  'annotator',
  'labels',
  'data',
  'offline',
  'for',
  'days',
  'and',
  'syncs',
  'when',
  'link',
  'returns',
  'Nguyễn',
  'Hà',
  'Nội',
  'Đà',
  'Nẵng',
  'Mumbai',
  'प्रिया',
  'Bangkok',
  'team',
  'model',
  'response',
  'quality',
  'review',
  'project',
  'label',
  'entity',
  'span',
  'relation',
  'office',
  'January',
  '2025',
  'report',
  'city',
  'Outrigger',
  'Labs',
  'Manila',
  'Cebu',
  'accuracy',
  'hotkeys',
  'keyboard',
  'document',
  'sentence',
  '🙂',
];
const LABELS = ['PER', 'ORG', 'LOC', 'DATE', 'MISC'];

export interface GeneratedDoc {
  text: string;
  annotation: Annotation;
}

/** Deterministic (seeded LCG) so every run measures the same document. */
export const generateDoc = (words: number, spans: number, seed = 7): GeneratedDoc => {
  let x = seed >>> 0;
  const rnd = (): number => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
  const parts: string[] = [];
  // Word edges in code points (what spans store) and UTF-16 (to slice the covered text).
  const wordStarts = new Uint32Array(words);
  const wordEnds = new Uint32Array(words);
  const u16Starts = new Uint32Array(words);
  const u16Ends = new Uint32Array(words);
  let cp = 0;
  let u = 0;
  for (let i = 0; i < words; i++) {
    const w = VOCAB[Math.floor(rnd() * VOCAB.length)]!;
    const sep = i === 0 ? '' : i % 100 === 0 ? '\n\n' : ' ';
    parts.push(sep, w);
    cp += sep.length;
    u += sep.length;
    wordStarts[i] = cp;
    u16Starts[i] = u;
    cp += [...w].length;
    u += w.length;
    wordEnds[i] = cp;
    u16Ends[i] = u;
  }
  const text = parts.join('');
  const results: SpanResult[] = [];
  const step = Math.max(1, Math.floor(words / Math.max(1, spans)));
  for (let k = 0; k < spans; k++) {
    const first = Math.min(words - 1, k * step);
    const nested = k % 10 === 9 && results.length > 0;
    // Every tenth span nests inside the previous one's first word.
    const w0 = nested ? Math.min(words - 1, (k - 1) * step) : first;
    const w1 = nested ? w0 : Math.min(words - 1, first + Math.floor(rnd() * 3));
    results.push({
      type: 'span',
      id: `g${k}`,
      label: LABELS[k % LABELS.length]!,
      start: wordStarts[w0]!,
      end: wordEnds[w1]!,
      text: text.slice(u16Starts[w0]!, u16Ends[w1]!),
      attributes: {},
    });
  }
  return { text, annotation: { results, activeMs: 0 } };
};
