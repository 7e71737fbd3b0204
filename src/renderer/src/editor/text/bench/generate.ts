/**
 * A synthetic long document with spans, for the bench and the standalone page: paragraphs of
 * ~100 words, spans spread evenly with some nested inside others. Offsets are tracked while the
 * text is built (code points; the vocabulary holds accented and astral words on purpose).
 */
import type { Annotation, SpanResult } from '../../../../../shared/model';

const VOCAB = [
  'the', 'annotator', 'labels', 'data', 'offline', 'for', 'days', 'and', 'syncs', 'when', 'link', 'returns',
  'Nguyễn', 'Hà', 'Nội', 'Đà', 'Nẵng', 'Mumbai', 'प्रिया', 'Bangkok', 'team', 'model', 'response', 'quality',
  'review', 'project', 'label', 'entity', 'span', 'relation', 'office', 'January', '2025', 'report', 'city',
  'Outrigger', 'Labs', 'Manila', 'Cebu', 'accuracy', 'hotkeys', 'keyboard', 'document', 'sentence', '🙂',
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
  const wordStarts = new Uint32Array(words);
  const wordEnds = new Uint32Array(words);
  let cp = 0;
  for (let i = 0; i < words; i++) {
    const w = VOCAB[Math.floor(rnd() * VOCAB.length)]!;
    const sep = i === 0 ? '' : i % 100 === 0 ? '\n\n' : ' ';
    parts.push(sep, w);
    cp += sep.length;
    wordStarts[i] = cp;
    cp += [...w].length;
    wordEnds[i] = cp;
  }
  const text = parts.join('');
  const results: SpanResult[] = [];
  const step = Math.max(1, Math.floor(words / Math.max(1, spans)));
  const sliceCp = (a: number, b: number): string => text.slice(u16(a), u16(b));
  // cp → UTF-16 via the word tables: only whole words are ever sliced.
  const u16Of = new Map<number, number>();
  let u = 0;
  let c = 0;
  for (const ch of text) {
    u16Of.set(c, u);
    u += ch.length;
    c++;
  }
  u16Of.set(c, u);
  const u16 = (a: number): number => u16Of.get(a)!;
  for (let k = 0; k < spans; k++) {
    const first = Math.min(words - 1, k * step);
    const nested = k % 10 === 9 && results.length > 0;
    const len = nested ? 1 : 1 + Math.floor(rnd() * 3);
    const a = nested ? results[results.length - 1]!.start : wordStarts[first]!;
    const last = Math.min(words - 1, first + len - 1);
    const b = nested ? wordEnds[Math.min(words - 1, Math.max(0, first - step))]! : wordEnds[last]!;
    if (b <= a) continue;
    results.push({
      type: 'span',
      id: `g${k}`,
      label: LABELS[k % LABELS.length]!,
      start: a,
      end: b,
      text: sliceCp(a, b),
      attributes: {},
    });
  }
  return { text, annotation: { results, activeMs: 0 } };
};
