import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SpanResult } from '../model';
import { tokenizeByRegex, writeConll } from './conll';
import { collect, ctxOf, textRecord } from './test-helpers';

/**
 * The CoNLL document of one text, written the plain way (one object per token, regex tokens,
 * code points through Array.from): the reference the writer's array-based fast path must match
 * byte for byte.
 */
const reference = (text: string, spans: SpanResult[]): string => {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: SpanResult[] = [];
  for (const s of sorted) if (!(kept.length && s.start < kept[kept.length - 1]!.end)) kept.push(s);
  const unitsBefore = [0];
  for (const ch of Array.from(text)) unitsBefore.push(unitsBefore[unitsBefore.length - 1]! + ch.length);
  const u = (cp: number) => unitsBefore[Math.min(cp, unitsBefore.length - 1)]!;
  const cuts = [...new Set(kept.flatMap((s) => [u(s.start), u(s.end)]))].sort((a, b) => a - b);
  const tokens: { start: number; end: number; tag: string; brk: boolean }[] = [];
  const raw = tokenizeByRegex(text);
  for (let k = 0; k < raw.length; k += 2) {
    let start = raw[k]!;
    for (const c of cuts)
      if (c > start && c < raw[k + 1]!) {
        tokens.push({ start, end: c, tag: 'O', brk: false });
        start = c;
      }
    tokens.push({ start, end: raw[k + 1]!, tag: 'O', brk: false });
  }
  let prevSpan: SpanResult | undefined;
  for (const t of tokens) {
    const s = kept.find((x) => u(x.start) <= t.start && t.end <= u(x.end));
    t.tag = s ? `${s === prevSpan ? 'I' : 'B'}-${s.label}` : 'O';
    prevSpan = s;
  }
  for (let i = 0; i + 1 < tokens.length; i++) {
    const [t, next] = [tokens[i]!, tokens[i + 1]!];
    if (next.tag.startsWith('I-') || next.start === t.end) continue;
    const gap = text.slice(t.end, next.start);
    if (/[\n\r\u2028\u2029]/.test(gap) || /^[.!?。！？]$/.test(text.slice(t.start, t.end))) t.brk = true;
  }
  let doc = '-DOCSTART- -X- -X- O\n\n';
  for (const t of tokens) doc += `${text.slice(t.start, t.end)} _ _ ${t.tag}\n${t.brk ? '\n' : ''}`;
  return tokens.length && !tokens[tokens.length - 1]!.brk ? `${doc}\n` : doc;
};

const WORDS = ['Nguyễn', 'Hà', 'Nội', '😀', 'Bob', 'left', '.', '!', '。', 'नमस्ते', 'ไทย', '42', 'x_y'];
const GAPS = [' ', ' ', '  ', '\n', '\r\n', '', '\u00a0'];
const cfg = { tools: ['span'], labels: [{ name: 'PER', color: '#ff0000' }] };

describe('CoNLL writer fast path', () => {
  it('writes exactly what the plain per-token reference writes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...GAPS)), { maxLength: 25 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.constantFrom('PER', 'LOC')), { maxLength: 6 }),
        async (parts, rawSpans) => {
          const text = parts.map(([w, g]) => w + g).join('');
          const n = Array.from(text).length;
          const spans = rawSpans
            .map(([a, len, label], i) => ({ start: n ? a % n : 0, len, label, i }))
            .filter((s) => s.len > 0 && s.start + s.len <= n)
            .map((s) => ({
              type: 'span',
              id: `s${s.i}`,
              label: s.label,
              start: s.start,
              end: s.start + s.len,
              text: Array.from(text)
                .slice(s.start, s.start + s.len)
                .join(''),
            }));
          const rec = textRecord('d', text, spans);
          const { files } = await collect(writeConll, [rec], ctxOf('text', cfg));
          expect(files.get('dataset.conll')).toBe(reference(text, rec.results as SpanResult[]));
        },
      ),
      { numRuns: 1500 },
    );
  });
});
